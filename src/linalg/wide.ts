/**
 * Wide integers for SETUP-time computations (per-facet reciprocals, exact
 * bounds of box facets): 128-bit two's complement numbers held as eight
 * 16-bit limbs in an Int32Array, little-endian, every limb in [0, 0xffff]
 * after each operation. Arithmetic is modulo 2^128; callers keep values well
 * inside +-2^126 (every use in the core stays below 2^110).
 *
 * Not for hot loops: these are generic and loop over all limbs. Integer
 * pure (every intermediate is an int32, docs/integer-purity.md): limb sums
 * stay below 2^31, products are of 11-bit digits of magnitudes (never -0).
 *
 * Allocation: only `createWide`; every other function writes into arrays the
 * caller passes.
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';

/** Limbs of a wide integer. */
export const WIDE_LIMBS = 8;

/** Rounding of `wideDivToInt`. */
export const Rounding = {
  /** Round to nearest, ties to even (the engine's rule). */
  NEAREST_EVEN: 0,
  /** Toward minus infinity. */
  FLOOR: 1,
  /** Toward plus infinity. */
  CEIL: 2,
} as const;
export type Rounding = (typeof Rounding)[keyof typeof Rounding];

/** A zero wide integer. Allocates (setup time). */
export function createWide(): Int32Array {
  return new Int32Array(WIDE_LIMBS);
}

/** Carries every limb into [0, 0xffff]; the carry out of the top limb is dropped (mod 2^128). */
function normalize(w: Int32Array): void {
  for (let k = 0; k < WIDE_LIMBS - 1; k++) {
    const v = w[k];
    w[k + 1] += v >> 16;
    w[k] = v & 0xffff;
  }
  w[WIDE_LIMBS - 1] &= 0xffff;
}

/** `w = v` (any int32). */
export function wideSet(w: Int32Array, v: number): void {
  w[0] = v & 0xffff;
  w[1] = (v >> 16) & 0xffff;
  const fill = v < 0 ? 0xffff : 0;
  for (let k = 2; k < WIDE_LIMBS; k++) w[k] = fill;
}

/** `dst = src`. */
export function wideCopy(dst: Int32Array, src: Int32Array): void {
  for (let k = 0; k < WIDE_LIMBS; k++) dst[k] = src[k];
}

/** True if `w < 0`. */
export function wideIsNegative(w: Int32Array): boolean {
  return (w[WIDE_LIMBS - 1] & 0x8000) !== 0;
}

/** True if `w = 0`. */
export function wideIsZero(w: Int32Array): boolean {
  for (let k = 0; k < WIDE_LIMBS; k++) if (w[k] !== 0) return false;
  return true;
}

/** `w = -w`. */
export function wideNeg(w: Int32Array): void {
  for (let k = 0; k < WIDE_LIMBS; k++) w[k] = 0xffff - w[k];
  w[0] += 1;
  normalize(w);
}

/** `a = a + b`. `a` may be `b`. */
export function wideAdd(a: Int32Array, b: Int32Array): void {
  for (let k = 0; k < WIDE_LIMBS; k++) a[k] += b[k];
  normalize(a);
}

/** `a = a - b`. `a` may be `b` (gives 0). */
export function wideSub(a: Int32Array, b: Int32Array): void {
  for (let k = 0; k < WIDE_LIMBS; k++) a[k] -= b[k];
  normalize(a);
}

/** Signed comparison: -1, 0 or 1 as `a <`, `=`, `> b`. */
export function wideCompare(a: Int32Array, b: Int32Array): number {
  const na = wideIsNegative(a);
  if (na !== wideIsNegative(b)) return na ? -1 : 1;
  for (let k = WIDE_LIMBS - 1; k >= 0; k--) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}

/**
 * `w = w + sign * v * 2^pos` for `0 <= v < 2^31`, `pos` in 0..110, `sign`
 * 1 or -1. Pieces of `v` land in three limbs, then the limbs are carried.
 */
function addAt(w: Int32Array, v: number, pos: number, sign: number): void {
  const l = pos >> 4;
  const r = pos & 15;
  let lo: number;
  let mid: number;
  let hi: number;
  if (r === 0) {
    lo = v & 0xffff;
    mid = v >> 16;
    hi = 0;
  } else {
    lo = (v << r) & 0xffff; // the low 16 - r bits of v, moved up (bitwise: wraps harmlessly)
    mid = (v >> (16 - r)) & 0xffff;
    hi = v >> (32 - r);
  }
  if (sign < 0) {
    lo = 0 - lo;
    mid = 0 - mid;
    hi = 0 - hi;
  }
  w[l] += lo;
  if (l + 1 < WIDE_LIMBS) w[l + 1] += mid;
  if (l + 2 < WIDE_LIMBS) w[l + 2] += hi;
  normalize(w);
}

