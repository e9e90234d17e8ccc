/**
 * sin and cos of a binary angle (SPEC 1), by table.
 *
 * Method. The angle is folded into the first quadrant: t in [0, 2^22]
 * (mirrored in odd quadrants, negated in the lower half turn), so both
 * functions evaluate one kernel and are exactly odd/even. t = 2^14 i + d,
 * i in 0..256, d < 2^14. With S = sin(alpha_i), C = cos(alpha_i) =
 * SIN_Q30[256 - i] (257-entry quarter-wave table, Q30) and the small angle
 * delta = d * 2pi / 2^24 < 2pi / 1024:
 *
 *   sin(alpha_i + delta) = S + C sin(delta) - S (1 - cos(delta)),
 *   sin(delta) = delta - delta^3/6,  1 - cos(delta) = delta^2/2,
 *
 * all in Q30 with 15-bit limb products (ranges proved at each line). The
 * neglected terms are below 0.07 units of 2^-30 (delta^5/120 and
 * delta^4/24); the kernel's Q30 value is within a few units of 2^-30 of the
 * exact sine, and is then rounded once to Q f (round to nearest, ties to
 * even). So the result is within 0.5 + 2^(f-28) units of 2^-f of the exact
 * sine (measured: see docs/accuracy.md).
 *
 * Cost: no call besides cos -> sin, two table reads, 12 small-int products;
 * no division, no allocation. Every intermediate is a non-negative int32
 * (so never -0), except the final sign, applied as `0 - r`.
 */
import { ANGLE_MASK, QUARTER_TURN } from './angle.js';
import type { QContext } from './q.js';
import { SIN_Q30, SIN_STEP_FRAC16, SIN_STEP_INT } from './tables.js';

/** 1.0 in Q30. */
const ONE_Q30 = 0x40000000;

/**
 * `sin(2pi * angle / 2^24)` in Q f.
 *
 * - Domain: any int32 binary angle (read modulo a turn, 2^24 units).
 * - Rounding: the Q30 kernel value is rounded once to Q f, to nearest, ties
 *   to even. Exact at multiples of a quarter turn: sin(0) = 0,
 *   sin(TURN/4) = 1.0, sin(TURN/2) = 0, sin(3 TURN/4) = -1.0. Odd:
 *   sin(-a) = -sin(a) exactly; |result| <= 1.0 always.
 * - Overflow: cannot (|result| <= 2^f); never sets a flag.
 * - Accuracy (measured against float64 sin (the host's libm) over all 2^24 angles at
 *   f = 16 and f = 24, 10^6 sampled angles at every other f): max error
 *   0.537 units of 2^-f at f = 24, 0.516 at f = 23, <= 0.502 at f <= 20,
 *   0.500 at f <= 18 (docs/accuracy.md). Not strictly monotone at f >= 22:
 *   a few 1-unit dips next to the peak, where exact values sit within 0.02
 *   units of a rounding tie.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function sin(q: QContext, angle: number): number {
  const a = angle & ANGLE_MASK;
  const quadrant = a >> 22;
  let t = a & 0x3fffff; // position in the quadrant, [0, 2^22)
  if ((quadrant & 1) === 1) t = QUARTER_TURN - t; // mirrored, (0, 2^22]
  const i = t >> 14; // 0..256
  const d = t & 0x3fff; // < 2^14
  const s = SIN_Q30[i]; // sin(alpha_i), [0, 2^30]
  let v = s;
  if (d !== 0) {
    const c = SIN_Q30[256 - i]; // cos(alpha_i), [0, 2^30]
    // delta in Q30: d * 402.1238... = d * 402 + d * 8117 / 2^16.
    // d * 402 < 2^14 * 2^8.66 and d * 8117 + 2^15 < 2^27: dl < 6.6e6 < 2^22.7.
    const dl = d * SIN_STEP_INT + ((d * SIN_STEP_FRAC16 + 0x8000) >> 16);
    // dl^2 / 2^16 from dl = 2^8 a8 + b8: a8^2 + 2 a8 b8 / 2^8 (b8^2 / 2^16 < 1
    // dropped). a8 <= 25734: a8^2 < 6.63e8; a8 * b8 < 6.6e6.
    const a8 = dl >> 8;
    const b8 = dl & 0xff;
    const sq = a8 * a8 + ((a8 * b8) >> 7); // < 6.64e8
    // 1 - cos(delta) = delta^2 / 2: in Q30, dl^2 / 2^31 = sq / 2^15 (< 20235).
    const c2 = (sq + 0x4000) >> 15;
    // delta^3 / 6 in Q30 = dl^3 / (6 * 2^60) = (h * a8) / (6 * 2^21), h = dl^2 / 2^31.
    // h * a8 < 20235 * 25734 < 5.3e8; >> 12 < 2^17; * 5461 (= 2^15 / 6) < 7e8. c3 <= 42.
    const h = sq >> 15;
    const c3 = (((h * a8) >> 12) * 5461 + 0x800000) >> 24;
    const sd = dl - c3; // sin(delta) in Q30, [0, 2^22.7)
    // C * sd / 2^30 with C = ch 2^15 + cl (ch <= 2^15), sd = sh 2^15 + sl (sh <= 201):
    // ch * sh + (ch * sl + cl * sh + cl * sl / 2^15) / 2^15. ch * sl <= 2^15 * (2^15 - 1),
    // cl * sh < 6.6e6, cl * sl >> 15 < 2^15: the inner sum < 1.081e9.
    const ch = c >> 15;
    const cl = c & 0x7fff;
    const sh = sd >> 15;
    const sl = sd & 0x7fff;
    const cs = ch * sh + ((ch * sl + cl * sh + ((cl * sl) >> 15) + 0x4000) >> 15);
    // S * c2 / 2^30 with S = s_h 2^15 + s_l: (s_h * c2 + s_l * c2 / 2^15) / 2^15.
    // s_h * c2 <= 2^15 * 20235 < 6.7e8; s_l * c2 < 6.7e8, >> 15 < 20235.
    const sc = ((s >> 15) * c2 + (((s & 0x7fff) * c2) >> 15) + 0x4000) >> 15;
    v = s + cs - sc; // in [0, 2^30 + 6.6e6)
    if (v > ONE_Q30) v = ONE_Q30;
  }
  // RNE(v / 2^(30 - f)), 6 <= 30 - f <= 22.
  const sh = 30 - q.f;
  let r = v >> sh;
  const rem = v & ((1 << sh) - 1);
  const half = 1 << (sh - 1);
  if (rem > half || (rem === half && (r & 1) === 1)) r = r + 1;
  return quadrant >= 2 ? 0 - r : r; // 0 - 0 is +0
}

/**
 * `cos(2pi * angle / 2^24)` in Q f: `sin(angle + TURN/4)`.
 *
 * - Domain: any int32 binary angle (read modulo a turn).
 * - Rounding: as `sin` (one rounding of the Q30 kernel value, ties to
 *   even). Exact at multiples of a quarter turn: cos(0) = 1.0. Even:
 *   cos(-a) = cos(a) exactly.
 * - Overflow: cannot; never sets a flag.
 * - Accuracy: that of `sin` (the same kernel values). Measured against
 *   float64 cos (the host's libm) over all 2^24 angles at f = 16 and 24, 10^6 sampled at
 *   every other f: max 0.537 units of 2^-f at f = 24, <= 0.502 at f <= 20
 *   (docs/accuracy.md).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function cos(q: QContext, angle: number): number {
  // (angle & ANGLE_MASK) + 2^22 < 2^25: no overflow; sin masks it again.
  return sin(q, (angle & ANGLE_MASK) + QUARTER_TURN);
}
