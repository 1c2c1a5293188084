import sharp, { type Sharp } from 'sharp';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';

/** Larger images are refused (3001) before they are decoded: a small file can declare a huge canvas. */
export const IMAGE_MAX_PIXELS = 40_000_000;

type ImageFormat = 'jpeg' | 'png' | 'webp';

/** JPEG, PNG or WebP by their first bytes; anything else (whatever its name or declared type) is null. */
export function sniffImage(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

/**
 * Runs `encode` on a decoder of `bytes`, once the bytes are known for a JPEG, PNG or WebP (by
 * their first bytes, and as sharp reads them) within IMAGE_MAX_PIXELS; 3001 otherwise, and for
 * anything the decoder cannot read. What comes out is written anew from the pixels: nothing of
 * the uploaded file survives, neither its metadata (GPS, camera) nor whatever else a polyglot carried.
 */
async function reencoded<T>(bytes: Buffer, encode: (input: () => Sharp) => Promise<T>): Promise<T> {
  const format = sniffImage(bytes);
  if (!format) throw new ErrnoError(Errno.UnsupportedImage);
  const input = () => sharp(bytes, { limitInputPixels: IMAGE_MAX_PIXELS, failOn: 'error', pages: 1 }).rotate();
  try {
    if ((await input().metadata()).format !== format) throw new ErrnoError(Errno.UnsupportedImage);
    return await encode(input);
  } catch (error) {
    if (error instanceof ErrnoError) throw error;
    throw new ErrnoError(Errno.UnsupportedImage);
  }
}

/** Square WebPs of each size (centre crop, EXIF orientation applied): an avatar. */
export function squareWebps(bytes: Buffer, sizes: number[]): Promise<Map<number, Buffer>> {
  return reencoded(bytes, async (input) => {
    const out = new Map<number, Buffer>();
    for (const size of sizes)
      out.set(size, await input().resize(size, size, { fit: 'cover', position: 'centre' }).webp({ quality: 82 }).toBuffer());
    return out;
  });
}

/** A JPEG that fits `maxSide` (EXIF orientation applied): a video's cover. */
export function coverJpeg(bytes: Buffer, maxSide: number): Promise<Buffer> {
  return reencoded(bytes, (input) =>
    input().resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer(),
  );
}