/** The 11-bit digits of |a| (a any int32; |INT32_MIN| = 2^31 included): |a| = d2 2^22 + d1 2^11 + d0. */
function digit(a: number, k: number): number {
  // For a < 0, |a| = ~a + 1 with ~a in [0, 2^31 - 1]; the +1 carries only
  // through digits of ~a that are all ones.
  if (a >= 0) return (a >> (11 * k)) & 0x7ff;
  const n = ~a;
  const d0 = (n & 0x7ff) + 1;
  if (k === 0) return d0 & 0x7ff;
  const d1 = ((n >> 11) & 0x7ff) + (d0 >> 11);
  if (k === 1) return d1 & 0x7ff;
  return (n >> 22) + (d1 >> 11);
}

/** `w = w + a * b`, exactly (a, b any int32). */
export function wideAddProduct(w: Int32Array, a: number, b: number): void {
  if (a === 0 || b === 0) return;
  const sign = (a ^ b) < 0 ? -1 : 1;
  for (let i = 0; i < 3; i++) {
    const da = digit(a, i);
    if (da === 0) continue;
    for (let j = 0; j < 3; j++) {
      const db = digit(b, j);
      if (db !== 0) addAt(w, da * db, 11 * (i + j), sign); // < 2^22
    }
  }
}

/** `w = w + v` (any int32). */
export function wideAddInt(w: Int32Array, v: number): void {
  w[0] += v & 0xffff;
  w[1] += v >> 16; // signed: a negative v borrows through the carries
  normalize(w);
}

/** `w = w * 2^k` (mod 2^128), k >= 0. */
export function wideShl(w: Int32Array, k: number): void {
  const limbs = k >> 4;
  const r = k & 15;
  if (limbs > 0) {
    for (let i = WIDE_LIMBS - 1; i >= 0; i--) w[i] = i >= limbs ? w[i - limbs] : 0;
  }
  if (r > 0) {
    for (let i = WIDE_LIMBS - 1; i > 0; i--) w[i] = ((w[i] << r) & 0xffff) | (w[i - 1] >> (16 - r));
    w[0] = (w[0] << r) & 0xffff;
  }
}

/** `w = floor(w / 2)` (arithmetic). */
function shr1(w: Int32Array): void {
  const sign = w[WIDE_LIMBS - 1] & 0x8000;
  for (let i = 0; i < WIDE_LIMBS - 1; i++) w[i] = (w[i] >> 1) | ((w[i + 1] & 1) << 15);
  w[WIDE_LIMBS - 1] = (w[WIDE_LIMBS - 1] >> 1) | sign;
}

/** Bits needed for `w >= 0` (0 for 0). Unspecified for negative `w`. */
export function wideBitLength(w: Int32Array): number {
  for (let k = WIDE_LIMBS - 1; k >= 0; k--) {
    if (w[k] !== 0) return 16 * k + 32 - Math.clz32(w[k]);
  }
  return 0;
}

/**
 * `num / den` rounded by `mode`, as an int32: a setup-time long division.
 *
 * - Domain: `den > 0`; `num` any (|num| < 2^126). `r` and `t` are scratch
 *   wide integers (distinct from each other and from num, den).
 * - Rounding: `mode` (RNE, floor or ceil), once, on the exact quotient.
 * - Overflow: a quotient outside int32 returns INT32_MAX / INT32_MIN by the
 *   sign and ORs `Flag.SATURATED`; `den <= 0` ORs `Flag.DIV_ZERO` and
 *   returns 0.
 * - Aliasing: `num` and `den` are not modified. Allocation: none.
 */
export function wideDivToInt(q: QContext, num: Int32Array, den: Int32Array, mode: Rounding, r: Int32Array, t: Int32Array): number {
  if (wideIsNegative(den) || wideIsZero(den)) {
    q.flags |= Flag.DIV_ZERO;
    return 0;
  }
  const negative = wideIsNegative(num);
  wideCopy(r, num);
  if (negative) wideNeg(r);
  // Quotient magnitude >= 2^32: saturate.
  wideCopy(t, den);
  wideShl(t, 32);
  if (wideCompare(r, t) >= 0) {
    q.flags |= Flag.SATURATED;
    return negative ? INT32_MIN : INT32_MAX;
  }
  let top = 0; // quotient bit 31
  let rest = 0; // quotient bits 30..0
  for (let i = 31; i >= 0; i--) {
    shr1(t); // t = den 2^i
    if (wideCompare(r, t) >= 0) {
      wideSub(r, t);
      if (i === 31) top = 1;
      else rest |= 1 << i;
    }
  }
  // r = |num| mod den. Round the magnitude: RNE is symmetric; floor of a
  // negative value is the ceiling of its magnitude, and vice versa.
  let up = false;
  if (!wideIsZero(r)) {
    if (mode === Rounding.NEAREST_EVEN) {
      wideShl(r, 1);
      const c = wideCompare(r, den);
      up = c > 0 || (c === 0 && (rest & 1) === 1);
    } else {
      up = (mode === Rounding.CEIL) !== negative;
    }
  }
  if (up) {
    if (rest === INT32_MAX) {
      top += 1;
      rest = 0;
    } else {
      rest += 1;
    }
  }
  if (top === 0) return negative ? 0 - rest : rest;
  if (top === 1 && rest === 0 && negative) return INT32_MIN;
  q.flags |= Flag.SATURATED;
  return negative ? INT32_MIN : INT32_MAX;
}
