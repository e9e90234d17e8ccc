/**
 * Division (SPEC 1): Q-format divide, rounded integer divide and the
 * exact `a * b / c`, all by binary long division on magnitudes, with no `/`
 * and no intermediate outside int32 (docs/integer-purity.md).
 *
 * Cost: 32 iterations of a shift-compare-subtract loop per call, whatever
 * the operands (XS has no integer divide; see PERF.md for what a loop
 * iteration costs).
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from './q.js';

/** Division by zero: the dividend's sign decides (0 for 0), with `Flag.DIV_ZERO`. */
function divByZero(q: QContext, sign: number): number {
  q.flags |= Flag.DIV_ZERO;
  return sign > 0 ? INT32_MAX : sign < 0 ? INT32_MIN : 0;
}

/**
 * `RNE(N / d)` with the sign applied, saturating, where the magnitude
 * `N = hi * 2^32 + lo` (`hi` in [0, 2^31), `lo` read as 32 unsigned bits) and
 * `d = dm1 + 1` in [1, 2^31] (passing d - 1 lets d = 2^31, the magnitude of
 * INT32_MIN, stay an int32).
 *
 * Invariant of the loop: the partial remainder r < d, i.e. r <= dm1. The test
 * `2r + bit >= d` is done as `r > dm1 - r` (2r >= d) or `r == dm1 - r` with
 * bit 1 (2r + 1 == d), so 2r is formed only when it is at most dm1.
 */
function divWide(q: QContext, negative: boolean, hi: number, lo: number, dm1: number): number {
  if (hi > dm1) {
    // N >= d * 2^32: the quotient is at least 2^32.
    q.flags |= Flag.SATURATED;
    return negative ? INT32_MIN : INT32_MAX;
  }
  let r = hi;
  let top = 0; // quotient bit 31 (the quotient is < 2^32 here)
  let rest = 0; // quotient bits 30..0
  for (let i = 31; i >= 0; i--) {
    const bit = (lo >> i) & 1;
    const gap = dm1 - r; // >= 0
    top = (top << 1) | (rest >> 30);
    rest = (rest << 1) & INT32_MAX;
    if (r > gap) {
      // 2r + bit - d = (r - gap - 1) + bit, in [0, d)
      r = r - gap - 1 + bit;
      rest = rest | 1;
    } else if (r === gap && bit === 1) {
      r = 0; // 2r + 1 == d
      rest = rest | 1;
    } else {
      r = r + r + bit; // <= dm1
    }
  }
  // Round: 2r - d = r - gap - 1 with gap = dm1 - r; up if 2r > d, or on a tie
  // (2r == d) when the quotient is odd.
  const twice = r - (dm1 - r); // 2r - d + 1, in [-dm1, dm1]
  if (twice > 1 || (twice === 1 && (rest & 1) === 1)) {
    if (rest === INT32_MAX) {
      top = top + 1;
      rest = 0;
    } else {
      rest = rest + 1;
    }
  }
  if (top === 0) return negative ? 0 - rest : rest; // 0 - 0 is +0
  if (top === 1 && rest === 0 && negative) return INT32_MIN; // exactly -2^31
  q.flags |= Flag.SATURATED;
  return negative ? INT32_MIN : INT32_MAX;
}

/** |a| as 32 unsigned bits (INT32_MIN's bit pattern is 2^31). */
function magnitudeBits(a: number): number {
  return a >= 0 || a === INT32_MIN ? a : 0 - a;
}

/** |b| - 1 for b != 0, in [0, 2^31 - 1]: b - 1, or ~b = -b - 1 for b < 0. */
function magnitudeMinusOne(b: number): number {
  return b > 0 ? b - 1 : ~b;
}

