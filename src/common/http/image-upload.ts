import busboy from 'busboy';
import type { Request } from 'express';
import { Errno } from '../errno.js';
import { ErrnoError } from '../errno.error.js';

/** An image may take this much (contract: 5 MiB); more is 3002 the moment the stream crosses it. */
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Reads the one file part `field` of a multipart body into memory (images are small): 9000 when
 * the body is not multipart or has no such part, 3002 as soon as it passes IMAGE_MAX_BYTES.
 * Other fields are ignored. The bytes are only judged later, by their content.
 */
export function readImageUpload(request: Request, field: string): Promise<Buffer> {
  if (!request.is('multipart/form-data')) return Promise.reject(new ErrnoError(Errno.BadRequest));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fields: 10, parts: 20, fileSize: IMAGE_MAX_BYTES } });
    } catch {
      return reject(new ErrnoError(Errno.BadRequest));
    }
    let image: Buffer | undefined;
    let failure: ErrnoError | undefined;
    const fail = (error: ErrnoError) => {
      failure ??= error;
      request.unpipe(parser);
      reject(failure);
    };
    parser.on('file', (name, stream) => {
      if (name !== field || image || failure) return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(new ErrnoError(Errno.ImageTooLarge)));
      stream.on('end', () => {
        if (!failure) image = Buffer.concat(chunks);
      });
    });
    parser.on('error', () => fail(new ErrnoError(Errno.BadRequest)));
    parser.on('close', () => {
      if (failure) return;
      if (image === undefined) return fail(new ErrnoError(Errno.BadRequest));
      resolve(image);
    });
    request.on('aborted', () => fail(new ErrnoError(Errno.BadRequest)));
    request.pipe(parser);
  });
}
