import { MediaError, type ProbeOutput, type ProbedStream } from './media-tools.js';

/** What processing needs to know of an upload, read from ffprobe's output. */
export interface SourceInfo {
  duration: number | null;
  /** The displayed size: the coded size turned by the rotation. */
  width: number;
  height: number;
  rotated: boolean;
  videoCodec: string;
  pixFmt: string | null;
  profile: string | null;
  audioCodec: string | null;
}

export interface Rung {
  /** The rung's short side in pixels, and its folder name (`360p`). */
  short: number;
  name: string;
  /** false: the web-safe MP4 itself, cut into segments without re-encoding. */
  transcode: boolean;
  /** Bit rate cap for a transcoded rung, in kbit/s. */
  maxrateK: number;
}

/** Pixel formats every browser decodes in H.264 (8-bit 4:2:0). */
const WEB_PIXEL_FORMATS = new Set(['yuv420p', 'yuvj420p']);
const WEB_H264_PROFILES = new Set(['Constrained Baseline', 'Baseline', 'Main', 'High']);
const WEB_AUDIO = new Set(['aac']);

/** Rotation in degrees from the display matrix (ffprobe 5+) or the legacy `rotate` tag. */
function rotationOf(stream: ProbedStream): number {
  const matrix = stream.side_data_list?.find((data) => typeof data.rotation === 'number');
  const degrees = matrix?.rotation ?? Number(stream.tags?.rotate ?? 0);
  return Number.isFinite(degrees) ? ((Math.round(degrees) % 360) + 360) % 360 : 0;
}

/** The facts of the first real video stream (cover art excluded); MediaError when there is none or it is too large. */
export function describeSource(probe: ProbeOutput, maxPixels: number): SourceInfo {
  const streams = probe.streams ?? [];
  const video = streams.find((stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic);
  if (!video?.codec_name) throw new MediaError('the file has no video stream');
  // A frame over MAX_PIXELS is refused by the decoder (-max_pixels), which then reports no size.
  if (!video.width || !video.height) throw new MediaError('the picture is too large or damaged');
  if (video.width * video.height > maxPixels) throw new MediaError('the picture is too large or damaged');
  const audio = streams.find((stream) => stream.codec_type === 'audio');
  const rotation = rotationOf(video);
  const rotated = rotation % 180 === 90;
  const duration = Number(probe.format?.duration ?? video.duration);
  return {
    duration: Number.isFinite(duration) && duration > 0 ? Math.round(duration * 1000) / 1000 : null,
    width: rotated ? video.height : video.width,
    height: rotated ? video.width : video.height,
    rotated: rotation !== 0,
    videoCodec: video.codec_name,
    pixFmt: video.pix_fmt ?? null,
    profile: video.profile ?? null,
    audioCodec: audio?.codec_name ?? null,
  };
}

/** The video stream can be copied into the web MP4 as it is: 8-bit 4:2:0 H.264, upright, even-sized. */
export function videoIsWebSafe(source: SourceInfo): boolean {
  return (
    source.videoCodec === 'h264' &&
    WEB_PIXEL_FORMATS.has(source.pixFmt ?? '') &&
    WEB_H264_PROFILES.has(source.profile ?? '') &&
    !source.rotated &&
    source.width % 2 === 0 &&
    source.height % 2 === 0
  );
}

export function audioIsWebSafe(source: SourceInfo): boolean {
  return source.audioCodec === null || WEB_AUDIO.has(source.audioCodec);
}

/** A bit rate cap by rung size, about what streaming services use for H.264 at 30 fps. */
function maxrateFor(short: number): number {
  if (short <= 240) return 400;
  if (short <= 360) return 800;
  if (short <= 480) return 1400;
  if (short <= 720) return 2800;
  if (short <= 1080) return 5000;
  if (short <= 1440) return 9000;
  return 16000;
}

/** A copied top rung may run this far over its size's cap before it is re-encoded to the cap. */
const COPY_HEADROOM = 1.5;

/**
 * The HLS ladder for a source: each configured size below the source's short side, transcoded,
 * and the source size itself, segmented from the web MP4 without re-encoding when its bit rate
 * (`mp4Kbps`) is within reach of that size's cap, else re-encoded to the cap (a phone's 17 Mbit/s
 * would make every segment, and so every seek, several megabytes). Never above the source.
 */
export function ladderFor(source: SourceInfo, ladder: number[], mp4Kbps: number | null = null): Rung[] {
  const short = Math.min(source.width, source.height);
  const below = ladder.filter((size) => size < short);
  const topCap = maxrateFor(short);
  return [
    ...below.map((size) => ({ short: size, name: `${size}p`, transcode: true, maxrateK: maxrateFor(size) })),
    { short, name: `${short}p`, transcode: mp4Kbps !== null && mp4Kbps > topCap * COPY_HEADROOM, maxrateK: topCap },
  ];
}

/** A scale filter to a rung: the short side to `short` pixels, the other even, aspect kept. */
export function scaleTo(source: SourceInfo, short: number): string {
  return source.width >= source.height ? `scale=-2:${short}` : `scale=${short}:-2`;
}
