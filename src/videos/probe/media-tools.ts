import { Injectable, Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AppConfig } from '../../config/app-config.js';

const run = promisify(execFile);
const TOOL_TIMEOUT_MS = 60_000;

export interface MediaInfo {
  duration: number | null;
  width: number | null;
  height: number | null;
  codec: string | null;
}

/** A failure to decode a file, worded for the owner and the log (no paths, no raw tool output). */
export class MediaError extends Error {}

interface ProbeOutput {
  format?: { duration?: string };
  streams?: { codec_type?: string; codec_name?: string; width?: number; height?: number; duration?: string }[];
}

/** ffprobe and ffmpeg as child processes: the work runs off the event loop, bounded in time. */
@Injectable()
export class MediaTools {
  private readonly logger = new Logger(MediaTools.name);
  private availability?: Promise<boolean>;

  constructor(private readonly config: AppConfig) {}

  /** Whether both tools run; checked once, logged when they do not. */
  available(): Promise<boolean> {
    this.availability ??= Promise.all([
      run(this.config.ffprobePath, ['-version'], { timeout: 10_000 }),
      run(this.config.ffmpegPath, ['-version'], { timeout: 10_000 }),
    ]).then(
      () => true,
      (error: Error) => {
        this.logger.warn(`ffmpeg/ffprobe not usable (${error.message}): videos will be stored but not processed`);
        return false;
      },
    );
    return this.availability;
  }

  async probe(path: string, signal?: AbortSignal): Promise<MediaInfo> {
    let stdout: string;
    try {
      ({ stdout } = await run(this.config.ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path], {
        timeout: TOOL_TIMEOUT_MS,
        maxBuffer: 8 * 1024 * 1024,
        signal,
      }));
    } catch {
      throw new MediaError('ffprobe could not read the file');
    }
    const output = JSON.parse(stdout) as ProbeOutput;
    const video = output.streams?.find((stream) => stream.codec_type === 'video');
    if (!video) throw new MediaError('the file has no video stream');
    const duration = Number(output.format?.duration ?? video.duration);
    return {
      duration: Number.isFinite(duration) ? Math.round(duration * 1000) / 1000 : null,
      width: video.width ?? null,
      height: video.height ?? null,
      codec: video.codec_name ?? null,
    };
  }

  /** A JPEG of the frame at `seconds` (at most 640 wide), written to `output`. */
  async cover(path: string, seconds: number, output: string, signal?: AbortSignal): Promise<void> {
    try {
      await run(
        this.config.ffmpegPath,
        [
          '-v',
          'error',
          '-y',
          '-ss',
          String(seconds),
          '-i',
          path,
          '-frames:v',
          '1',
          '-vf',
          "scale='min(640,iw)':-2",
          '-q:v',
          '4',
          '-f',
          'image2',
          output,
        ],
        { timeout: TOOL_TIMEOUT_MS, signal },
      );
    } catch {
      throw new MediaError('ffmpeg could not extract a cover frame');
    }
  }
}
