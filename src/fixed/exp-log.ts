/**
 * exp2 and log2 in Q f (SPEC 1), by table plus a short series, with every
 * product built from small limbs inside int32 (docs/integer-purity.md).
 *
 * exp2. x = k + u / 2^24 with k = floor(x), u in [0, 2^24). The kernel
 * `exp2Frac` returns M = (2^(u/2^24) - 1) * 2^31, in [0, 2^31 - 176]: with
 * u = 2^16 i + d, 2^(u/2^24) = 2^(i/256) * e^delta, delta = d ln2 / 2^24 <
 * 0.00271, from EXP2_Q31 (256 entries) and e^delta - 1 = delta + delta^2/2
 * + delta^3/6 in Q35 (delta^4/24 < 0.08 units of 2^-35, dropped). Error of M:
 * 1.121 units of 2^-31 at most (all 2^24 inputs measured). The result
 * (2^31 + M) * 2^(k + f - 31) is rounded once more, to nearest, ties to even.
 *
 * log2. x = m * 2^(k - 30), m in [2^30, 2^31), m = 2^30 + 2^22 i + r:
 * log2(x / 2^f) = k - f + LOG2_Q30[i] + log2(1 + z), z = r / (2^30 + 2^22 i)
 * < 2^-8. With w = z log2(e) = r * LOG2E_RECIP_Q30[i] / 2^60 (no division),
 * log2(1 + z) = w - (ln2/2) w^2 + (ln2^2/3) w^3 (next term < 0.4 units of
 * 2^-32, dropped), in Q32. The Q30 fraction, accurate to ~1.5 units of
 * 2^-30, is rounded once to Q f (to nearest, ties to even).
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from './q.js';
import {
  EXP2_Q31,
  EXP2_STEP_FRAC15,
  EXP2_STEP_INT,
  LN2_HALF_Q16,
  LN2_SQ_THIRD_Q11,
  LOG2_Q30,
  LOG2E_RECIP_Q30,
} from './tables.js';

/**
 * `(2^(u / 2^24) - 1) * 2^31`, the fractional power of two in offset Q31.
 * Shared by exp2, sigmoid and tanh.
 *
 * - Domain: int32 `u` in [0, 2^24). Others: the caller's bug.
 * - Result: in [0, 2^31 - 176] (2^31 (2^(1 - 2^-24) - 1) = 2^31 - 177.4, and
 *   the error is below 2 units); exactly 0 for u = 0.
 * - Rounding: to nearest (once, from guard bits), of table entries rounded
 *   to nearest and a series in Q35.
 * - Accuracy: within 1.121 units of 2^-31 of the exact value, measured over
 *   all 2^24 inputs (asserted <= 1.2 in test/fixed/transcendental.test.ts);
 *   < 2 by analysis.
 * - Overflow: cannot. Allocates nothing.
 */
