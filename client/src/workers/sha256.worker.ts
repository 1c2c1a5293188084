import { Sha256 } from '../sha256.js';

/** Hashes a File a slice at a time, off the page's thread: only one slice is in memory at once. */

export type HashRequest = { file: Blob };
export type HashMessage = { type: 'progress'; hashed: number } | { type: 'done'; sha256: string } | { type: 'error' };

const SLICE = 4 * 1024 * 1024;
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashMessage): void;
};

scope.onmessage = ({ data: { file } }) => {
  void (async () => {
    try {
      const hash = new Sha256();
      for (let at = 0; at < file.size; at += SLICE) {
        hash.update(new Uint8Array(await file.slice(at, at + SLICE).arrayBuffer()));
        scope.postMessage({ type: 'progress', hashed: Math.min(at + SLICE, file.size) });
      }
      scope.postMessage({ type: 'done', sha256: hash.hex() });
    } catch {
      scope.postMessage({ type: 'error' });
    }
  })();
};
