import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppConfig } from '../../config/app-config.js';
import { StorageService, type StoredObject } from './storage.service.js';
import { processAlive } from '../process-alive.js';
import { randomToken } from '../random-token.js';

const PARTIAL_DIR = '.partial';
/** Partial files of other hosts (a shared folder) are swept only when this old. */
const FOREIGN_PARTIAL_AGE_MS = 24 * 60 * 60_000;
/**
 * Bytes a save may queue while a disk write is under way; they go out together in one writev
 * (Node's default, 16 KiB, is a quarter of one socket read: one write per read, each waiting).
 */
const WRITE_QUEUE_BYTES = 2 * 1024 * 1024;

/**
 * Objects as files under STORAGE_DIR. A save writes `.partial/<host>~<pid>~<random>` and renames
 * it into place, so a reader never sees half a file; partials of dead processes are swept.
 */
@Injectable()
export class LocalDiskStorage extends StorageService implements OnModuleInit {
  private readonly logger = new Logger(LocalDiskStorage.name);
  private readonly root: string;
  private readonly partials: string;
  private readonly host = hostname().replace(/[^A-Za-z0-9.-]/g, '_');

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.storageDir);
    this.partials = join(this.root, PARTIAL_DIR);
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.partials, { recursive: true }).catch((error: Error) => this.logger.error(`STORAGE_DIR: ${error.message}`));
  }

  async save(key: string, source: Readable): Promise<number> {
    const target = this.path(key);
    const partial = join(this.partials, `${this.host}~${process.pid}~${randomToken(8, 'hex')}`);
    const sink = createWriteStream(partial, { flags: 'wx', highWaterMark: WRITE_QUEUE_BYTES });
    try {
      // The pipeline is attached before any await: the source's errors always have a listener.
      await pipeline(source, sink);
      await mkdir(dirname(target), { recursive: true });
      await rename(partial, target);
      return sink.bytesWritten;
    } catch (error) {
      // The file may still be opening: remove it only once the stream has closed.
      if (!sink.closed) await new Promise<void>((resolve) => sink.once('close', () => resolve()));
      await rm(partial, { force: true });
      throw error;
    }
  }

  async openRead(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const stream = createReadStream(this.path(key), range);
    await new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail));
    return stream;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const info = await stat(this.path(key));
      // Strong: a key is written once (renames into place) and never rewritten, so size and time name one content.
      return { size: info.size, modifiedAt: info.mtime, etag: `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    const dir = this.path(prefix);
    await rm(dir, { recursive: true, force: true });
    // The video's folder goes too once its last rendition did (fails harmlessly while others remain).
    await rmdir(dirname(dir)).catch(() => undefined);
  }

  async list(prefix: string): Promise<{ key: string; modifiedAt: Date }[]> {
    const dir = this.path(`${prefix}x`).slice(0, -1);
    // Names, then stat: Node 20's recursive readdir with file types misses nested entries.
    const names = await readdir(dir, { recursive: true, encoding: 'utf8' }).catch(() => [] as string[]);
    const listed = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(dir, name)).catch(() => null);
        return info?.isFile() ? { key: `${prefix}${name.split(sep).join('/')}`, modifiedAt: info.mtime } : null;
      }),
    );
    return listed.filter((entry) => entry !== null);
  }

  localPath(key: string): string {
    return this.path(key);
  }

  async sweepPartials(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.partials);
    } catch {
      return 0;
    }
    let swept = 0;
    for (const name of names) {
      const [host, pid] = name.split('~');
      const file = join(this.partials, name);
      const stale =
        host === this.host
          ? !processAlive(Number(pid))
          : Date.now() - (await stat(file).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs > FOREIGN_PARTIAL_AGE_MS;
      if (stale) {
        await rm(file, { force: true });
        swept++;
      }
    }
    if (swept) this.logger.log(`Swept ${swept} partial upload file(s)`);
    return swept;
  }

  async isWritable(): Promise<boolean> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  }

  /** Keys are ours (`videos/<hex id>`), but a path must never leave the root whatever a key holds. */
  private path(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep) || key.startsWith(PARTIAL_DIR)) throw new Error(`invalid storage key: ${key}`);
    return path;
  }
}
