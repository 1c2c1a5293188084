/**
 * The files people really upload, and some hostile ones, for the processing tests.
 *
 * Each generator makes its file once per machine (ffmpeg into a versioned tmp cache, written to a
 * partial file and renamed into place, so racing processes never see half a file) and returns a
 * {@link MediaFile}: its path, and its bytes on demand. Clips are 2 s (3 s for the 720p one),
 * small frames, a 440 Hz sine for audio; the whole set generates in a few seconds.
 *
 * The checkers read what a file really is with ffprobe/ffmpeg (no shell) and by walking MP4 boxes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** Bump when a generator changes what it makes: the cache directory is keyed by it. */
const VERSION = 1;
const dir = join(tmpdir(), `ps-media-v${VERSION}`);

export interface MediaFile {
  /** Absolute path of the cached file. */
  path: string;
  /** A name to upload it under (the cache name). */
  filename: string;
  /** The Content-Type a browser would send for it. */
  contentType: string;
  /** Its bytes (read from disk on each call). */
  buffer(): Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.flv': 'video/x-flv',
  '.ts': 'video/mp2t',
  '.mkv': 'video/x-matroska',
  '.webm': 'video/webm',
  '.mpd': 'application/dash+xml',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ffconcat': 'text/plain',
};

function mediaFile(path: string): MediaFile {
  const filename = path.slice(dir.length + 1);
  return {
    path,
    filename,
    contentType: CONTENT_TYPES[extname(filename)] ?? 'application/octet-stream',
    buffer: () => readFileSync(path),
  };
}

/** Runs a tool without a shell; on failure the error carries its stderr. */
function run(cmd: string, args: string[], timeout = 60_000): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
}

/**
 * Makes `name` once: `make(partial)` writes the file at `partial` (a name in the same directory),
 * which is then renamed into place, so a reader sees the whole file or none.
 */
function cached(name: string, make: (partial: string) => void): MediaFile {
  const file = join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    try {
      make(partial);
      renameSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
    }
  }
  return mediaFile(file);
}

/** An ffmpeg-made file: `args` are everything but the output, `format` its muxer. */
function ffmpegFile(name: string, format: string, args: string[]): MediaFile {
  return cached(name, (partial) => run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args, '-f', format, partial]));
}

/** A bytes-only file (the hostile ones): the same bytes always land at the same path. */
function bytesFile(name: string, bytes: Buffer): MediaFile {
  const tag = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  return cached(`${name.slice(0, dot)}-${tag}${name.slice(dot)}`, (partial) => writeFileSync(partial, bytes));
}

// ---- inputs --------------------------------------------------------------------------------------

