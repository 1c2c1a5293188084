/**
 * An incremental SHA-256 (FIPS 180-4): `update()` takes the file a slice at a time. WebCrypto's
 * digest() needs the whole input in memory at once, which a 2 GiB video cannot be.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

export class Sha256 {
  private readonly h = new Int32Array(INITIAL);
  private readonly w = new Int32Array(64);
  /** A partial block carried over between updates. */
  private readonly buffer = new Uint8Array(64);
  private buffered = 0;
  private length = 0;

  update(data: Uint8Array): this {
    let offset = 0;
    this.length += data.length;
    if (this.buffered > 0) {
      const take = Math.min(64 - this.buffered, data.length);
      this.buffer.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      offset = take;
      if (this.buffered < 64) return this;
      this.blocks(this.buffer, 0, 64);
      this.buffered = 0;
    }
    const whole = offset + Math.floor((data.length - offset) / 64) * 64;
    this.blocks(data, offset, whole);
    this.buffer.set(data.subarray(whole), 0);
    this.buffered = data.length - whole;
    return this;
  }

  /** The digest as 64 lower-case hex digits; the object is spent afterwards. */
  hex(): string {
    const bits = this.length * 8;
    const tail = new Uint8Array(this.buffered + 9 > 64 ? 128 : 64);
    tail.set(this.buffer.subarray(0, this.buffered));
    tail[this.buffered] = 0x80;
    const view = new DataView(tail.buffer);
    // The length in bits, big-endian over 64 bits (beyond 2^32 bits for files over 512 MiB).
    view.setUint32(tail.length - 8, Math.floor(bits / 0x100000000));
    view.setUint32(tail.length - 4, bits >>> 0);
    this.blocks(tail, 0, tail.length);
    return Array.from(this.h, (word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
  }

  private blocks(data: Uint8Array, from: number, to: number): void {
    const { w, h } = this;
    let a = h[0],
      b = h[1],
      c = h[2],
      d = h[3],
      e = h[4],
      f = h[5],
      g = h[6],
      k = h[7];
    for (let p = from; p < to; p += 64) {
      for (let i = 0; i < 16; i++) {
        const j = p + i * 4;
        w[i] = (data[j] << 24) | (data[j + 1] << 16) | (data[j + 2] << 8) | data[j + 3];
      }
      for (let i = 16; i < 64; i++) {
        const x = w[i - 15];
        const y = w[i - 2];
        const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      let a1 = a,
        b1 = b,
        c1 = c,
        d1 = d,
        e1 = e,
        f1 = f,
        g1 = g,
        h1 = k;
      for (let i = 0; i < 64; i++) {
        const S1 = ((e1 >>> 6) | (e1 << 26)) ^ ((e1 >>> 11) | (e1 << 21)) ^ ((e1 >>> 25) | (e1 << 7));
        const ch = (e1 & f1) ^ (~e1 & g1);
        const t1 = (h1 + S1 + ch + K[i] + w[i]) | 0;
        const S0 = ((a1 >>> 2) | (a1 << 30)) ^ ((a1 >>> 13) | (a1 << 19)) ^ ((a1 >>> 22) | (a1 << 10));
        const maj = (a1 & b1) ^ (a1 & c1) ^ (b1 & c1);
        const t2 = (S0 + maj) | 0;
        h1 = g1;
        g1 = f1;
        f1 = e1;
        e1 = (d1 + t1) | 0;
        d1 = c1;
        c1 = b1;
        b1 = a1;
        a1 = (t1 + t2) | 0;
      }
      a = (a + a1) | 0;
      b = (b + b1) | 0;
      c = (c + c1) | 0;
      d = (d + d1) | 0;
      e = (e + e1) | 0;
      f = (f + f1) | 0;
      g = (g + g1) | 0;
      k = (k + h1) | 0;
    }
    h[0] = a;
    h[1] = b;
    h[2] = c;
    h[3] = d;
    h[4] = e;
    h[5] = f;
    h[6] = g;
    h[7] = k;
  }
}
