import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = join(tmpdir(), 'ps-fixtures-v1');

/** Made once per machine with ffmpeg (the one system dependency) and reused. */
function generate(name: string, args: string[]): Buffer {
  const file = join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, '-f', name.endsWith('.webm') ? 'webm' : 'mp4', partial]);
    execFileSync('mv', [partial, file]);
  }
  return readFileSync(file);
}

/** A 2-second 320x240 H.264 MP4 with a moving test pattern. */
export const mp4 = () =>
  generate('clip-2s.mp4', [
    '-f',
    'lavfi',
    '-i',
    'testsrc=duration=2:size=320x240:rate=25',
    '-c:v',
    'libx264',
    '-pix_fmt',
    'yuv420p',
    '-preset',
    'veryfast',
    '-movflags',
    '+faststart',
  ]);

/** A 2-second 160x120 VP9 WebM. */
export const webm = () =>
  generate('clip-2s.webm', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=duration=2:size=160x120:rate=15',
    '-c:v',
    'libvpx-vp9',
    '-b:v',
    '200k',
    '-deadline',
    'realtime',
  ]);

/** A 0.4-second clip: its cover must be the first frame. */
export const shortMp4 = () =>
  generate('clip-short.mp4', ['-f', 'lavfi', '-i', 'testsrc=duration=0.4:size=128x96:rate=10', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']);

/** Valid MP4 container bytes that no decoder can read (an ftyp box, then an mdat box of noise and no movie box). */
export const undecodableMp4 = () =>
  Buffer.concat([Buffer.from('\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x10\x08mdat', 'latin1'), Buffer.alloc(4096, 7)]);