export function exp2Frac(u: number): number {
  const i = u >> 16; // 0..255
  const d = u & 0xffff; // < 2^16
  const e = EXP2_Q31[i]; // (2^(i/256) - 1) * 2^31, < 2^31
  if (d === 0) return e;
  // delta in Q35 = d * ln2 * 2048 = d * 1419 + d * 18528 / 2^15.
  // d * 1419 < 9.3e7; d * 18528 + 2^14 < 1.22e9. t < 9.31e7 < 2^26.5.
  const t = d * EXP2_STEP_INT + ((d * EXP2_STEP_FRAC15 + 0x4000) >> 15);
  // t^2 / 2^22 from t = 2^11 a + b: a^2 + 2ab / 2^11 (b^2 / 2^22 < 1 dropped).
  // a <= 45460: a^2 < 2.0667e9; a * b < 9.31e7, >> 10 < 90900: sq < 2.0668e9 < 2^31.
  const a = t >> 11;
  const b = t & 0x7ff;
  const sq = a * a + ((a * b) >> 10);
  // delta^2 / 2 in Q35 = t^2 / 2^36 = sq / 2^14 (< 126200).
  const d2 = (sq + 0x2000) >> 14;
  // delta^3 / 6 in Q35 = t^3 / (6 * 2^70) = h * a / (6 * 2^21), h = sq / 2^16 < 2^15:
  // h * a < 1.44e9; >> 16 < 21900; * 10923 (= 2^16 / 6) < 2.4e8. d3 <= 114.
  const h = sq >> 16;
  const d3 = (((h * a) >> 16) * 10923 + 0x100000) >> 21;
  const p = t + d2 + d3; // (e^delta - 1) * 2^35, < 9.33e7 < 2^27
  // M = E + (2^31 + E) * p / 2^35 = E + (2p + E p / 2^30) / 32.
  // E = eh 2^16 + el (eh < 2^15, el < 2^16), p = ph 2^14 + pl (ph < 5700, pl < 2^14):
  // E p / 2^30 = eh ph + mid / 2^14, mid = eh pl + el ph / 4 + el pl / 2^16.
  // eh * pl < 2^29; el * ph < 3.8e8; el * pl < 2^30: mid < 6.3e8.
  const eh = e >> 16;
  const el = e & 0xffff;
  const ph = p >> 14;
  const pl = p & 0x3fff;
  const mid = eh * pl + ((el * ph) >> 2) + ((el * pl) >> 16);
  // 2p + eh * ph + mid / 2^14 < 1.87e8 + 1.87e8 + 2^16; M = E + round(that / 32).
  return e + ((p + p + eh * ph + (mid >> 14) + 16) >> 5);
}

/**
 * `RNE((2^31 + m) / 2^s)`: scales an offset-Q31 mantissa from `exp2Frac`.
 *
 * - Domain: `m` in [0, 2^31 - 176] (so the result fits), `s` >= 1.
 * - Rounding: to nearest, ties to even. s >= 33 gives 0 (the value is below
 *   1/2); s = 32 gives 1, or 0 for the tie m = 0.
 * - Overflow: cannot (the result is at most 2^31 - 88 for s = 1).
 */
export function scaleExp2(m: number, s: number): number {
  if (s >= 33) return 0;
  if (s === 32) return m === 0 ? 0 : 1;
  // 1 <= s <= 31: floor = 2^(31 - s) + floor(m / 2^s) < 2^31.
  let r = (1 << (31 - s)) + (m >> s);
  const rem = m & ~(-1 << s); // m mod 2^s (for s = 31, ~INT32_MIN = 2^31 - 1)
  const half = 1 << (s - 1);
  if (rem > half || (rem === half && (r & 1) === 1)) r = r + 1;
  return r;
}

