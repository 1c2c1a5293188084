import { randomToken } from './random-token.js';

describe('randomToken', () => {
  it('gives the asked number of bytes in the asked encoding', () => {
    expect(randomToken(12, 'hex')).toMatch(/^[0-9a-f]{24}$/);
    expect(randomToken(24, 'base64url')).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('never hands out the same bytes twice, across many 4 KiB draws', () => {
    const tokens = Array.from({ length: 2_000 }, () => randomToken(24, 'hex'));
    expect(new Set(tokens).size).toBe(tokens.length);
    // Every byte value turns up, in about its share (48,000 bytes: 187.5 each on average).
    const counts = new Array<number>(256).fill(0);
    for (const token of tokens) for (const byte of Buffer.from(token, 'hex')) counts[byte]++;
    expect(Math.min(...counts)).toBeGreaterThan(100);
    expect(Math.max(...counts)).toBeLessThan(300);
  });

  it('refuses a size it cannot give', () => {
    for (const bytes of [0, -1, 1.5, 4097]) expect(() => randomToken(bytes, 'hex')).toThrow(RangeError);
  });
});