/**
 * `RNE(a * 2^f / b)`: the Q-format quotient, `f = q.f`.
 *
 * - Domain: any int32 `a`, `b` in the format of `q`.
 * - Rounding: round to nearest, ties to even, on the exact quotient (the
 *   dividend `a * 2^f` is formed exactly, up to 2^55).
 * - Overflow: a quotient outside int32 returns INT32_MAX/INT32_MIN by the
 *   sign of `a / b` and ORs `Flag.SATURATED`; a rounded quotient of exactly
 *   -2^31 is INT32_MIN, no flag.
 * - b = 0: ORs `Flag.DIV_ZERO` (not SATURATED) and returns INT32_MAX for
 *   a > 0, INT32_MIN for a < 0, 0 for a = 0.
 * - Accuracy: exact (correctly rounded).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function div(q: QContext, a: number, b: number): number {
  if (b === 0) return divByZero(q, a);
  const f = q.f;
  const ua = magnitudeBits(a);
  // |a| * 2^f as hi:lo; f >= 8 so the >>> result is below 2^24.
  return divWide(q, (a ^ b) < 0, ua >>> (32 - f), ua << f, magnitudeMinusOne(b));
}

/**
 * `RNE(a / b)` of plain integers (any scale, the same for both), for
 * quantization steps such as `round(x / Delta)`.
 *
 * - Domain: any int32 `a`, `b`.
 * - Rounding: round to nearest, ties to even (7/2 -> 4, 5/2 -> 2, -5/2 -> -2).
 * - Overflow: only INT32_MIN / -1 = 2^31: returns INT32_MAX and ORs
 *   `Flag.SATURATED`.
 * - b = 0: ORs `Flag.DIV_ZERO` and returns INT32_MAX for a > 0, INT32_MIN
 *   for a < 0, 0 for a = 0.
 * - Accuracy: exact (correctly rounded).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function divRound(q: QContext, a: number, b: number): number {
  if (b === 0) return divByZero(q, a);
  return divWide(q, (a ^ b) < 0, 0, magnitudeBits(a), magnitudeMinusOne(b));
}

/**
 * `RNE(a * b / c)` with the exact 64-bit product `a * b` (any common scale:
 * the scale of the result is that of `a * b / c`).
 *
 * - Domain: any int32 `a`, `b`, `c`.
 * - Rounding: round to nearest, ties to even, once, on the exact quotient.
 * - Overflow: a quotient outside int32 returns INT32_MAX/INT32_MIN by the
 *   sign of `a * b / c` and ORs `Flag.SATURATED`; exactly -2^31 is INT32_MIN,
 *   no flag.
 * - c = 0: ORs `Flag.DIV_ZERO` and returns INT32_MAX if a * b > 0,
 *   INT32_MIN if a * b < 0, 0 if a * b = 0.
 * - Accuracy: exact (correctly rounded).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function mulDiv(q: QContext, a: number, b: number, c: number): number {
  if (c === 0) return divByZero(q, a === 0 || b === 0 ? 0 : (a ^ b) < 0 ? -1 : 1);

  // The exact product |a * b| = h * 2^32 + p1 * 2^16 + p0, built as in
  // mulShift (mul.ts): 16-bit limbs of the magnitudes (of ~a plus a carry
  // for negative a, since -INT32_MIN overflows), non-negative partial
  // products below 2^31 (al * bl split by bytes), limb carries.
  let ah: number;
  let al: number;
  if (a >= 0) {
    ah = a >> 16;
    al = a & 0xffff;
  } else {
    const n = ~a;
    al = (n & 0xffff) + 1;
    ah = (n >> 16) + (al >> 16);
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
  const t0 = al * (bl & 0xff); // < 2^24
  const t1 = al * (bl >> 8); // < 2^24, weight 2^8
  const m1 = ah * bl; // < 2^31, weight 2^16
  const m2 = al * bh; // < 2^31, weight 2^16
  const x = t0 + ((t1 & 0xff) << 8);
  const y = (x >> 16) + (t1 >> 8) + (m1 & 0xffff) + (m2 & 0xffff);
  const h = ah * bh + (m1 >> 16) + (m2 >> 16) + (y >> 16); // <= 2^30
  const lo = (y << 16) | (x & 0xffff); // low 32 bits (bit pattern)

  return divWide(q, (a ^ b ^ c) < 0, h, lo, magnitudeMinusOne(c));
}
