import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodesCleanly,
  dashBehindMp4Head,
  dynamicDash,
  ffconcatFile,
  flvH264,
  flvSorenson,
  hevcMov,
  hlsBehindMp4Head,
  hugeFrameMov,
  mkv,
  moovAtEndMp4,
  moovBeforeMdat,
  mpeg4Avi,
  mpegTs,
  noAudioMp4,
  probe,
  probeSummary,
  realWorld,
  rotatedPortrait,
  tenBit,
  topLevelBoxes,
  vp9Webm,
  webSafe720,
  webSafeMp4,
  type MediaFile,
} from './support/media.js';

/** The EBML DocType a Matroska-family file declares in its header ('matroska' or 'webm'). */
function docType(file: MediaFile): string {
  const head = file.buffer().subarray(0, 64);
  const at = head.indexOf(Buffer.from([0x42, 0x82])); // the DocType element id
  const len = head[at + 2] & 0x7f; // a one-byte size
  return head.toString('latin1', at + 3, at + 3 + len);
}

describe('media fixtures', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'ps-media-check-'));
    for (const make of Object.values(realWorld)) make(); // generate the set once, up front
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('what people have', () => {
    it('makes an iPhone-style HEVC (hvc1) + AAC QuickTime file', () => {
      const s = probeSummary(hevcMov().path);
      expect(s).toMatchObject({ videoCodec: 'hevc', audioCodec: 'aac', majorBrand: 'qt  ', width: 320, height: 180 });
      expect(s.formatName).toContain('mov');
      expect(probe(hevcMov().path).streams[0].codec_tag_string).toBe('hvc1');
      expect(hevcMov().contentType).toBe('video/quicktime');
    });

    it('makes an MPEG-4 Part 2 + MP3 AVI', () => {
      expect(probeSummary(mpeg4Avi().path)).toMatchObject({ videoCodec: 'mpeg4', audioCodec: 'mp3', formatName: 'avi' });
    });

    it('makes an H.264 + AAC FLV and a Sorenson + MP3 FLV', () => {
      expect(probeSummary(flvH264().path)).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', formatName: 'flv' });
      expect(probeSummary(flvSorenson().path)).toMatchObject({ videoCodec: 'flv1', audioCodec: 'mp3', formatName: 'flv' });
    });

    it('makes an H.264 + AAC MPEG-TS', () => {
      expect(probeSummary(mpegTs().path)).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', formatName: 'mpegts' });
      expect(mpegTs().buffer()[0]).toBe(0x47); // the TS sync byte
    });

    it('makes an H.264 + Opus Matroska and a VP9 + Opus WebM', () => {
      expect(probeSummary(mkv().path)).toMatchObject({ videoCodec: 'h264', audioCodec: 'opus', formatName: 'matroska,webm' });
      expect(docType(mkv())).toBe('matroska');
      expect(probeSummary(vp9Webm().path)).toMatchObject({ videoCodec: 'vp9', audioCodec: 'opus', formatName: 'matroska,webm' });
      expect(docType(vp9Webm())).toBe('webm');
    });

    it('makes an MP4 with its moov after mdat, and faststart ones with it before', () => {
      expect(topLevelBoxes(moovAtEndMp4().path)).toEqual(expect.arrayContaining(['ftyp', 'mdat', 'moov']));
      expect(moovBeforeMdat(moovAtEndMp4().path)).toBe(false);
      expect(probeSummary(moovAtEndMp4().path)).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac' });
      for (const f of [webSafeMp4(), webSafe720(), noAudioMp4(), tenBit(), rotatedPortrait()]) expect(moovBeforeMdat(f.path)).toBe(true);
    });

    it('makes a landscape-coded clip that is shown portrait', () => {
      const s = probeSummary(rotatedPortrait().path);
      expect(s).toMatchObject({ width: 320, height: 180, displayWidth: 180, displayHeight: 320, videoCodec: 'h264', audioCodec: 'aac' });
      expect(Math.abs(s.rotation)).toBe(90);
    });

    it('makes a 10-bit H.264 (High 10)', () => {
      expect(probeSummary(tenBit().path)).toMatchObject({
        videoCodec: 'h264',
        pixFmt: 'yuv420p10le',
        profile: 'High 10',
        audioCodec: 'aac',
      });
    });

    it('makes an MP4 without audio', () => {
      const { streams } = probe(noAudioMp4().path);
      expect(streams.map((s) => s.codec_type)).toEqual(['video']);
      expect(probeSummary(noAudioMp4().path).audioCodec).toBeNull();
    });

    it('makes web-safe MP4s at 320x180 and 1280x720', () => {
      expect(probeSummary(webSafeMp4().path)).toMatchObject({
        videoCodec: 'h264',
        pixFmt: 'yuv420p',
        audioCodec: 'aac',
        width: 320,
        height: 180,
      });
      const hd = probeSummary(webSafe720().path);
      expect(hd).toMatchObject({ videoCodec: 'h264', pixFmt: 'yuv420p', audioCodec: 'aac', width: 1280, height: 720 });
      expect(hd.duration).toBeCloseTo(3, 0);
    });

    it.each(Object.entries(realWorld))('%s lasts as long as it says and decodes cleanly', (name, make) => {
      const s = probeSummary(make().path);
      expect(s.duration).toBeGreaterThan(name === 'webSafe720' ? 2.8 : 1.8);
      expect(s.duration).toBeLessThan(name === 'webSafe720' ? 3.3 : 2.3);
      expect(name === 'webSafe720' || (s.displayWidth ?? 0) <= 320).toBe(true);
      expect(decodesCleanly(make().path)).toBe(true);
    });
  });

  describe('checkers', () => {
    it('decodesCleanly says no to a cut file', () => {
      const cut = join(scratch, 'cut.mp4');
      const bytes = moovAtEndMp4().buffer();
      writeFileSync(cut, bytes.subarray(0, bytes.length - 2000)); // the moov box, at the end, is cut short
      expect(decodesCleanly(cut)).toBe(false);
    });

    it('decodesCleanly plays an HLS playlist of local segments', () => {
      const dir = join(scratch, 'hls');
      const m3u8 = join(scratch, 'hls.m3u8');
      const r = spawnSync('ffmpeg', [
        '-nostdin',
        '-v',
        'error',
        '-i',
        webSafeMp4().path,
        '-c',
        'copy',
        '-hls_time',
        '1',
        '-hls_segment_filename',
        `${dir}-%d.ts`,
        '-f',
        'hls',
        m3u8,
      ]);
      expect(r.status).toBe(0);
      expect(decodesCleanly(m3u8)).toBe(true);
    });

    it('moovBeforeMdat reads 64-bit box sizes', () => {
      const box = (type: string, payload: number) => {
        const b = Buffer.alloc(8 + payload);
        b.writeUInt32BE(8 + payload);
        b.write(type, 4, 'latin1');
        return b;
      };
      const large = Buffer.alloc(16 + 10);
      large.writeUInt32BE(1);
      large.write('mdat', 4, 'latin1');
      large.writeBigUInt64BE(BigInt(large.length), 8);
      const file = join(scratch, 'large.mp4');
      writeFileSync(file, Buffer.concat([box('ftyp', 16), large, box('moov', 8)]));
      expect(topLevelBoxes(file)).toEqual(['ftyp', 'mdat', 'moov']);
      expect(moovBeforeMdat(file)).toBe(false);
      writeFileSync(file, Buffer.concat([box('ftyp', 16), box('moov', 8), large]));
      expect(moovBeforeMdat(file)).toBe(true);
    });

    it('probeSummary turns the displayed size by a rotation tag', () => {
      expect(probeSummary(webSafeMp4().path)).toMatchObject({ rotation: 0, displayWidth: 320, displayHeight: 180 });
    });
  });

  describe('hostile files', () => {
    const looksLikeMp4 = (b: Buffer) => b.toString('latin1', 4, 12) === 'ftypisom';

    it('hides a DASH manifest naming a local file behind an MP4 head', () => {
      const f = dashBehindMp4Head('/srv/secret.mp4');
      const b = f.buffer();
      expect(looksLikeMp4(b)).toBe(true);
      expect(b.readUInt32BE(0)).toBe(24);
      expect(b.toString('utf8')).toMatch(/<MPD[^>]*type="static"[\s\S]*<BaseURL>\/srv\/secret\.mp4<\/BaseURL>/);
      expect(dashBehindMp4Head().buffer().toString()).toContain('/etc/passwd');
      expect(dashBehindMp4Head('/etc/passwd', { mp4Head: false }).buffer().toString('latin1', 0, 5)).toBe('<?xml');
      const printable = dashBehindMp4Head('/etc/passwd', { printable: true }).buffer();
      expect(looksLikeMp4(printable) && !printable.subarray(0, 4).includes(0)).toBe(true);
    });

    it('hides an HLS playlist naming a local file behind an MP4 head', () => {
      const b = hlsBehindMp4Head('/etc/hostname').buffer();
      expect(looksLikeMp4(b)).toBe(true);
      expect(b.subarray(24).toString()).toMatch(/^#EXTM3U\n[\s\S]*\n\/etc\/hostname\n#EXT-X-ENDLIST/);
      expect(hlsBehindMp4Head('/etc/hostname', { mp4Head: false }).buffer().toString()).toMatch(/^#EXTM3U/);
    });

    it('writes ffconcat scripts with and without an MP4 head', () => {
      expect(ffconcatFile('/some/path.mp4').buffer().toString()).toBe("ffconcat version 1.0\nfile '/some/path.mp4'\n");
      const headed = ffconcatFile('/some/path.mp4', { mp4Head: true }).buffer();
      expect(looksLikeMp4(headed)).toBe(true);
      expect(headed.subarray(24).toString()).toMatch(/^ffconcat version 1\.0\n/);
      expect(ffconcatFile('/a.mp4').path).not.toBe(ffconcatFile('/b.mp4').path);
    });

    it('writes a live DASH manifest', () => {
      const text = readFileSync(dynamicDash('http://127.0.0.1:9/').path, 'utf8');
      expect(text).toMatch(/<MPD[^>]*type="dynamic"[^>]*availabilityStartTime="1970/);
      expect(text).toContain('<BaseURL>http://127.0.0.1:9/</BaseURL>');
      expect(text).toContain('$Number$');
      expect(text).not.toContain('initialization=');
    });

    it('writes a live DASH manifest that ffprobe spins on until killed', () => {
      const r = spawnSync('ffprobe', ['-v', 'quiet', dynamicDash().path], { timeout: 1500 });
      expect(r.signal).toBe('SIGTERM');
    });

    it('makes a small QuickTime file holding one 16000x16000 frame', () => {
      const f = hugeFrameMov();
      expect(statSync(f.path).size).toBeLessThan(100_000);
      expect(probeSummary(f.path)).toMatchObject({ width: 16000, height: 16000, audioCodec: null });
      expect(probe(f.path).streams[0].nb_frames).toBe('1');
    });
  });
});
