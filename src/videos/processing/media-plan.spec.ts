import { audioIsWebSafe, describeSource, ladderFor, scaleTo, videoIsWebSafe } from './media-plan.js';
import { MediaError, type ProbeOutput } from './media-tools.js';

const probe = (video: Record<string, unknown>, audio: string | null = 'aac', duration = '12.3456'): ProbeOutput => ({
  format: { duration },
  streams: [
    { index: 0, codec_type: 'video', codec_name: 'h264', profile: 'High', pix_fmt: 'yuv420p', width: 1920, height: 1080, ...video },
    ...(audio ? [{ index: 1, codec_type: 'audio', codec_name: audio }] : []),
  ],
});

describe('describeSource', () => {
  it('reads the displayed size, codec, audio and duration', () => {
    expect(describeSource(probe({}), 1e9)).toEqual({
      duration: 12.346,
      width: 1920,
      height: 1080,
      rotated: false,
      videoCodec: 'h264',
      pixFmt: 'yuv420p',
      profile: 'High',
      audioCodec: 'aac',
    });
  });

  it.each([
    ['a display matrix of -90°', { side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }],
    ['a display matrix of 90°', { side_data_list: [{ rotation: 90 }] }],
    ['a legacy rotate tag', { tags: { rotate: '270' } }],
  ])('turns the size of a clip rotated by %s', (_name, rotation) => {
    expect(describeSource(probe(rotation), 1e9)).toMatchObject({ width: 1080, height: 1920, rotated: true });
  });

  it('keeps the size of a clip turned upside down, but knows it is rotated', () => {
    expect(describeSource(probe({ side_data_list: [{ rotation: 180 }] }), 1e9)).toMatchObject({ width: 1920, height: 1080, rotated: true });
  });

  it('skips cover art and takes the real video stream', () => {
    const output = probe({});
    output.streams!.unshift({
      index: 2,
      codec_type: 'video',
      codec_name: 'mjpeg',
      width: 600,
      height: 600,
      disposition: { attached_pic: 1 },
    });
    expect(describeSource(output, 1e9)).toMatchObject({ videoCodec: 'h264', width: 1920 });
  });

  it.each([
    ['no video stream', { streams: [{ index: 0, codec_type: 'audio', codec_name: 'aac' }] }, 'the file has no video stream'],
    ['a frame the decoder refused (no size)', probe({ width: 0, height: 0 }), 'the picture is too large or damaged'],
    ['a frame over the pixel limit', probe({ width: 16000, height: 16000 }), 'the picture is too large or damaged'],
  ])('refuses %s with a reason for the owner', (_name, output, reason) => {
    expect(() => describeSource(output, 8192 * 4320)).toThrow(new MediaError(reason));
  });

  it('gives a null duration when the container has none', () => {
    expect(describeSource(probe({}, 'aac', 'N/A'), 1e9).duration).toBeNull();
  });
});

describe('what is copied and what is re-encoded', () => {
  it.each([
    ['8-bit 4:2:0 H.264, upright', {}, true],
    ['full-range yuvj420p', { pix_fmt: 'yuvj420p' }, true],
    ['HEVC', { codec_name: 'hevc', profile: 'Main' }, false],
    ['10-bit H.264', { pix_fmt: 'yuv420p10le', profile: 'High 10' }, false],
    ['4:2:2 H.264', { pix_fmt: 'yuv422p', profile: 'High 4:2:2' }, false],
    ['a rotated H.264 phone clip', { side_data_list: [{ rotation: -90 }] }, false],
    ['an odd width', { width: 853 }, false],
    ['MPEG-4 Part 2', { codec_name: 'mpeg4', profile: 'Simple Profile' }, false],
  ])('video: %s → copied %s', (_name, video, copied) => {
    expect(videoIsWebSafe(describeSource(probe(video), 1e9))).toBe(copied);
  });

  it.each([
    ['aac', true],
    [null, true],
    ['mp3', false],
    ['opus', false],
  ])('audio: %s → copied %s', (audio, copied) => {
    expect(audioIsWebSafe(describeSource(probe({}, audio), 1e9))).toBe(copied);
  });
});

describe('ladderFor', () => {
  const ladder = [360, 720, 1080];
  const source = (width: number, height: number) => describeSource(probe({ width, height }), 1e9);

  it('transcodes each configured size below the source and copies the source size', () => {
    expect(ladderFor(source(1920, 1080), ladder)).toEqual([
      { short: 360, name: '360p', transcode: true, maxrateK: 800 },
      { short: 720, name: '720p', transcode: true, maxrateK: 2800 },
      { short: 1080, name: '1080p', transcode: false, maxrateK: 5000 },
    ]);
  });

  it('re-encodes the top rung to its cap when the source runs far over it, and copies it otherwise', () => {
    expect(ladderFor(source(1280, 720), ladder, 17_000).at(-1)).toEqual({ short: 720, name: '720p', transcode: true, maxrateK: 2800 });
    expect(ladderFor(source(1280, 720), ladder, 4000).at(-1)).toMatchObject({ name: '720p', transcode: false });
    expect(ladderFor(source(1280, 720), ladder, null).at(-1)).toMatchObject({ name: '720p', transcode: false });
  });

  it('never goes above the source: a small clip is one copied rung', () => {
    expect(ladderFor(source(320, 240), ladder).map((rung) => [rung.name, rung.transcode])).toEqual([['240p', false]]);
  });

  it('measures portrait clips by their short side, and scales them by it', () => {
    const portrait = source(1080, 1920);
    expect(ladderFor(portrait, ladder).map((rung) => rung.name)).toEqual(['360p', '720p', '1080p']);
    expect(scaleTo(portrait, 360)).toBe('scale=360:-2');
    expect(scaleTo(source(1920, 1080), 360)).toBe('scale=-2:360');
  });
});
