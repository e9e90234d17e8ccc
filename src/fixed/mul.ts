/**
 * Fixed-point multiplication with an exact 64-bit product (SPEC 1).
 *
 * The product is built from 16-bit limbs so that every intermediate result
 * is a non-negative int32 (no overflow, no -0; docs/integer-purity.md), then
 * shifted right with round to nearest, ties to even, then saturated.
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from './q.js';

/**
 * `RNE(a * b / 2^s)`: the exact product of two int32, scaled down by `2^s`.
 *
 * - Domain: `a`, `b` any int32; `s` an integer in 0..31. Any other `s` is the
 *   caller's bug (the result is then unspecified).
 * - Rounding: round to nearest, ties to even, applied once to the exact
 *   64-bit product (no intermediate rounding): the result is correctly rounded.
 * - Overflow: if the rounded value is outside int32, returns INT32_MAX (product
 *   > 0) or INT32_MIN (product < 0) and ORs `Flag.SATURATED` into `q.flags`.
 *   A rounded value of exactly -2^31 is representable: INT32_MIN, no flag.
 * - Accuracy: exact (error <= 1/2 unit in the last place, ties to even).
 * - Aliasing: n/a (scalars in, scalar out). Allocates nothing.
 */
export function mulShift(q: QContext, a: number, b: number, s: number): number {
  const negative = (a ^ b) < 0;

  // Magnitudes as limbs: |a| = ah * 2^16 + al, ah in [0, 2^15], al in [0, 2^16).
  // For a < 0, |a| = ~a + 1 with ~a in [0, 2^31 - 1]: take the limbs of ~a and
  // propagate the +1 (forming -a would overflow for INT32_MIN).
  let ah: number;
  let al: number;
  if (a >= 0) {
    ah = a >> 16;
    al = a & 0xffff;
  } else {
    const n = ~a;
    al = (n & 0xffff) + 1; // <= 2^16
    ah = (n >> 16) + (al >> 16); // <= 2^15
    al = al & 0xffff;
  }
  let bh: number;
  let bl: number;
  if (b >= 0) {
    bh = b >> 16;
    bl = b & 0xffff;
  } else {
    const n = ~b;
    bl = (n & 0xffff) + 1;
    bh = (n >> 16) + (bl >> 16);
    bl = bl & 0xffff;
  }

  // Partial products of non-negative limbs (so never -0). al * bl can reach
  // 2^32, so bl is split into bytes; every other product is below 2^31.
  const t0 = al * (bl & 0xff); // < 2^24, weight 1
  const t1 = al * (bl >> 8); // < 2^24, weight 2^8
  const m1 = ah * bl; // < 2^31, weight 2^16
  const m2 = al * bh; // < 2^31, weight 2^16
  // Normalise into |a*b| = h * 2^32 + p1 * 2^16 + p0 (p0, p1 in [0, 2^16)).
  const x = t0 + ((t1 & 0xff) << 8); // < 2^25
  let p0 = x & 0xffff;
  const y = (x >> 16) + (t1 >> 8) + (m1 & 0xffff) + (m2 & 0xffff); // < 2^18
  let p1 = y & 0xffff;
  // h = floor(|a*b| / 2^32) <= 2^30 (|a*b| <= 2^62); the terms are
  // non-negative, so every partial sum is at most h.
  let h = ah * bh + (m1 >> 16) + (m2 >> 16) + (y >> 16);

  let top: number; // floor(result magnitude / 2^31)
  let rest: number; // result magnitude mod 2^31
  if (s === 0) {
    if (h !== 0) {
      q.flags |= Flag.SATURATED;
      return negative ? INT32_MIN : INT32_MAX;
    }
    top = p1 >> 15;
    rest = ((p1 & 0x7fff) << 16) | p0;
  } else {
    // RNE(M / 2^s) = floor((M + 2^(s-1) - 1 + lsb) / 2^s), lsb = bit s of M:
    // the bias rounds up exactly when the discarded bits exceed one half, or
    // equal it and the kept part is odd. bias <= 2^30; limb sums stay < 2^31.
    const lsb = s < 16 ? (p0 >> s) & 1 : (p1 >> (s - 16)) & 1;
    const bias = (1 << (s - 1)) - 1 + lsb;
    p0 = p0 + (bias & 0xffff);
    p1 = p1 + (bias >> 16) + (p0 >> 16);
    p0 = p0 & 0xffff;
    h = h + (p1 >> 16); // <= 2^30 + 1
    p1 = p1 & 0xffff;
    // floor(M' / 2^s): bits of h from s - 1 up weigh 2^31 and more; the rest
    // of h lands in bits [32 - s, 31), the shifted p1:p0 in bits [0, 32 - s).
    top = h >> (s - 1);
    const low = s < 16 ? (p1 << (16 - s)) | (p0 >> s) : p1 >> (s - 16);
    rest = ((h & ~(-1 << (s - 1))) << (32 - s)) | low;
  }

  if (top === 0) return negative ? 0 - rest : rest; // 0 - 0 is +0
  if (top === 1 && rest === 0 && negative) return INT32_MIN; // exactly -2^31
  q.flags |= Flag.SATURATED;
  return negative ? INT32_MIN : INT32_MAX;
}

/**
 * `RNE(a * b / 2^f)`: the Q-format product, `f = q.f`.
 *
 * - Domain: `a`, `b` any int32 in the format of `q`.
 * - Rounding: round to nearest, ties to even, on the exact 64-bit product.
 * - Overflow: saturates to INT32_MIN/INT32_MAX and sets `Flag.SATURATED`
 *   (see `mulShift`).
 * - Accuracy: exact (correctly rounded).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function mul(q: QContext, a: number, b: number): number {
  return mulShift(q, a, b, q.f);
}
