import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../../config/app-config.js';
import { demuxerFor } from '../container.js';
import { Metrics } from '../../infra/metrics.js';
import { randomToken } from '../../infra/random-token.js';
import { StorageService } from '../../infra/storage/storage.service.js';
import type { ProcessingStage, Video } from '../video.entity.js';
import { VideoRepository } from '../video.repository.js';
import { audioIsWebSafe, describeSource, ladderFor, scaleTo, videoIsWebSafe, type Rung, type SourceInfo } from './media-plan.js';
import { MediaError, MediaTools, ToolAborted } from './media-tools.js';
import { processAlive } from '../../infra/process-alive.js';

export type Progress = (stage: ProcessingStage, percent: number) => void;

/** What became of one run of the pipeline. */
export type Outcome = 'ready' | 'failed' | 'superseded';

/** How far each stage takes the overall percentage. */
const STAGES: Record<Exclude<ProcessingStage, 'queued'>, [number, number]> = {
  probe: [0, 5],
  transcode: [5, 65],
  package: [65, 95],
  cover: [95, 100],
};
/** Short segments: a seek loads one (transcoded rungs have a keyframe every 2 s). */
const SEGMENT_SECONDS = 2;
/** Progress is written to the row at most this often. */
const PROGRESS_EVERY_MS = 1000;
const WORK_DIR = 'work';

/** A new storage prefix per attempt: two attempts that race on one video never share a file. */
const newRenditionKey = (videoId: string) => `renditions/${videoId}/${randomToken(6, 'hex')}`;

/**
 * One processing run of a video, the same whichever engine runs it (BullMQ or in-process): probe
 * the original as the container its upload was sniffed as; make a web-safe MP4 (a remux when the
 * streams already are, else H.264/AAC), an HLS ladder cut from it, and a cover from it; put them
 * in storage under a new prefix; and only then switch the row to them, if the row still belongs
 * to this run. Work happens in DATA_DIR/work/<host>~<pid>~<random>, swept when its process died.
 */
@Injectable()
export class VideoPipeline implements OnApplicationBootstrap {
  private readonly logger = new Logger(VideoPipeline.name);
  private readonly host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');
  private readonly workRoot: string;

  constructor(
    private readonly videos: VideoRepository,
    private readonly storage: StorageService,
    private readonly tools: MediaTools,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.workRoot = join(config.dataDir, WORK_DIR);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.storage.sweepPartials();
    await this.sweepWorkDirs();
  }

  /** Runs the pipeline (below), timed for /metrics by outcome. */
  run(videoId: string, run: string | null, signal: AbortSignal, onProgress?: Progress): Promise<Outcome> {
    return this.metrics.timeJob(this.attempt(videoId, run, signal, onProgress));
  }

