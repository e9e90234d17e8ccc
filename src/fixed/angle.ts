/**
 * Binary angles (SPEC 1): a full turn is 2^24 units, so wrapping an angle is
 * a mask and every angle sum stays far inside int32.
 *
 * An angle argument may be any int32: `sin`/`cos` read it modulo a turn.
 * `atan2` returns the signed representative in (-HALF_TURN, HALF_TURN].
 * One unit is 2*pi / 2^24 ~ 3.745e-7 rad (~2.146e-5 degrees).
 */

/** Bits of a full turn. */
export const ANGLE_BITS = 24;
/** A full turn, 2^24 units (2*pi rad). */
export const TURN = 0x1000000;
/** Wraps an angle into [0, TURN): `a & ANGLE_MASK`. */
export const ANGLE_MASK = 0xffffff;
/** Half a turn, 2^23 units (pi rad). */
export const HALF_TURN = 0x800000;
/** A quarter turn, 2^22 units (pi/2 rad). */
export const QUARTER_TURN = 0x400000;

/**
 * `a mod TURN`, in [0, TURN).
 *
 * - Domain: any int32. Rounding: none. Overflow: cannot (a mask).
 * - Aliasing: n/a (scalars). Allocates nothing.
 */
export function wrapAngle(a: number): number {
  return a & ANGLE_MASK;
}
