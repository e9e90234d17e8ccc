/**
 * Saturating add/sub/neg/abs, min/max/clamp and integer conversions (SPEC 1).
 *
 * Every range check happens before the arithmetic, so no intermediate result
 * ever leaves int32 (docs/integer-purity.md).
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from './q.js';
import { shl, shr } from './shift.js';

/**
 * `a + b`, saturating.
 *
 * - Domain: any int32 `a`, `b` (any Q format; both in the same one).
 * - Rounding: none (exact).
 * - Overflow: if the sum is outside int32, returns INT32_MAX (b > 0) or
 *   INT32_MIN (b < 0) and ORs `Flag.SATURATED` into `q.flags`.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function add(q: QContext, a: number, b: number): number {
  // Overflow only if b pushes a past the end it points to; the bound itself
  // (INT32_MAX - b for b > 0, INT32_MIN - b for b < 0) is in range.
  if (b > 0 && a > INT32_MAX - b) {
    q.flags |= Flag.SATURATED;
    return INT32_MAX;
  }
  if (b < 0 && a < INT32_MIN - b) {
    q.flags |= Flag.SATURATED;
    return INT32_MIN;
  }
  return a + b;
}

/**
 * `a - b`, saturating.
 *
 * - Domain: any int32 `a`, `b` (same Q format).
 * - Rounding: none (exact).
 * - Overflow: if the difference is outside int32, returns INT32_MAX (b < 0)
 *   or INT32_MIN (b > 0) and ORs `Flag.SATURATED` into `q.flags`.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function sub(q: QContext, a: number, b: number): number {
  // INT32_MAX + b (b < 0) and INT32_MIN + b (b > 0) are in range.
  if (b < 0 && a > INT32_MAX + b) {
    q.flags |= Flag.SATURATED;
    return INT32_MAX;
  }
  if (b > 0 && a < INT32_MIN + b) {
    q.flags |= Flag.SATURATED;
    return INT32_MIN;
  }
  return a - b;
}

/**
 * `-a`, saturating.
 *
 * - Domain: any int32.
 * - Rounding: none (exact).
 * - Overflow: `-INT32_MIN` = 2^31 does not fit: returns INT32_MAX and ORs
 *   `Flag.SATURATED` into `q.flags`. `neg(q, 0)` is +0.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function neg(q: QContext, a: number): number {
  if (a === INT32_MIN) {
    q.flags |= Flag.SATURATED;
    return INT32_MAX;
  }
  return 0 - a; // not `-a`: that gives -0 for 0
}

/**
 * `|a|`, saturating.
 *
 * - Domain: any int32.
 * - Rounding: none (exact).
 * - Overflow: `|INT32_MIN|` = 2^31 does not fit: returns INT32_MAX and ORs
 *   `Flag.SATURATED` into `q.flags`.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function abs(q: QContext, a: number): number {
  if (a >= 0) return a;
  if (a === INT32_MIN) {
    q.flags |= Flag.SATURATED;
    return INT32_MAX;
  }
  return 0 - a;
}

/**
 * The smaller of `a` and `b`.
 *
 * - Domain: any int32 (same format). Rounding: none. Overflow: cannot.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function min(a: number, b: number): number {
  return a < b ? a : b;
}

/**
 * The larger of `a` and `b`.
 *
 * - Domain: any int32 (same format). Rounding: none. Overflow: cannot.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function max(a: number, b: number): number {
  return a > b ? a : b;
}

/**
 * `x` limited to `[lo, hi]`: `lo` if `x < lo`, `hi` if `x > hi`, else `x`.
 *
 * - Domain: any int32 (same format), `lo <= hi`. If `lo > hi` (a caller bug)
 *   the result is still one of the three inputs, as the formula above says.
 * - Rounding: none. Overflow: cannot. Does not set flags: clamping is the
 *   requested result, not saturation.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * The integer `i` in Q format: `i * 2^f`, `f = q.f`, saturating.
 *
 * - Domain: any int32 `i`.
 * - Rounding: none (exact when it fits).
 * - Overflow: if `i * 2^f` is outside int32, returns INT32_MAX (i > 0) or
 *   INT32_MIN (i < 0) and ORs `Flag.SATURATED` into `q.flags`.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function fromInt(q: QContext, i: number): number {
  return shl(q, i, q.f);
}

/**
 * `a` (Q format, `f = q.f`) rounded to an integer: `RNE(a / 2^f)`.
 *
 * - Domain: any int32 `a`.
 * - Rounding: round to nearest, ties to even (2.5 -> 2, 3.5 -> 4, -2.5 -> -2).
 * - Overflow: cannot (|result| <= 2^(31-f)); never sets a flag.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function toIntRound(q: QContext, a: number): number {
  return shr(q, a, q.f);
}
