import { Injectable, Logger } from '@nestjs/common';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import { promisify } from 'node:util';
import { AppConfig } from '../../config/app-config.js';

const execFileAsync = promisify(execFile);
/** A probe reads headers and at most a few frames: anything slower is hostile. */
const PROBE_TIMEOUT_S = 20;
const PROBE_CPU_S = 15;
/** The stderr kept for the log: enough for a reason, never sent to a client. */
const STDERR_KEEP = 2000;
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((path) => existsSync(path));

/** A failure to decode a file, worded for the owner and the log (no paths, no raw tool output). */
export class MediaError extends Error {}

/** A run stopped from outside (shutdown, job cancelled): not the file's fault. */
export class ToolAborted extends Error {}

export interface ProbedStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  duration?: string;
  bit_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

export interface ProbeOutput {
  format?: { duration?: string; format_name?: string };
  streams?: ProbedStream[];
}

export interface RunOptions {
  /** Wall-clock limit for this run, in seconds (the config's limit when absent). */
  timeoutS?: number;
  cpuS?: number;
  cwd?: string;
  signal?: AbortSignal;
  /** Called with each `out_time` ffmpeg's `-progress` reports, in seconds. */
  onProgress?: (seconds: number) => void;
}

/**
 * ffprobe and ffmpeg as sandboxed child processes. Every run reads its input as the container the
 * upload's sniff found (`-f`), through the `file` protocol only (no playlists, manifests, concat
 * lists or network), refuses frames above MAX_PIXELS, and runs under prlimit (address space, CPU
 * seconds), at a lower priority, killed at its wall-time limit. No shell is involved.
 */
@Injectable()
export class MediaTools {
  private readonly logger = new Logger(MediaTools.name);
  private availability?: Promise<boolean>;

  constructor(private readonly config: AppConfig) {}

  /** Whether both tools run; checked once, logged when they do not. */
  available(): Promise<boolean> {
    this.availability ??= Promise.all([
      execFileAsync(this.config.ffprobePath, ['-version'], { timeout: 10_000 }),
      execFileAsync(this.config.ffmpegPath, ['-version'], { timeout: 10_000 }),
    ]).then(
      () => true,
      (error: Error) => {
        this.logger.warn(`ffmpeg/ffprobe not usable (${error.message}): videos will be stored but not processed`);
        return false;
      },
    );
    return this.availability;
  }

  /** The options that pin an input down: its demuxer, the file protocol alone, the frame-size cap. */
  inputArgs(path: string, demuxer: string): string[] {
    return [
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      demuxer,
      '-f',
      demuxer,
      '-max_pixels',
      String(this.config.maxPixels),
      '-i',
      `file:${path}`,
    ];
  }

  /** ffprobe's JSON description of the file's format and streams. */
  async probe(path: string, demuxer: string, signal?: AbortSignal): Promise<ProbeOutput> {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...this.inputArgs(path, demuxer)];
    const { stdout } = await this.run(this.config.ffprobePath, args, { timeoutS: PROBE_TIMEOUT_S, cpuS: PROBE_CPU_S, signal }).catch(
      (error: Error) => {
        if (error instanceof ToolAborted) throw error;
        throw new MediaError('the file could not be read as a video');
      },
    );
    try {
      return JSON.parse(stdout) as ProbeOutput;
    } catch {
      throw new MediaError('the file could not be read as a video');
    }
  }

  /** Runs ffmpeg with the given arguments (after the common ones); rejects with the reason in the log only. */
  async ffmpeg(args: string[], options: RunOptions = {}): Promise<void> {
    const threads = this.config.ffmpegThreads ? ['-threads', String(this.config.ffmpegThreads)] : [];
    const progress = options.onProgress ? ['-progress', 'pipe:1', '-nostats'] : [];
    await this.run(this.config.ffmpegPath, ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...progress, ...args, ...threads], options);
  }

  /**
   * Spawns a tool under the limits. Output options like `-threads` after the last input apply to
   * the output, hence appended. Resolves with stdout (for ffprobe); rejects with a plain Error
   * whose message holds the exit status and the end of stderr, for the log.
   */
  private run(command: string, args: string[], options: RunOptions): Promise<{ stdout: string }> {
    const timeoutS = options.timeoutS ?? this.config.processingTimeoutS;
    const cpuS = options.cpuS ?? this.config.processingCpuS;
    const limits = PRLIMIT
      ? [PRLIMIT, `--as=${this.config.processingMemoryMb * 1024 * 1024}`, `--cpu=${cpuS}`, '--core=0', '--nofile=256', '--']
      : [];
    const [file, ...argv] = [...limits, command, ...args];
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new ToolAborted('aborted'));
      const child = spawn(file, argv, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      if (child.pid && this.config.processingNice) {
        try {
          // prlimit execs the tool in place: the same pid.
          setPriority(child.pid, this.config.processingNice);
        } catch {
          // A lower priority is a courtesy, not a requirement.
        }
      }
      let stdout = '';
      let stderr = '';
      let pending = '';
      let killedFor: 'timeout' | 'abort' | null = null;
      const kill = (why: 'timeout' | 'abort') => {
        killedFor = why;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => kill('timeout'), timeoutS * 1000);
      const onAbort = () => kill('abort');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        if (!options.onProgress) {
          if (stdout.length < 16 * 1024 * 1024) stdout += chunk;
          return;
        }
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const match = /^out_time_(?:us|ms)=(\d+)$/.exec(line.trim());
          if (match) options.onProgress(Number(match[1]) / 1e6);
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr = (stderr + chunk).slice(-STDERR_KEEP);
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (killedFor === 'abort') return reject(new ToolAborted('aborted'));
        if (code === 0) return resolve({ stdout });
        const why = killedFor === 'timeout' ? `timed out after ${timeoutS} s` : signal ? `killed by ${signal}` : `exit status ${code}`;
        reject(new Error(`${command.split('/').pop()} ${why}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      });
    });
  }
}
