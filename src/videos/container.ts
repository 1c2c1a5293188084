/** The containers the contract accepts, recognised by their first bytes (never by name or declared type). */
export interface Container {
  name: 'mp4' | 'mov' | 'webm' | 'matroska' | 'avi' | 'flv' | 'mpegts';
  mime: string;
}

const TS_PACKET = 188;
/** A plausible MPEG-TS stream: this many packets in a row, each starting with the sync byte. */
const TS_PACKETS = 5;

/** Bytes enough to decide: a run of TS packets, or an ftyp box and the header of the box after it. */
export const SNIFF_BYTES = TS_PACKET * (TS_PACKETS - 1) + 4;

/** Major or compatible brands of the ISO/QuickTime files that cameras, phones and editors write. */
const MP4_BRANDS = new Set([
  ...['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'mp71', 'avc1', 'dash', 'msdh'],
  ...['M4V ', 'M4VH', 'M4VP', 'mmp4', 'MSNV', 'XAVC', 'f4v ', 'CAEP', 'NDAS', 'hvc1'],
  ...['3gp4', '3gp5', '3gp6', '3gp7', '3gp8', '3gp9', '3g2a', '3g2b', '3g2c'],
]);
const QUICKTIME_BRAND = 'qt  ';
/** What may follow the ftyp box in a real movie file. */
const TOP_LEVEL_BOXES = new Set([
  'moov',
  'mdat',
  'free',
  'skip',
  'wide',
  'uuid',
  'meta',
  'moof',
  'sidx',
  'styp',
  'pdin',
  'prft',
  'emsg',
  'junk',
  'pnot',
]);

const ascii = (head: Buffer, start: number, end: number) => head.subarray(start, end).toString('latin1');

/**
 * The container of a file from its first bytes (up to SNIFF_BYTES; fewer only when the file is
 * that short), or null when it is not one we accept. Strict on purpose: ffmpeg is later told to
 * read the file as exactly this container, so text that merely starts right must not pass.
 */
export function sniffContainer(head: Buffer): Container | null {
  if (head.length >= 8 && ascii(head, 4, 8) === 'ftyp') return isoMovie(head);
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    // The EBML header names its DocType near the start: "webm" or "matroska".
    const docType = head.subarray(0, 64);
    if (docType.includes('webm')) return { name: 'webm', mime: 'video/webm' };
    return docType.includes('matroska') ? { name: 'matroska', mime: 'video/x-matroska' } : null;
  }
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') {
    return { name: 'avi', mime: 'video/x-msvideo' };
  }
  // FLV version 1, a 9-byte header, and the first PreviousTagSize of 0.
  if (head.length >= 13 && ascii(head, 0, 3) === 'FLV' && head[3] === 1 && head.readUInt32BE(5) === 9 && head.readUInt32BE(9) === 0) {
    return { name: 'flv', mime: 'video/x-flv' };
  }
  if (isTransportStream(head)) return { name: 'mpegts', mime: 'video/mp2t' };
  return null;
}

/** An ftyp box of a sane size with a known brand, followed (when in view) by a real top-level box. */
function isoMovie(head: Buffer): Container | null {
  const size = head.readUInt32BE(0);
  if (size < 16 || size > 256 || size % 4 !== 0 || head.length < 12) return null;
  const brands = [ascii(head, 8, 12)];
  for (let at = 16; at + 4 <= Math.min(size, head.length); at += 4) brands.push(ascii(head, at, at + 4));
  const quicktime = brands[0] === QUICKTIME_BRAND;
  if (!quicktime && !brands.some((brand) => MP4_BRANDS.has(brand))) return null;
  if (head.length >= size + 8) {
    // Sizes 0 (to the end of the file) and 1 (a 64-bit size follows) are legal too.
    const nextSize = head.readUInt32BE(size);
    if (!TOP_LEVEL_BOXES.has(ascii(head, size + 4, size + 8)) || (nextSize > 1 && nextSize < 8)) return null;
  } else if (head.length > size) {
    return null; // the file ends inside the header of the next box
  }
  return quicktime ? { name: 'mov', mime: 'video/quicktime' } : { name: 'mp4', mime: 'video/mp4' };
}

/** TS_PACKETS packets in a row (as many as the file holds), each with the sync byte, no transport error and a legal payload flag. */
function isTransportStream(head: Buffer): boolean {
  if (head.length < TS_PACKET + 1) return false;
  let packets = 0;
  for (let at = 0; at < head.length && packets < TS_PACKETS; at += TS_PACKET, packets++) {
    if (head[at] !== 0x47) return false;
    if (at + 1 < head.length && head[at + 1] & 0x80) return false;
    // adaptation_field_control 00 is reserved: no real packet has it.
    if (at + 3 < head.length && (head[at + 3] & 0x30) === 0) return false;
  }
  return packets >= Math.min(TS_PACKETS, Math.ceil(head.length / TS_PACKET));
}

/** The demuxer ffmpeg must use for a stored file of this type (never its own guess). */
export function demuxerFor(mime: string): string | null {
  switch (mime) {
    case 'video/mp4':
    case 'video/quicktime':
      return 'mov';
    case 'video/webm':
    case 'video/x-matroska':
      return 'matroska';
    case 'video/x-msvideo':
      return 'avi';
    case 'video/x-flv':
      return 'flv';
    case 'video/mp2t':
      return 'mpegts';
    default:
      return null;
  }
}
