/**
 * Q format: Int32 fixed point with `f` fractional bits (SPEC 1).
 *
 * A `QContext` carries the format and the sticky status word. It is created
 * once when a model loads (in RAM: on a board, module scope is frozen into
 * flash), then passed to every operation that rounds or may saturate.
 */

/** Largest int32, 2^31 - 1. */
export const INT32_MAX = 0x7fffffff;
/** Smallest int32, -2^31, written so that no literal exceeds 0x7FFFFFFF. */
export const INT32_MIN = -0x7fffffff - 1;

/** Fractional bits a model may choose. */
export const F_MIN = 8;
export const F_MAX = 24;
/** The default format, Q16.16. */
export const F_DEFAULT = 16;

/** Sticky status bits: set by operations, cleared only by `clearStatus`. */
export const Flag = {
  /** A result did not fit and was clamped to INT32_MIN or INT32_MAX. */
  SATURATED: 1,
  /** Division by zero; the result saturated toward the dividend's sign. */
  DIV_ZERO: 2,
  /** An argument outside the function's domain (log2 of x <= 0, ...). */
  DOMAIN: 4,
} as const;
export type Flag = (typeof Flag)[keyof typeof Flag];

export interface QContext {
  /** Fractional bits, F_MIN..F_MAX. */
  readonly f: number;
  /** 1.0 in this format, 2^f. */
  readonly one: number;
  /** Sticky status word, an OR of `Flag` bits. */
  flags: number;
}

/** Validates `f` and makes a context. Setup-time only: may throw. */
export function createQ(f: number = F_DEFAULT): QContext {
  if (!Number.isInteger(f) || f < F_MIN || f > F_MAX) {
    throw new RangeError(`Q format: fractional bits must be an integer in ${F_MIN}..${F_MAX}, got ${f}`);
  }
  return { f, one: 1 << f, flags: 0 };
}

/** Returns the status word and clears it. */
export function takeStatus(q: QContext): number {
  const flags = q.flags;
  q.flags = 0;
  return flags;
}
