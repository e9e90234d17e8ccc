/**
 * Shifts by a power of two: rounding right, saturating left (SPEC 1).
 * Both are plain bitwise operations, so every result is an int32.
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from './q.js';

/**
 * `RNE(a / 2^s)`: arithmetic shift right with rounding.
 *
 * - Domain: any int32 `a`; `s` an integer in 0..31 (other `s` are the
 *   caller's bug; the result is then unspecified).
 * - Rounding: round to nearest, ties to even (`shr(q, 3, 1)` = 2,
 *   `shr(q, 5, 1)` = 2, `shr(q, -3, 1)` = -2).
 * - Overflow: cannot (|result| <= 2^(31-s), and a is returned as is for
 *   s = 0); never sets a flag. Takes `q` because it rounds (one convention
 *   for every rounding op).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function shr(q: QContext, a: number, s: number): number {
  if (s === 0) return a;
  const floor = a >> s; // floor(a / 2^s), also for negative a
  const rem = a & ~(-1 << s); // discarded bits, in [0, 2^s)
  const half = 1 << (s - 1);
  // floor + 1 <= 2^(31-s) for s >= 1: cannot overflow.
  return rem > half || (rem === half && (floor & 1) === 1) ? floor + 1 : floor;
}

/**
 * `a * 2^s`, saturating shift left.
 *
 * - Domain: any int32 `a`; `s` an integer in 0..31 (other `s` are the
 *   caller's bug; the result is then unspecified).
 * - Rounding: none (exact when it fits).
 * - Overflow: if `a * 2^s` is outside int32, returns INT32_MAX (a > 0) or
 *   INT32_MIN (a < 0) and ORs `Flag.SATURATED` into `q.flags`.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function shl(q: QContext, a: number, s: number): number {
  // a * 2^s fits iff INT32_MIN >> s <= a <= INT32_MAX >> s.
  if (a > INT32_MAX >> s) {
    q.flags |= Flag.SATURATED;
    return INT32_MAX;
  }
  if (a < INT32_MIN >> s) {
    q.flags |= Flag.SATURATED;
    return INT32_MIN;
  }
  return a << s;
}