const video = (size: string, seconds = 2, rate = 15) => ['-f', 'lavfi', '-i', `testsrc2=duration=${seconds}:size=${size}:rate=${rate}`];
const sine = (seconds = 2, rate = 44100) => ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}:sample_rate=${rate}`];
const x264 = (pixFmt = 'yuv420p', preset = 'veryfast') => ['-c:v', 'libx264', '-preset', preset, '-pix_fmt', pixFmt];
const aac = ['-c:a', 'aac', '-b:a', '64k'];
const mp3 = ['-c:a', 'libmp3lame', '-b:a', '64k'];

// ---- what people have ----------------------------------------------------------------------------

/** iPhone style: HEVC tagged hvc1 + AAC in QuickTime (major brand `qt  `), 320x180. */
export const hevcMov = () =>
  ffmpegFile('hevc-aac.mov', 'mov', [
    ...video('320x180'),
    ...sine(),
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error',
    '-pix_fmt',
    'yuv420p',
    '-tag:v',
    'hvc1',
    ...aac,
  ]);

/** An old camera/DivX-era file: MPEG-4 Part 2 (tagged XVID) + MP3 in AVI, 320x240. */
export const mpeg4Avi = () =>
  ffmpegFile('mpeg4-mp3.avi', 'avi', [...video('320x240'), ...sine(), '-c:v', 'mpeg4', '-q:v', '5', '-tag:v', 'XVID', ...mp3]);

/** Flash era, modern flavour: H.264 + AAC in FLV, 320x180. */
export const flvH264 = () => ffmpegFile('h264-aac.flv', 'flv', [...video('320x180'), ...sine(), ...x264(), ...aac]);

/** Flash era, old flavour: Sorenson Spark (FLV1) + MP3 in FLV, 320x240. */
export const flvSorenson = () => ffmpegFile('flv1-mp3.flv', 'flv', [...video('320x240'), ...sine(), '-c:v', 'flv1', '-q:v', '5', ...mp3]);

/** A broadcast/camcorder capture: H.264 + AAC in MPEG-TS, 320x180. */
export const mpegTs = () => ffmpegFile('h264-aac.ts', 'mpegts', [...video('320x180'), ...sine(), ...x264(), ...aac]);

/** H.264 + Opus in Matroska, 320x180. */
export const mkv = () =>
  ffmpegFile('h264-opus.mkv', 'matroska', [...video('320x180'), ...sine(2, 48000), ...x264(), '-c:a', 'libopus', '-b:a', '48k']);

/** H.264 + AAC MP4 as a camera writes it: no faststart, the moov box after mdat. */
export const moovAtEndMp4 = () =>
  cached('moov-at-end.mp4', (partial) => {
    run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...video('320x180'), ...sine(), ...x264(), ...aac, '-f', 'mp4', partial]);
    if (moovBeforeMdat(partial)) throw new Error('ffmpeg wrote moov before mdat without +faststart');
  });

let displayRotationOption: boolean | undefined;
/** `-display_rotation` (an input option) arrived in ffmpeg 6; 5.x takes the `rotate` stream tag. */
function hasDisplayRotation(): boolean {
  displayRotationOption ??= spawnSync('ffmpeg', ['-hide_banner', '-h', 'full'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout.includes(
    '-display_rotation',
  );
  return displayRotationOption;
}

/**
 * A phone held upright: coded 320x180 (landscape) with a 90° rotation in the track's display
 * matrix, so it is shown 180x320. Encoded landscape, then stream-copied with the rotation.
 */
export const rotatedPortrait = () =>
  cached('rotated-portrait.mp4', (partial) => {
    const landscape = `${partial}.landscape.mp4`;
    try {
      run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...video('320x180'), ...sine(), ...x264(), ...aac, '-f', 'mp4', landscape]);
      const copy = hasDisplayRotation()
        ? ['-display_rotation', '90', '-i', landscape, '-c', 'copy']
        : ['-i', landscape, '-c', 'copy', '-metadata:s:v:0', 'rotate=90'];
      run('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...copy, '-movflags', '+faststart', '-f', 'mp4', partial]);
    } finally {
      rmSync(landscape, { force: true });
    }
  });

/** H.264 High 10 (yuv420p10le) + AAC in MP4: browsers will not play it, it needs a transcode. */
export const tenBit = () =>
  ffmpegFile('h264-high10.mp4', 'mp4', [
    ...video('320x180'),
    ...sine(),
    ...x264('yuv420p10le'),
    '-profile:v',
    'high10',
    ...aac,
    '-movflags',
    '+faststart',
  ]);

/** VP9 + Opus in WebM, 320x180. */
export const vp9Webm = () =>
  ffmpegFile('vp9-opus.webm', 'webm', [
    ...video('320x180'),
    ...sine(2, 48000),
    '-c:v',
    'libvpx-vp9',
    '-b:v',
    '200k',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-c:a',
    'libopus',
    '-b:a',
    '48k',
  ]);

/** H.264 MP4 without an audio track (a screen recording), 320x180, faststart. */
export const noAudioMp4 = () => ffmpegFile('no-audio.mp4', 'mp4', [...video('320x180'), ...x264(), '-movflags', '+faststart']);

/** What a browser plays as is (a remux candidate): H.264 yuv420p + AAC, faststart, 320x180. */
export const webSafeMp4 = () =>
  ffmpegFile('web-safe.mp4', 'mp4', [...video('320x180'), ...sine(), ...x264(), ...aac, '-movflags', '+faststart']);

/** The same at 1280x720 for 3 s (an HLS ladder has rungs below it); ultrafast to stay cheap. */
export const webSafe720 = () =>
  ffmpegFile('web-safe-720.mp4', 'mp4', [
    ...video('1280x720', 3, 25),
    ...sine(3),
    ...x264('yuv420p', 'ultrafast'),
    ...aac,
    '-movflags',
    '+faststart',
  ]);

/** Every benign generator by name, for tables of tests. */
export const realWorld = {
  hevcMov,
  mpeg4Avi,
  flvH264,
  flvSorenson,
  mpegTs,
  mkv,
  moovAtEndMp4,
  rotatedPortrait,
  tenBit,
  vp9Webm,
  noAudioMp4,
  webSafeMp4,
  webSafe720,
} satisfies Record<string, () => MediaFile>;

// ---- hostile -------------------------------------------------------------------------------------

/**
 * 24 bytes that make a naive sniff say "MP4": a box size, `ftyp`, major brand `isom`, then
 * compatible brands. The size field starts with NUL bytes, so ffmpeg's text probes (they read the
 * probe buffer as a C string) see nothing after it; `printable` uses the size 0x20202020 (four
 * spaces) instead, so a text probe that searches the buffer (DASH's `<MPD`) sees the manifest too.
 */
export function mp4Head(printable = false): Buffer {
  const head = Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2', 'latin1');
  if (printable) head.write('    ', 0, 'latin1');
  return head;
}

export interface HostileOptions {
  /** Put {@link mp4Head} before the text (default: true for the `…BehindMp4Head` ones, false otherwise). */
  mp4Head?: boolean;
  /** With `mp4Head`: the head without NUL bytes (see {@link mp4Head}). */
  printable?: boolean;
}

function hostile(name: string, text: string, head: boolean, printable = false): MediaFile {
  const body = Buffer.from(text, 'utf8');
  return bytesFile(name, head ? Buffer.concat([mp4Head(printable), body]) : body);
}

const xmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** A static DASH manifest whose one representation is the local file `target`. */
export function dashManifest(target = '/etc/passwd'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-on-demand:2011" type="static" mediaPresentationDuration="PT2S" minBufferTime="PT2S">
  <Period id="0" start="PT0S">
    <AdaptationSet id="0" mimeType="video/mp4" segmentAlignment="true">
      <Representation id="0" bandwidth="100000" codecs="avc1.64000d" width="320" height="180">
        <BaseURL>${xmlAttr(target)}</BaseURL>
        <SegmentBase indexRange="0-100"><Initialization range="0-100"/></SegmentBase>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
`;
}

