import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  AbortMultipartUploadCommand,
  NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PassThrough, type Readable } from 'node:stream';
import { AppConfig } from '../../config/app-config.js';
import { StorageService, type StoredObject } from './storage.service.js';

const PART_SIZE = 8 * 1024 * 1024;
/** Multipart uploads older than this were left by a crash (a live one finishes or aborts sooner). */
const ABANDONED_AFTER_MS = 24 * 60 * 60_000;

/**
 * Objects in an S3-compatible bucket. A save is a streaming multipart upload (lib-storage, two
 * 8 MiB parts in flight at most), visible only once complete and aborted on any error; reads
 * are ranged GetObjects.
 */
@Injectable()
export class S3Storage extends StorageService implements OnApplicationShutdown {
  private readonly logger = new Logger(S3Storage.name);
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: AppConfig) {
    super();
    const s3 = config.s3!;
    this.bucket = s3.bucket;
    this.client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      // Several S3-compatible servers reject the CRC checksums recent SDKs send by default.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async save(key: string, source: Readable): Promise<number> {
    let size = 0;
    const counted = new PassThrough();
    counted.on('data', (chunk: Buffer) => (size += chunk.length));
    source.on('error', (error) => counted.destroy(error));
    source.pipe(counted);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: counted },
      partSize: PART_SIZE,
      queueSize: 2,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
      return size;
    } catch (error) {
      await upload.abort().catch(() => undefined);
      throw error;
    }
  }

  async openRead(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const { Body } = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
    );
    return Body as Readable;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: Number(head.ContentLength ?? 0),
        modifiedAt: head.LastModified ?? new Date(0),
        etag: head.ETag ?? `"${Number(head.ContentLength ?? 0).toString(16)}-${(head.LastModified?.getTime() ?? 0).toString(16)}"`,
      };
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<void> {
    const objects = await this.list(`${prefix}/`);
    for (let at = 0; at < objects.length; at += 1000) {
      const batch = objects.slice(at, at + 1000).map(({ key }) => ({ Key: key }));
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } }));
    }
  }

  async list(prefix: string): Promise<{ key: string; modifiedAt: Date }[]> {
    const objects: { key: string; modifiedAt: Date }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const item of page.Contents ?? []) if (item.Key) objects.push({ key: item.Key, modifiedAt: item.LastModified ?? new Date() });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }

  localPath(): null {
    return null;
  }

  async sweepPartials(): Promise<number> {
    try {
      const { Uploads = [] } = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.bucket }));
      const abandoned = Uploads.filter((u) => u.Initiated && Date.now() - u.Initiated.getTime() > ABANDONED_AFTER_MS);
      for (const u of abandoned) {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: u.Key, UploadId: u.UploadId }));
      }
      if (abandoned.length) this.logger.log(`Aborted ${abandoned.length} abandoned multipart upload(s)`);
      return abandoned.length;
    } catch (error) {
      this.logger.warn(`Could not list multipart uploads: ${(error as Error).message}`);
      return 0;
    }
  }

  async isWritable(): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return true;
    } catch {
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
