/**
 * A small seeded generator (xorshift32) so every random test is reproducible
 * and the same cases can be sent to XS. Test-side only.
 */
export class Rng {
  private s: number;
  constructor(seed = 0x9e3779b9) {
    this.s = seed | 0 || 1;
  }
  /** Uniform int32. */
  int32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    this.s = x | 0;
    return this.s;
  }
  /** Uniform in [lo, hi] (inclusive), both int32. */
  range(lo: number, hi: number): number {
    const span = hi - lo + 1;
    return lo + Math.floor(((this.int32() >>> 0) / 0x100000000) * span);
  }
  /** An int32 with a random magnitude: small and large values equally likely by bit length. */
  wide(): number {
    const bits = this.range(0, 31);
    const v = this.int32();
    return bits === 31 ? v : v >> (31 - bits);
  }
}