  /**
   * Runs the pipeline for the video's run `run` (null: whatever run the row has now). Media
   * problems end the row `failed` with a reason; other errors (storage, database) throw, for the
   * engine to retry. An abort leaves the row as it was.
   */
  private async attempt(videoId: string, run: string | null, signal: AbortSignal, onProgress?: Progress): Promise<Outcome> {
    const video = await this.videos.findById(videoId);
    if (!video || video.status !== 'processing' || (run !== null && video.run !== run)) return 'superseded';
    const current = video.run;
    const report = this.progressWriter(video.id, current, onProgress);
    const work = join(this.workRoot, `${this.host}~${process.pid}~${randomToken(6, 'hex')}`);
    let renditionKey: string | null = null;
    try {
      if (!(await this.tools.available())) return await this.fail(video, current, 'ffmpeg is not installed on the server');
      const demuxer = demuxerFor(video.mime);
      if (!demuxer) return await this.fail(video, current, 'the file is not a video this server reads');
      if (!(await this.storage.stat(video.storageKey))) return await this.fail(video, current, 'the stored file is missing');
      await mkdir(work, { recursive: true });

      report('probe', 0);
      const original = await this.localCopy(video.storageKey, work);
      const source = describeSource(await this.tools.probe(original, demuxer, signal), this.config.maxPixels);
      report('probe', 1);

      const out = join(work, 'out');
      await mkdir(join(out, 'hls'), { recursive: true });
      const mp4 = join(out, 'video.mp4');
      await this.webMp4(original, demuxer, source, mp4, signal, (fraction) => report('transcode', fraction));
      const mp4Kbps = source.duration ? ((await stat(mp4)).size * 8) / 1000 / source.duration : null;
      const rungs = ladderFor(source, this.config.hlsLadder, mp4Kbps);
      await this.hlsLadder(mp4, source, rungs, join(out, 'hls'), signal, (fraction) => report('package', fraction));
      report('cover', 0);
      await this.cover(mp4, source, join(out, 'cover.jpg'), signal);
      report('cover', 1);

      renditionKey = newRenditionKey(video.id);
      const renditionBytes = await this.upload(out, renditionKey);
      const finished = await this.videos.finishRun(video.id, current, {
        duration: source.duration,
        width: source.width,
        height: source.height,
        codec: source.videoCodec,
        renditionKey,
        coverKey: `${renditionKey}/cover.jpg`,
        renditionBytes,
      });
      if (!finished) {
        // Deleted, reprocessed or finished by another worker meanwhile: what this attempt made goes.
        await this.storage.deletePrefix(renditionKey);
        return 'superseded';
      }
      await this.dropPrevious(video);
      return 'ready';
    } catch (error) {
      if (renditionKey) await this.storage.deletePrefix(renditionKey).catch(() => undefined);
      if (error instanceof ToolAborted || signal.aborted) throw new ToolAborted('processing stopped');
      if (error instanceof MediaError) return await this.fail(video, current, error.message);
      if (this.isToolFailure(error)) {
        this.logger.warn(`Video ${video.id}: ${(error as Error).message}`);
        return await this.fail(video, current, 'the video could not be decoded');
      }
      throw error;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /**
   * Whether the original holds a video a run could decode: the run's own first step (a bounded,
   * sandboxed probe). Null when it cannot tell here (no local copy on S3, no ffmpeg): the run
   * itself then finds out and says why in `failure`.
   */
  async canDecode(video: Pick<Video, 'mime' | 'storageKey'>): Promise<boolean | null> {
    const demuxer = demuxerFor(video.mime);
    const path = this.storage.localPath(video.storageKey);
    if (!demuxer || !path || !(await this.tools.available())) return null;
    try {
      describeSource(await this.tools.probe(path, demuxer), this.config.maxPixels);
      return true;
    } catch (error) {
      if (error instanceof MediaError) return false;
      throw error;
    }
  }

  /**
   * The frame `seconds` into the video's web MP4, as a JPEG (a cover chosen by its owner); null
   * when the video has no renditions yet.
   */
  async frameAt(video: Pick<Video, 'id' | 'renditionKey'>, seconds: number): Promise<Buffer | null> {
    if (!video.renditionKey) return null;
    const work = join(this.workRoot, `${this.host}~${process.pid}~${randomToken(6, 'hex')}`);
    await mkdir(work, { recursive: true });
    try {
      const mp4 = await this.localCopy(`${video.renditionKey}/video.mp4`, work);
      const output = join(work, 'frame.jpg');
      await this.tools.ffmpeg(
        [
          '-ss',
          seconds.toFixed(3),
          ...this.tools.inputArgs(mp4, 'mov'),
          '-frames:v',
          '1',
          '-vf',
          "scale='min(1280,iw)':-2",
          '-q:v',
          '3',
          '-f',
          'image2',
          `file:${output}`,
        ],
        { signal: AbortSignal.timeout(60_000), timeoutS: 60 },
      );
      const frame = await readFile(output).catch(() => null);
      if (!frame?.length) throw new MediaError('the video has no frame there');
      return frame;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Marks the run failed with a short reason (the owner sees it); the original stays downloadable. */
  async fail(video: Pick<Video, 'id'>, run: string | null, reason: string): Promise<'failed'> {
    this.logger.warn(`Video ${video.id} failed processing: ${reason}`);
    await this.videos.failRun(video.id, run, reason);
    return 'failed';
  }

  /** Removes work folders of processes on this host that are gone (a crash, a SIGKILLed worker). */
  async sweepWorkDirs(): Promise<void> {
    const names = await readdir(this.workRoot).catch(() => [] as string[]);
    for (const name of names) {
      const [host, pid] = name.split('~');
      if (host === this.host && !processAlive(Number(pid))) await rm(join(this.workRoot, name), { recursive: true, force: true });
    }
  }

  /** A tool that ran and exited badly on this file (not one that could not start). */
  private isToolFailure(error: unknown): boolean {
    return error instanceof Error && /^(ffmpeg|ffprobe) /.test(error.message);
  }

  private progressWriter(videoId: string, run: string | null, onProgress?: Progress) {
    let lastWrite = 0;
    let lastPercent = -1;
    return (stage: Exclude<ProcessingStage, 'queued'>, fraction: number) => {
      const [from, to] = STAGES[stage];
      const percent = Math.min(99, Math.floor(from + (to - from) * Math.max(0, Math.min(1, fraction))));
      if (percent === lastPercent && fraction !== 0) return;
      lastPercent = percent;
      onProgress?.(stage, percent);
      const now = Date.now();
      if (now - lastWrite < PROGRESS_EVERY_MS && fraction !== 0) return;
      lastWrite = now;
      // Progress is a courtesy: a failed write never fails the run.
      void this.videos.reportProgress(videoId, run, stage, percent).catch(() => undefined);
    };
  }

  /** The original on local disk: in place, or downloaded into the work folder (S3). */
  private async localCopy(key: string, work: string): Promise<string> {
    const path = this.storage.localPath(key);
    if (path) return path;
    const file = join(work, 'original');
    await pipeline(await this.storage.openRead(key), createWriteStream(file));
    return file;
  }

  /** H.264 8-bit 4:2:0 + AAC, faststart: streams copied when they already are, re-encoded otherwise. */
  private async webMp4(
    input: string,
    demuxer: string,
    source: SourceInfo,
    output: string,
    signal: AbortSignal,
    progress: (fraction: number) => void,
  ): Promise<void> {
    // Even sizes (x264 needs them); rotation is applied by ffmpeg's autorotate.
    const video = videoIsWebSafe(source) ? ['-c:v', 'copy'] : this.x264('scale=trunc(iw/2)*2:trunc(ih/2)*2', ['-profile:v', 'high']);
    const audio = source.audioCodec === null ? [] : audioIsWebSafe(source) ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', '128k', '-ac', '2'];
    await this.tools.ffmpeg(
      [
        ...this.tools.inputArgs(input, demuxer),
        '-map',
        '0:V:0',
        ...(source.audioCodec === null ? [] : ['-map', '0:a:0']),
        '-map_metadata',
        '-1',
        '-map_chapters',
        '-1',
        ...video,
        ...audio,
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        `file:${output}`,
      ],
      { signal, onProgress: this.fractionOf(source, progress) },
    );
  }

  /** H.264 8-bit 4:2:0 through `filter`, with a keyframe every 2 s so that every rung's segments start on one. */
  private x264(filter: string, extra: string[]): string[] {
    return [
      ...['-vf', filter, '-c:v', 'libx264', '-preset', this.config.transcodePreset, '-crf', String(this.config.transcodeCrf)],
      ...['-pix_fmt', 'yuv420p', '-force_key_frames', 'expr:gte(t,n_forced*2)', ...extra],
    ];
  }

  /** One HLS (fMP4) playlist per rung and the master playlist naming them. */
  private async hlsLadder(
    mp4: string,
    source: SourceInfo,
    rungs: Rung[],
    dir: string,
    signal: AbortSignal,
    progress: (fraction: number) => void,
  ): Promise<void> {
    const variants: string[] = [];
    for (const [index, rung] of rungs.entries()) {
      const rungDir = join(dir, rung.name);
      await mkdir(rungDir, { recursive: true });
      const codec = rung.transcode
        ? [
            ...this.x264(scaleTo(source, rung.short), ['-maxrate', `${rung.maxrateK}k`, '-bufsize', `${rung.maxrateK * 2}k`]),
            ...['-c:a', 'aac', '-b:a', '96k', '-ac', '2'],
          ]
        : ['-c', 'copy'];
      await this.tools.ffmpeg(
        [
          ...this.tools.inputArgs(mp4, 'mov'),
          '-map',
          '0',
          ...codec,
          '-f',
          'hls',
          '-hls_time',
          String(SEGMENT_SECONDS),
          '-hls_playlist_type',
          'vod',
          '-hls_segment_type',
          'fmp4',
          '-hls_fmp4_init_filename',
          'init.mp4',
          '-hls_segment_filename',
          'seg_%05d.m4s',
          '-hls_flags',
          'independent_segments',
          'index.m3u8',
        ],
        { signal, cwd: rungDir, onProgress: this.fractionOf(source, (fraction) => progress((index + fraction) / rungs.length)) },
      );
      variants.push(await this.variantLine(rungDir, rung, source));
    }
    const master = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS', ...variants.reverse(), ''].join('\n');
    await writeFile(join(dir, 'master.m3u8'), master);
  }

  /** The master playlist's entry for a rung: its peak and average bit rate measured from its segments. */
  private async variantLine(rungDir: string, rung: Rung, source: SourceInfo): Promise<string> {
    const playlist = await readFile(join(rungDir, 'index.m3u8'), 'utf8');
    const init = (await stat(join(rungDir, 'init.mp4'))).size;
    let peak = 0;
    let bits = 0;
    let seconds = 0;
    let duration = 0;
    for (const line of playlist.split('\n')) {
      const extinf = /^#EXTINF:([\d.]+)/.exec(line);
      if (extinf) duration = Number(extinf[1]);
      else if (/^seg_\d{5}\.m4s$/.test(line.trim())) {
        const size = (await stat(join(rungDir, line.trim()))).size * 8;
        bits += size;
        seconds += duration;
        if (duration > 0) peak = Math.max(peak, size / duration);
      }
    }
    const average = seconds > 0 ? (bits + init * 8) / seconds : 0;
    const scale = rung.short / Math.min(source.width, source.height);
    const width = 2 * Math.round((source.width * scale) / 2);
    const height = 2 * Math.round((source.height * scale) / 2);
    return [
      `#EXT-X-STREAM-INF:BANDWIDTH=${Math.ceil(Math.max(peak, average, 1))},AVERAGE-BANDWIDTH=${Math.ceil(Math.max(average, 1))},RESOLUTION=${width}x${height}`,
      `${rung.name}/index.m3u8`,
    ].join('\n');
  }

  /** A JPEG from about 1 s in (the first frame of a shorter clip), at most 640 wide, upright. */
  private async cover(mp4: string, source: SourceInfo, output: string, signal: AbortSignal): Promise<void> {
    for (const at of source.duration !== null && source.duration > 1 ? [1, 0] : [0]) {
      await this.tools.ffmpeg(
        [
          '-ss',
          String(at),
          ...this.tools.inputArgs(mp4, 'mov'),
          '-frames:v',
          '1',
          '-vf',
          "scale='min(640,iw)':-2",
          '-q:v',
          '4',
          '-f',
          'image2',
          `file:${output}`,
        ],
        { signal, timeoutS: 60 },
      );
      if ((await stat(output).catch(() => null))?.size) return;
    }
    throw new MediaError('the video has no frame to show');
  }

  /** Every file of the output folder into storage under `prefix`, each saved atomically; resolves with the bytes stored. */
  private async upload(dir: string, prefix: string): Promise<number> {
    let bytes = 0;
    // Names, then stat: Node 20's recursive readdir with file types misses nested entries.
    for (const name of await readdir(dir, { recursive: true, encoding: 'utf8' })) {
      const path = join(dir, name);
      if ((await stat(path)).isFile()) bytes += await this.storage.save(`${prefix}/${name.split(sep).join('/')}`, createReadStream(path));
    }
    return bytes;
  }

  /** The renditions (and a v1 cover) the row named before this run replaced them. */
  private async dropPrevious(video: Video): Promise<void> {
    try {
      if (video.renditionKey) await this.storage.deletePrefix(video.renditionKey);
      if (video.coverKey && !video.coverKey.startsWith('renditions/')) await this.storage.delete(video.coverKey);
    } catch (error) {
      // Nothing names them any more: the orphan sweep takes them later.
      this.logger.warn(`Video ${video.id}: earlier renditions stayed: ${(error as Error).message}`);
    }
  }

  private fractionOf(source: SourceInfo, progress: (fraction: number) => void) {
    return (seconds: number) => {
      if (source.duration) progress(seconds / source.duration);
    };
  }
}
