import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { Env } from './test-app.js';

/** An S3-protocol server (s3rver) on loopback with one bucket, and the app settings that point at it. */
export async function startS3(): Promise<{ env: Env; dir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ps-s3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'videos', configs: [] }],
  });
  const { port } = await server.run();
  return {
    dir,
    env: {
      STORAGE: 's3',
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: 'us-east-1',
      S3_BUCKET: 'videos',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    stop: async () => {
      await server.close();
      // s3rver's file store answers a PUT once the body has passed through its hash, while its
      // write stream to the object's file opens and flushes on its own: a folder may still gain a
      // file while it is removed (ENOTEMPTY once in CI), so try again.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}
