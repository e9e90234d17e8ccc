/**
 * atan2 to a binary angle (SPEC 1), by CORDIC vectoring: shifts, adds and a
 * 26-entry table, no multiplication, no division.
 *
 * Method. (x, y) is folded into the first octant (0 <= y <= x, the folds
 * remembered), scaled by a power of two so that x is in [2^29, 2^30), then
 * rotated by -+atan(2^-i), i = 1..25, toward y = 0, summing the rotation
 * angles (ATAN_CORDIC, binary angle in units of 2^-6). Starting at i = 1 is
 * enough because the octant angle pi/4 < sum atan(2^-i) = 0.958; it keeps
 * the CORDIC gain at 1.1644, so the vector stays below
 * 1.1644 * sqrt(2) * 2^30 < 1.77e9 < 2^31. The folds are undone on the
 * 2^-6-unit angle, which is then rounded once (to nearest, ties to even).
 *
 * Error budget, in binary-angle units (2^-24 turn): the CORDIC residual
 * after i = 25 is below atan(2^-25) = 0.08; the floor shifts lose at most 1
 * of >= 2^29 per step (<= 0.17 over 25 steps); the 25 table roundings
 * <= 0.2; the final rounding 0.5. Bound: < 1.0 unit (measured 0.647, see
 * docs/accuracy.md). Cost: up to 25 loop iterations (it stops early once
 * y = 0), about 4.5 times a `mul` in XS.
 */
import { HALF_TURN } from './angle.js';
import { Flag, INT32_MIN, type QContext } from './q.js';
import { ATAN_CORDIC } from './tables.js';

/** CORDIC iterations, i = 1..ITERATIONS (ATAN_CORDIC has entries 0..25). */
const ITERATIONS = 25;
/** Guard bits of the angle accumulator (ATAN_CORDIC is in units of 2^-6). */
const GUARD = 6;
/** A quarter turn and a half turn in accumulator units. */
const QUARTER_G = 0x10000000; // 2^22 << 6
const HALF_G = 0x20000000; // 2^23 << 6

/**
 * The angle of the vector (x, y), as a binary angle (2^24 units a turn).
 *
 * - Domain: any int32 `y`, `x` in the same scale (any Q format: only the
 *   ratio matters). x = y = 0: ORs `Flag.DOMAIN` into `q.flags`, returns 0.
 * - Range: (-TURN/2, TURN/2]: atan2(0, -1) = +TURN/2; a result that would
 *   round to -TURN/2 is returned as +TURN/2 (the same angle).
 * - Rounding: to nearest, ties to even, once, from units of 2^-6. Exact on
 *   the axes and folds: atan2(0, x > 0) = 0, atan2(y > 0, 0) = TURN/4,
 *   atan2(-y, x) = -atan2(y, x) for y != INT32_MIN (except at TURN/2).
 * - Overflow: cannot; sets no flag except DOMAIN.
 * - Accuracy (measured against float64 atan2 (the host's libm) on 5 x 10^6 sampled
 *   inputs, random magnitudes and axes): max error 0.647 binary-angle units
 *   (docs/accuracy.md). The result does not depend on q.f.
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function atan2(q: QContext, y: number, x: number): number {
  if (x === 0 && y === 0) {
    q.flags |= Flag.DOMAIN;
    return 0;
  }
  const negX = x < 0;
  const negY = y < 0;
  // Magnitudes. |INT32_MIN| = 2^31 does not fit: then both are halved
  // (floor(|v| / 2), the same for v and -v; the angle moves by < 2^-30 rad).
  // For v < 0, |v| = ~v + 1 with ~v in [0, 2^31 - 1], so floor(|v| / 2) =
  // (~v >> 1) + (~v & 1).
  let ax: number;
  let ay: number;
  if (x === INT32_MIN || y === INT32_MIN) {
    ax = negX ? (~x >> 1) + (~x & 1) : x >> 1;
    ay = negY ? (~y >> 1) + (~y & 1) : y >> 1;
  } else {
    ax = negX ? 0 - x : x;
    ay = negY ? 0 - y : y;
  }
  const swapped = ay > ax;
  if (swapped) {
    const t = ax;
    ax = ay;
    ay = t;
  }
  // 0 <= ay <= ax, ax > 0. Scale so that ax is in [2^29, 2^30): exact when
  // shifting left; shifting right by one (ax >= 2^30) drops a bit of 2^30.
  const n = Math.clz32(ax); // 1..31
  if (n > 2) {
    ax = ax << (n - 2);
    ay = ay << (n - 2);
  } else if (n === 1) {
    ax = ax >> 1;
    ay = ay >> 1;
  }
  // CORDIC vectoring. |(ax, ay)| <= sqrt(2) * 2^30 grows by at most
  // prod sqrt(1 + 2^-2i) = 1.1644: every value below 1.77e9 < 2^31.
  // |z| <= sum atan(2^-i) * 2^30 / 2pi < 1.6e8.
  let z = 0;
  for (let i = 1; i <= ITERATIONS; i++) {
    if (ay === 0) break; // on the axis: the remaining angle is exactly 0
    const dx = ax >> i;
    const dy = ay >> i;
    if (ay > 0) {
      ax = ax + dy;
      ay = ay - dx;
      z = z + ATAN_CORDIC[i];
    } else {
      ax = ax - dy;
      ay = ay + dx;
      z = z - ATAN_CORDIC[i];
    }
  }
  // Undo the folds, in units of 2^-6: |theta| <= 2^29.
  let theta = swapped ? QUARTER_G - z : z;
  if (negX) theta = HALF_G - theta;
  if (negY) theta = 0 - theta;
  // RNE(theta / 2^6), signed (floor shift, remainder in [0, 64)).
  let r = theta >> GUARD;
  const rem = theta & 0x3f;
  if (rem > 0x20 || (rem === 0x20 && (r & 1) === 1)) r = r + 1;
  return r === 0 - HALF_TURN ? HALF_TURN : r;
}
