/** The containers the contract accepts, recognised by their first bytes (never by name or declared type). */
export interface Container {
  name: 'mp4' | 'mov' | 'webm' | 'matroska' | 'avi' | 'flv' | 'mpegts';
  mime: string;
}

/** Bytes enough to decide: MPEG-TS needs its sync byte at 0, 188 and 376. */
export const SNIFF_BYTES = 377;

const TS_PACKET = 188;

const ascii = (head: Buffer, start: number, end: number) => head.subarray(start, end).toString('latin1');

/**
 * The container of a file from its first bytes (up to SNIFF_BYTES; fewer only when the file is
 * that short), or null when it is not one we accept.
 */
export function sniffContainer(head: Buffer): Container | null {
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    return ascii(head, 8, 10) === 'qt' ? { name: 'mov', mime: 'video/quicktime' } : { name: 'mp4', mime: 'video/mp4' };
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) {
    // The EBML header names its DocType near the start: "webm" or "matroska".
    return head.subarray(0, 64).includes('webm') ? { name: 'webm', mime: 'video/webm' } : { name: 'matroska', mime: 'video/x-matroska' };
  }
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'AVI ') {
    return { name: 'avi', mime: 'video/x-msvideo' };
  }
  if (head.length >= 4 && ascii(head, 0, 3) === 'FLV' && head[3] === 1) return { name: 'flv', mime: 'video/x-flv' };
  if (head.length >= TS_PACKET + 1 && [0, TS_PACKET, 2 * TS_PACKET].every((at) => at >= head.length || head[at] === 0x47)) {
    return { name: 'mpegts', mime: 'video/mp2t' };
  }
  return null;
}
