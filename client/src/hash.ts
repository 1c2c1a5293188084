import type { HashMessage, HashRequest } from './workers/sha256.worker.js';

export interface Hashing {
  /** The file's SHA-256 in lower-case hex; rejects when the browser cannot hash it (or after cancel()). */
  done: Promise<string>;
  cancel: () => void;
}

/** Hashes a file in a Web Worker, so that a file of gigabytes never blocks the page; `onProgress` gets the bytes hashed so far. */
export function hashFile(file: File, onProgress: (hashed: number) => void): Hashing {
  let worker: Worker | undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<string>((resolve, reject) => {
    fail = reject;
    try {
      worker = new Worker(new URL('./workers/sha256.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      reject(new Error('no worker'));
      return;
    }
    worker.onmessage = ({ data }: MessageEvent<HashMessage>) => {
      if (data.type === 'progress') return onProgress(data.hashed);
      worker?.terminate();
      if (data.type === 'done') resolve(data.sha256);
      else reject(new Error('unreadable'));
    };
    worker.onerror = () => {
      worker?.terminate();
      reject(new Error('worker failed'));
    };
    worker.postMessage({ file } satisfies HashRequest);
  });
  return {
    done,
    cancel: () => {
      worker?.terminate();
      fail(new Error('cancelled'));
    },
  };
}
