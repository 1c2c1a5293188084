import { createHash, randomBytes } from 'node:crypto';
import { Sha256 } from '../../client/src/sha256.js';

/** The web client's incremental SHA-256 (its duplicate check) against node:crypto. */
describe('the client SHA-256', () => {
  const expected = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  it('matches node:crypto for every length around the block boundaries', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000]) {
      const data = randomBytes(length);
      expect(new Sha256().update(data).hex()).toBe(expected(data));
    }
  });

  it('gives the same digest however the input is sliced', () => {
    const data = randomBytes(200_003);
    const hash = new Sha256();
    for (let at = 0; at < data.length;) {
      const step = 1 + Math.floor(Math.random() * 9000);
      hash.update(data.subarray(at, at + step));
      at += step;
    }
    expect(hash.hex()).toBe(expected(data));
  });
});