/**
 * `2^x` in Q f (x in Q f).
 *
 * - Domain: any int32 `x`.
 * - Rounding: to nearest, ties to even, of (2^31 + M) * 2^(k + f - 31),
 *   whose offset mantissa M is within 1.13 units of 2^-31 (so the result is
 *   within 0.5 + 1.13 * 2^(k + f - 31) units of 2^-f). Exact at integer x:
 *   exp2(0) = 1.0, exp2(k) = 2^k.
 * - Overflow: x >= (31 - f) * 2^f (2^x >= 2^(31-f), beyond the format):
 *   returns INT32_MAX and ORs `Flag.SATURATED`. Underflow: results below 1/2
 *   unit are 0 (no flag), e.g. x < -(f + 1) * 2^f.
 * - Accuracy (measured against float64 2 ** x on 10^6 sampled x per f in
 *   {8, 12, 16, 20, 24}, saturation and underflow included): max error
 *   1.037 units of 2^-f (f = 20; 0.740 at f = 8), reached in the top
 *   binades, where the result has 31 significant bits and the kernel's
 *   2^-31 relative error shows (docs/accuracy.md).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function exp2(q: QContext, x: number): number {
  const f = q.f;
  const k = x >> f; // floor(x), in [-2^23, 2^23)
  if (k >= 31 - f) {
    q.flags |= Flag.SATURATED;
    return INT32_MAX;
  }
  const u = (x & ((1 << f) - 1)) << (24 - f); // fraction in Q24, [0, 2^24)
  // s = 31 - f - k >= 1; k >= -2^23, so s stays a small int32.
  return scaleExp2(exp2Frac(u), 31 - f - k);
}

/**
 * `log2(x)` in Q f (x in Q f).
 *
 * - Domain: x > 0. For x <= 0: ORs `Flag.DOMAIN` into `q.flags` and returns
 *   INT32_MIN (the value of log2(0+) saturated).
 * - Rounding: one rounding, to nearest, ties to even, of a Q30 fraction
 *   within ~1.5 units of 2^-30. Exact at powers of two: log2(1.0) = 0,
 *   log2(2^k) = k.
 * - Overflow: cannot (|result| <= 24 * 2^f).
 * - Accuracy (measured against float64 log2 (the host's libm) on 10^6 sampled x per f in
 *   {8, 12, 16, 20, 24}, domain errors included): max error 0.519 units of
 *   2^-f at f = 24, <= 0.501 at f <= 20 (docs/accuracy.md).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function log2(q: QContext, x: number): number {
  if (x <= 0) {
    q.flags |= Flag.DOMAIN;
    return INT32_MIN;
  }
  const f = q.f;
  const n = Math.clz32(x); // 1..31
  const k = 31 - n; // x in [2^k, 2^(k+1))
  const j = (x << (n - 1)) & 0x3fffffff; // m - 2^30, m = x normalised into [2^30, 2^31)
  const i = j >> 22; // 0..255
  const r = j & 0x3fffff; // < 2^22
  let frac = LOG2_Q30[i]; // Q30, [0, 2^30)
  if (r !== 0) {
    // w = r * R / 2^60 in Q32 = r * R / 2^28, R = LOG2E_RECIP_Q30[i] <= 1.5491e9.
    // r = rh 2^15 + rl (rh < 2^7), R = Rh 2^15 + Rl (Rh <= 47274):
    // r R / 2^28 = 4 rh Rh + (rh Rl + rl Rh + rl Rl / 2^15) / 2^13.
    // rl * Rh < 1.55e9; rh * Rl < 4.2e6; rl * Rl >> 15 < 2^15: inner sum < 1.56e9.
    const R = LOG2E_RECIP_Q30[i];
    const rh = r >> 15;
    const rl = r & 0x7fff;
    const Rh = R >> 15;
    const Rl = R & 0x7fff;
    const w = 4 * rh * Rh + ((rh * Rl + rl * Rh + ((rl * Rl) >> 15) + 0x1000) >> 13); // < 2.43e7
    // w^2 / 2^32 = sq / 2^12 with w = 2^10 a + b: sq = a^2 + 2ab / 2^10 (b^2 / 2^20 < 1
    // dropped). a <= 23700: a^2 < 5.62e8; a * b < 2.43e7.
    const a = w >> 10;
    const b = w & 0x3ff;
    const sq = a * a + ((a * b) >> 9);
    // (ln2/2) w^2 in Q32 = sq * 22713 / 2^28, sq = sh 2^14 + sl: sh < 34300,
    // sh * 22713 < 7.8e8, sl * 22713 < 3.8e8.
    const sh = sq >> 14;
    const s2 = (sh * LN2_HALF_Q16 + (((sq & 0x3fff) * LN2_HALF_Q16) >> 14) + 0x2000) >> 14;
    // (ln2^2/3) w^3 in Q32 = w^3 c3 / 2^64 = (sh * a) c3 / 2^20 (sh ~ w^2 / 2^34,
    // a ~ w / 2^10): sh * a < 8.2e8; >> 10 < 8e5; * 328 < 2.7e8. s3 <= 124.
    const s3 = (((sh * a) >> 10) * LN2_SQ_THIRD_Q11 + 0x100000) >> 21;
    // log2(1 + z) in Q32 is w - s2 + s3 > 0; to Q30 (rounded), added to the table.
    frac = frac + ((w - s2 + s3 + 2) >> 2); // <= 2^30 + 2
  }
  // (k - f) * 2^f + RNE(frac / 2^(30 - f)); 6 <= 30 - f <= 22, |k - f| <= 24.
  const sft = 30 - f;
  let fr = frac >> sft;
  const rem = frac & ((1 << sft) - 1);
  const half = 1 << (sft - 1);
  if (rem > half || (rem === half && (fr & 1) === 1)) fr = fr + 1;
  return ((k - f) << f) + fr;
}
