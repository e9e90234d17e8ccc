/**
 * Square roots (SPEC 1), rounded to nearest, by the bitwise digit-by-digit
 * method (one result bit per two radicand bits): only shifts, compares and
 * subtractions of values that stay far inside int32.
 *
 * Ties cannot occur: sqrt(N) = r + 1/2 would need N = r^2 + r + 1/4, which
 * is not an integer. So "round to nearest, ties to even" is plain round to
 * nearest here, and the result is up iff N - r^2 > r, where r = floor(sqrt(N))
 * (N >= (r + 1/2)^2 <=> N - r^2 >= r + 1/4 <=> N - r^2 > r for integers).
 */
import { Flag, type QContext } from './q.js';

/**
 * `round(sqrt(n))` of an integer.
 *
 * - Domain: int32 `n >= 0`. For `n < 0`: ORs `Flag.DOMAIN` into `q.flags` and
 *   returns 0.
 * - Rounding: to nearest (ties cannot occur, see the module note); the result
 *   is at most 46341 (round(sqrt(2^31 - 1))).
 * - Overflow: cannot.
 * - Accuracy: exact (correctly rounded).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function isqrt(q: QContext, n: number): number {
  if (n < 0) {
    q.flags |= Flag.DOMAIN;
    return 0;
  }
  let rem = n;
  let root = 0;
  let bit = 1 << 30; // the highest power of 4 in int32
  while (bit > rem) bit = bit >> 2;
  // Classic bitwise method: root holds the result bits found so far, scaled
  // by the current bit; rem is what is left of n after subtracting their square.
  while (bit !== 0) {
    const trial = root + bit; // < 2^16 + 2^30
    if (rem >= trial) {
      rem = rem - trial;
      root = (root >> 1) + bit;
    } else {
      root = root >> 1;
    }
    bit = bit >> 2;
  }
  // root = floor(sqrt(n)), rem = n - root^2 <= 2 root.
  return rem > root ? root + 1 : root;
}

/**
 * `round(sqrt(a * 2^f))`: the square root in Q format, `f = q.f` (the real
 * value is `sqrt(a / 2^f)`, and `sqrt(a / 2^f) * 2^f = sqrt(a * 2^f)`).
 *
 * - Domain: `a >= 0`. For `a < 0`: ORs `Flag.DOMAIN` into `q.flags` and
 *   returns 0.
 * - Rounding: correctly rounded, to nearest: the radicand `a * 2^f` (up to
 *   2^55) is formed exactly and its integer square root rounded; ties cannot
 *   occur (see the module note), so no tie rule is needed.
 * - Overflow: cannot (the result is below 2^27.5 + 1).
 * - Accuracy: exact (error <= 1/2 unit).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function sqrt(q: QContext, a: number): number {
  if (a < 0) {
    q.flags |= Flag.DOMAIN;
    return 0;
  }
  const f = q.f;
  // Radicand N = a * 2^f = hi * 2^32 + lo (lo as 32 unsigned bits); f >= 8.
  const hi = a >> (32 - f); // < 2^23
  const lo = a << f;
  // Digit by digit, two radicand bits at a time from bit 55 down (pairs
  // never straddle bit 32, which is even). rem = N' - root^2 <= 2 root for the
  // prefix N' consumed so far, so rem < 2^29 and 4 rem + 3 < 2^31 throughout.
  let root = 0;
  let rem = 0;
  for (let k = hi === 0 ? 30 : 54; k >= 0; k -= 2) {
    const pair = k >= 32 ? (hi >> (k - 32)) & 3 : (lo >> k) & 3;
    rem = (rem << 2) | pair;
    const trial = (root << 2) | 1; // 4 root + 1
    root = root << 1;
    if (rem >= trial) {
      rem = rem - trial;
      root = root | 1;
    }
  }
  // root = floor(sqrt(N)), rem = N - root^2.
  return rem > root ? root + 1 : root;
}
