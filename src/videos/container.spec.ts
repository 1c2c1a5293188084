import { sniffContainer } from './container.js';

const box = (type: string, brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(type + brand), Buffer.alloc(12)]);

describe('sniffContainer', () => {
  it.each([
    ['MP4', box('ftyp', 'isom'), 'video/mp4'],
    ['MOV', box('ftyp', 'qt  '), 'video/quicktime'],
    ['WebM', Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84]), Buffer.from('webm')]), 'video/webm'],
    [
      'Matroska',
      Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0xa3, 0x42, 0x82, 0x88]), Buffer.from('matroska')]),
      'video/x-matroska',
    ],
    ['AVI', Buffer.from('RIFF\x00\x00\x00\x00AVI LIST', 'latin1'), 'video/x-msvideo'],
    ['FLV', Buffer.from([0x46, 0x4c, 0x56, 0x01, 0x05, 0, 0, 0, 9, 0, 0, 0, 0]), 'video/x-flv'],
    ['MP4 with its movie box after ftyp', Buffer.concat([box('ftyp', 'mp42'), Buffer.from('\x00\x00\x10\x00moov', 'latin1')]), 'video/mp4'],
    [
      'a run of TS packets',
      Buffer.concat(Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([0x47, 0x40, 0x11, 0x10]), Buffer.alloc(184, 0xff)]))),
      'video/mp2t',
    ],
    [
      'MPEG-TS',
      Buffer.alloc(377).fill(0x47, 0, 1).fill(0x10, 3, 4).fill(0x47, 188, 189).fill(0x10, 191, 192).fill(0x47, 376, 377),
      'video/mp2t',
    ],
  ])('accepts %s', (_name, head, mime) => {
    expect(sniffContainer(head)?.mime).toBe(mime);
  });

  it.each([
    ['text', Buffer.from('hello, this is not a video at all\n'.repeat(20))],
    ['PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])],
    ['WAV', Buffer.from('RIFF\x00\x00\x00\x00WAVEfmt ', 'latin1')],
    ['one TS sync byte only', Buffer.alloc(377).fill(0x47, 0, 1)],
    ['empty', Buffer.alloc(0)],
    ['a truncated ftyp', Buffer.from('\x00\x00\x00\x18ftyp', 'latin1')],
    ['an ftyp with an unknown brand', box('ftyp', 'abcd')],
    [
      'a manifest behind an ftyp head',
      Buffer.from('\x00\x00\x00\x10ftypisom\x00\x00\x00\x00<?xml version="1.0"?><MPD type="dynamic">', 'latin1'),
    ],
    [
      'an ffconcat list behind an ftyp head',
      Buffer.from("\x00\x00\x00\x10ftypisom\x00\x00\x00\x00\nffconcat version 1.0\nfile '/etc/x.mp4'\n", 'latin1'),
    ],
    ['text whose bytes fall on the TS sync positions', Buffer.alloc(760, 'G')],
    ['an FLV signature without its header', Buffer.from('FLV\x01 not really a flash video', 'latin1')],
  ])('refuses %s', (_name, head) => {
    expect(sniffContainer(head)).toBeNull();
  });
});