/** A DASH manifest naming a local file, behind an MP4-looking head unless `mp4Head: false`. */
export const dashBehindMp4Head = (target = '/etc/passwd', opts: HostileOptions = {}) =>
  hostile(
    opts.mp4Head === false ? 'local-file.mpd' : 'mp4-head-local-file.mpd',
    dashManifest(target),
    opts.mp4Head ?? true,
    opts.printable,
  );

/** A VOD HLS playlist whose one segment is the local file `target`. */
export function hlsPlaylist(target = '/etc/passwd'): string {
  return `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n${target}\n#EXT-X-ENDLIST\n`;
}

/** An HLS playlist naming a local file, behind an MP4-looking head unless `mp4Head: false`. */
export const hlsBehindMp4Head = (target = '/etc/passwd', opts: HostileOptions = {}) =>
  hostile(
    opts.mp4Head === false ? 'local-file.m3u8' : 'mp4-head-local-file.m3u8',
    hlsPlaylist(target),
    opts.mp4Head ?? true,
    opts.printable,
  );

/** An ffconcat script naming a local file; plain unless `mp4Head: true`. */
export const ffconcatFile = (target = '/etc/passwd', opts: HostileOptions = {}) =>
  hostile(
    opts.mp4Head ? 'mp4-head-local-file.ffconcat' : 'local-file.ffconcat',
    `ffconcat version 1.0\nfile '${target.replace(/'/g, "'\\''")}'\n`,
    opts.mp4Head ?? false,
    opts.printable,
  );

/**
 * A live (`type="dynamic"`) DASH manifest: available since 1970 with a 2 s SegmentTemplate and no
 * initialization segment, so a reader computes segment numbers near a billion and, when one fails
 * to open, tries the next, for ever (the kind that made ffprobe spin: ffprobe 5.1 on it, read as
 * DASH, busy-loops on one core until killed). `baseUrl` points its segments somewhere (default:
 * relative to the manifest).
 */
export const dynamicDash = (baseUrl?: string, opts: HostileOptions = {}) =>
  hostile(
    opts.mp4Head ? 'mp4-head-dynamic.mpd' : 'dynamic.mpd',
    `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="dynamic" availabilityStartTime="1970-01-01T00:00:00Z" publishTime="1970-01-01T00:00:00Z" minimumUpdatePeriod="PT1S" timeShiftBufferDepth="PT30S" minBufferTime="PT2S">
${baseUrl === undefined ? '' : `  <BaseURL>${xmlAttr(baseUrl)}</BaseURL>\n`}  <Period id="0" start="PT0S">
    <AdaptationSet id="0" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
      <Representation id="v0" bandwidth="100000" codecs="avc1.64000d" width="320" height="180">
        <SegmentTemplate timescale="1000" duration="2000" startNumber="1" media="seg-$RepresentationID$-$Number$.m4s"/>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
`,
    opts.mp4Head ?? false,
    opts.printable,
  );

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A black `size`x`size` PNG at 1 bit per pixel: ~32 MB of rows that deflate to ~30 KB. */
function blackPng(size: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.writeUInt8(1, 8); // bit depth 1
  ihdr.writeUInt8(0, 9); // greyscale; compression, filter, interlace: 0
  const rows = Buffer.alloc(size * (1 + Math.ceil(size / 8))); // each row: filter 0, then black pixels
  return Buffer.concat([
    Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * One 16000x16000 frame in a QuickTime file (~35 KB): a decoder that believes it allocates
 * ~256 M pixels (≥ 384 MB as yuv420p). Made cheaply: the frame is a 1-bit black PNG written here
 * with zlib (no encoder ever holds the big picture), then stream-copied into MOV by ffmpeg (the
 * copy decodes it once as 1-bit mono, ~32 MB). 16000 stays under ffmpeg's own size limit, so
 * ffprobe reports the dimensions instead of refusing the stream.
 */
export const hugeFrameMov = () =>
  cached('huge-frame-16000.mov', (partial) => {
    const png = `${partial}.png`;
    try {
      writeFileSync(png, blackPng(16000));
      run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'image2', '-c:v', 'png', '-i', png, '-c:v', 'copy', '-f', 'mov', partial]);
    } finally {
      rmSync(png, { force: true });
    }
  });

// ---- checkers ------------------------------------------------------------------------------------

/** One stream of ffprobe's JSON (the fields read here; ffprobe prints many more). */
export interface ProbeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  nb_frames?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  [field: string]: unknown;
}

