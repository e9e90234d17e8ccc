/**
 * Logistic sigmoid and tanh in Q f (SPEC 1).
 *
 * Both go through e = e^(-c|x|) (c = 1 for sigmoid, 2 for tanh), computed as
 * 2^(-y) with y = c |x| log2(e) in Q26 (one exact-product rounding,
 * `mulShift`): the exp2 kernel (`exp2Frac`, error < 1.2 units of 2^-31) on the
 * Q24 part of y, a scaling to e29 = e * 2^29 (rounded) and a first-order
 * correction for the two low bits of y. Then one correctly rounded division
 * (`div`, RNE) gives the result:
 *
 *   sigmoid(|x|) = 2^29 / (2^29 + e29)          sigmoid(-|x|) = e29 / (2^29 + e29)
 *   tanh(|x|)    = (2^29 - e29) / (2^29 + e29)  tanh(-|x|)    = -tanh(|x|)
 *
 * so sigmoid(x) + sigmoid(-x) = 1.0 exactly (the two quotients sum to 2^f
 * exactly and RNE keeps that, ties included) and tanh is exactly odd. The
 * rounding of y (<= 2^-27) moves the result by at most 2^-27 ln2 / 4
 * (sigmoid) or 2^-27 ln2 / 2 (tanh), e29 is within 1.2 units of 2^-29: so the
 * result is within about 0.5 + 2^(f-27) units of 2^-f of the exact value.
 *
 * |x| is clamped first (sigmoid at 22, tanh at 11, so that y < 2^31 in Q26):
 * beyond, e <= e^-22 < 2^-31 and the exact results are within 0.01 units of
 * 2^-24 of 1.0 / 0, so they round to 1.0 / 0 in every format (f <= 24), which
 * is what the clamped computation returns. Cost: four calls (mulShift,
 * exp2Frac, scaleExp2, div; div's 32-step long division dominates).
 */
import { div } from './div.js';
import { exp2Frac, scaleExp2 } from './exp-log.js';
import { mulShift } from './mul.js';
import type { QContext } from './q.js';
import { LOG2E_Q30 } from './tables.js';

/** 1.0 in Q29. */
const ONE_Q29 = 0x20000000;

/**
 * `e29 = 2^(-y / 2^26) * 2^29`, rounded to nearest, for y in [0, 2^31): the
 * exp2 kernel on the Q24 part of y, scaled down (ties to even), then
 * corrected by 2^(-rho / 2^26) ~ 1 - rho ln2 / 2^26 for the two low bits rho
 * (second-order term < 2^-51, dropped). e29 = 2^29 for y = 0; 0 once
 * 2^(-y) < 2^-30. Error: below 1.2 units of 2^-29 (the kernel's 1.121 / 2^s <=
 * 0.3, plus two roundings).
 */
function negExp2Q29(y26: number): number {
  const y = y26 >> 2; // Q24, [0, 2^29)
  const rho = y26 & 3;
  const n = y >> 24; // integer part, 0..31
  const u = y & 0xffffff; // fraction in Q24
  // 2^-y = 2^-n for u = 0, else 2^-(n+1) * 2^(1 - u/2^24) with 2^24 - u in (0, 2^24).
  // As an offset-Q31 mantissa m and a shift s: e29 = RNE((2^31 + m) / 2^s).
  let m = 0;
  let s = n + 2; // 2^-n * 2^29 = 2^31 / 2^(n + 2)
  if (u !== 0) {
    m = exp2Frac(0x1000000 - u);
    s = n + 3;
  }
  let r = scaleExp2(m, s); // s >= 2: r <= 2^29
  // r * rho ln2 / 2^26 = (r >> 10) * rho * 710 / 2^26 (710 = ln2 * 2^10, rounded):
  // (r >> 10) <= 2^19, * 3 * 710 < 1.12e9. The correction is at most 17 <= r.
  if (rho !== 0) r = r - (((r >> 10) * rho * 710 + 0x2000000) >> 26);
  return r;
}

/**
 * `|x|` clamped to `limit * 2^f`, for x any int32 (INT32_MIN included).
 * `limit * 2^f` < 2^29 for the limits used here (22 and 11, f <= 24).
 */
function clampedAbs(q: QContext, x: number, limit: number): number {
  const cap = limit << q.f;
  if (x >= cap || x <= 0 - cap) return cap; // also catches INT32_MIN
  return x < 0 ? 0 - x : x;
}

/**
 * The logistic sigmoid `1 / (1 + e^-x)` in Q f (x in Q f).
 *
 * - Domain: any int32 `x`.
 * - Rounding: one division rounded to nearest, ties to even (`div`), of
 *   operands within 2^-27 of the denominator (>= 2^29) of their exact
 *   values. sigmoid(0) = 0.5 exactly; sigmoid(x) + sigmoid(-x) = 1.0
 *   exactly; the result is in [0, 1.0].
 * - Overflow: cannot; never sets a flag. Saturation regions: for |x| >= 22
 *   (and wherever the exact value rounds there) the result is 1.0 or 0.
 * - Accuracy (measured against float64 1 / (1 + e^-x) on 10^6
 *   sampled x per f in {8, 12, 16, 20, 24}, tails included): max error
 *   0.529 units of 2^-f at f = 24, <= 0.502 at f <= 20 (docs/accuracy.md).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function sigmoid(q: QContext, x: number): number {
  const ax = clampedAbs(q, x, 22); // <= 22 * 2^f
  // y = |x| log2(e) in Q26 = ax * LOG2E_Q30 / 2^(f + 4) <= 31.74 * 2^26 < 2.13e9 < 2^31:
  // cannot saturate.
  const e29 = negExp2Q29(mulShift(q, ax, LOG2E_Q30, q.f + 4));
  // 2^29 + e29 <= 2^30; div gives RNE(a * 2^f / b) <= 2^f.
  return div(q, x < 0 ? e29 : ONE_Q29, ONE_Q29 + e29);
}

/**
 * The hyperbolic tangent in Q f (x in Q f).
 *
 * - Domain: any int32 `x`.
 * - Rounding: one division rounded to nearest, ties to even (`div`), of
 *   operands within 2^-27 of the denominator (>= 2^29) of their exact
 *   values. tanh(0) = 0 exactly; tanh(-x) = -tanh(x) exactly; the result
 *   is in [-1.0, 1.0].
 * - Overflow: cannot; never sets a flag. Saturation regions: for |x| >= 11
 *   (and wherever the exact value rounds there) the result is +-1.0.
 * - Accuracy (measured against float64 tanh (the host's libm) on 10^6 sampled x per f in
 *   {8, 12, 16, 20, 24}, tails included): max error 0.553 units of 2^-f at
 *   f = 24, <= 0.503 at f <= 20 (docs/accuracy.md).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function tanh(q: QContext, x: number): number {
  const ax = clampedAbs(q, x, 11); // <= 11 * 2^f
  // y = 2 |x| log2(e) in Q26 = ax * LOG2E_Q30 / 2^(f + 3) <= 31.74 * 2^26 < 2^31.
  const e29 = negExp2Q29(mulShift(q, ax, LOG2E_Q30, q.f + 3));
  const r = div(q, ONE_Q29 - e29, ONE_Q29 + e29); // in [0, 2^f]
  return x < 0 ? 0 - r : r; // 0 - 0 is +0
}