export interface ProbeFormat {
  format_name: string;
  duration?: string;
  tags?: Record<string, string>;
  [field: string]: unknown;
}

/** ffprobe's `-show_streams -show_format` JSON for `path` (throws when ffprobe fails). */
export function probe(path: string, timeout = 30_000): { streams: ProbeStream[]; format: ProbeFormat } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path], {
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 << 20,
  });
  return JSON.parse(out);
}

export interface ProbeSummary {
  videoCodec: string | null;
  pixFmt: string | null;
  profile: string | null;
  /** Coded size. */
  width: number | null;
  height: number | null;
  /** Shown size: the coded size turned by the rotation (display matrix or `rotate` tag). */
  displayWidth: number | null;
  displayHeight: number | null;
  /** Degrees as ffprobe states them (display matrix first, else the `rotate` tag); 0 if none. */
  rotation: number;
  audioCodec: string | null;
  /** Seconds (the container's). */
  duration: number | null;
  /** ffprobe's format_name, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName: string;
  /** The ISO BMFF/QuickTime major brand (`qt  `, `isom`), when the container has one. */
  majorBrand: string | null;
}

/** What `path` is, in the terms the processing pipeline decides by. */
export function probeSummary(path: string): ProbeSummary {
  const { streams, format } = probe(path);
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === 'audio');
  const matrix = v?.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && typeof d.rotation === 'number');
  const rotation = matrix?.rotation ?? (v?.tags?.rotate ? Number(v.tags.rotate) : 0);
  const width: number | null = v?.width ?? null;
  const height: number | null = v?.height ?? null;
  const quarter = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  const num = (x: unknown) => (x === undefined || x === 'N/A' ? null : Number(x));
  return {
    videoCodec: v?.codec_name ?? null,
    pixFmt: v?.pix_fmt ?? null,
    profile: v?.profile ?? null,
    width,
    height,
    displayWidth: quarter ? height : width,
    displayHeight: quarter ? width : height,
    rotation,
    audioCodec: a?.codec_name ?? null,
    duration: num(format.duration),
    formatName: format.format_name,
    majorBrand: format.tags?.major_brand ?? null,
  };
}

/** The top-level ISO BMFF boxes of `path` in order (types only), reading box headers alone. */
export function topLevelBoxes(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const types: string[] = [];
    const head = Buffer.alloc(16);
    let at = 0;
    for (;;) {
      const n = readSync(fd, head, 0, 16, at);
      if (n < 8) break;
      const type = head.toString('latin1', 4, 8);
      let size = head.readUInt32BE(0);
      if (size === 1) {
        if (n < 16) break;
        size = Number(head.readBigUInt64BE(8)); // 64-bit largesize
      } else if (size === 0) {
        types.push(type); // runs to the end of the file
        break;
      }
      if (size < 8) throw new Error(`${path}: box '${type}' at ${at} has size ${size}`);
      types.push(type);
      at += size;
    }
    return types;
  } finally {
    closeSync(fd);
  }
}

/** Whether the moov box comes before the (first) mdat box: a browser can start playing at once. */
export function moovBeforeMdat(path: string): boolean {
  const boxes = topLevelBoxes(path);
  const moov = boxes.indexOf('moov');
  const mdat = boxes.indexOf('mdat');
  if (moov < 0) throw new Error(`${path} has no top-level moov box (${boxes.join(' ')})`);
  return mdat < 0 || moov < mdat;
}

/**
 * Whether ffmpeg decodes all of `path` (every stream) without a single error: exit 0, nothing on
 * stderr at `-v error`. An HLS playlist (.m3u8) may name its segments by any extension but only
 * through the file protocol.
 */
export function decodesCleanly(path: string, timeout = 60_000): boolean {
  const hls = path.endsWith('.m3u8') ? ['-allowed_extensions', 'ALL', '-protocol_whitelist', 'file'] : [];
  const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', ...hls, '-i', path, '-f', 'null', '-'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout,
  });
  return r.status === 0 && r.stderr.trim() === '';
}
