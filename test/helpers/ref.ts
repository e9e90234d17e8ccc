/**
 * BigInt reference implementations of the fixed-point core (SPEC 1), for
 * tests only. Each computes the exact mathematical value, rounds it once
 * (round to nearest, ties to even) and saturates it, returning the value and
 * the status flags the op under test must raise for that call.
 */
import { Flag } from '../../src/fixed/q.js';

export interface Ref {
  value: number;
  flags: number;
}

const MAX = 2147483647n;
const MIN = -2147483648n;

/** Clamps an exact integer to int32, with `Flag.SATURATED` if it did not fit. */
export function sat(v: bigint, flags = 0): Ref {
  if (v > MAX) return { value: Number(MAX), flags: flags | Flag.SATURATED };
  if (v < MIN) return { value: Number(MIN), flags: flags | Flag.SATURATED };
  return { value: Number(v), flags };
}

/** RNE(n / d) for d != 0, on exact integers. */
export function rneDiv(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('rneDiv by zero');
  const negative = n < 0n !== d < 0n;
  const nn = n < 0n ? -n : n;
  const dd = d < 0n ? -d : d;
  let quo = nn / dd;
  const r2 = 2n * (nn % dd);
  if (r2 > dd || (r2 === dd && (quo & 1n) === 1n)) quo += 1n;
  return negative ? -quo : quo;
}

/** RNE(x / 2^s), s >= 0. */
export function rneShift(x: bigint, s: number): bigint {
  if (s === 0) return x;
  const sb = BigInt(s);
  const fl = x >> sb; // floor
  const rem = x - (fl << sb);
  const half = 1n << (sb - 1n);
  return rem > half || (rem === half && (fl & 1n) === 1n) ? fl + 1n : fl;
}

/** floor(sqrt(n)), n >= 0. */
export function isqrtFloor(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrtFloor of a negative');
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** sqrt(n) rounded to nearest (a tie cannot occur for integer n), n >= 0. */
export function isqrtRound(n: bigint): bigint {
  const r = isqrtFloor(n);
  // sqrt(n) >= r + 1/2  <=>  n >= r^2 + r + 1/4  <=>  n - r^2 > r
  return n - r * r > r ? r + 1n : r;
}

/** Division by zero policy: sign of the dividend, 0 for 0, DIV_ZERO only. */
function divZero(n: bigint): Ref {
  return { value: n > 0n ? Number(MAX) : n < 0n ? Number(MIN) : 0, flags: Flag.DIV_ZERO };
}

const B = (v: number) => BigInt(v);

export const ref = {
  add: (a: number, b: number): Ref => sat(B(a) + B(b)),
  sub: (a: number, b: number): Ref => sat(B(a) - B(b)),
  neg: (a: number): Ref => sat(-B(a)),
  abs: (a: number): Ref => sat(a < 0 ? -B(a) : B(a)),
  min: (a: number, b: number): Ref => ({ value: a < b ? a : b, flags: 0 }),
  max: (a: number, b: number): Ref => ({ value: a > b ? a : b, flags: 0 }),
  clamp: (x: number, lo: number, hi: number): Ref => ({ value: x < lo ? lo : x > hi ? hi : x, flags: 0 }),
  fromInt: (f: number, i: number): Ref => sat(B(i) << B(f)),
  toIntRound: (f: number, a: number): Ref => sat(rneShift(B(a), f)),
  mulShift: (a: number, b: number, s: number): Ref => sat(rneShift(B(a) * B(b), s)),
  mul: (f: number, a: number, b: number): Ref => sat(rneShift(B(a) * B(b), f)),
  shr: (a: number, s: number): Ref => sat(rneShift(B(a), s)),
  shl: (a: number, s: number): Ref => sat(B(a) << B(s)),
  div: (f: number, a: number, b: number): Ref => (b === 0 ? divZero(B(a)) : sat(rneDiv(B(a) << B(f), B(b)))),
  divRound: (a: number, b: number): Ref => (b === 0 ? divZero(B(a)) : sat(rneDiv(B(a), B(b)))),
  mulDiv: (a: number, b: number, c: number): Ref =>
    c === 0 ? divZero(B(a) * B(b)) : sat(rneDiv(B(a) * B(b), B(c))),
  isqrt: (n: number): Ref => (n < 0 ? { value: 0, flags: Flag.DOMAIN } : sat(isqrtRound(B(n)))),
  sqrt: (f: number, a: number): Ref => (a < 0 ? { value: 0, flags: Flag.DOMAIN } : sat(isqrtRound(B(a) << B(f)))),
};

/**
 * Collects mismatches between an op and its reference without calling
 * `expect` per case (millions of cases): `check` returns nothing, `report`
 * gives the first few mismatches (empty when all agreed) and the count.
 */
export class Mismatches {
  count = 0;
  cases = 0;
  readonly first: string[] = [];
  /** `got` from the op, `q.flags` after it (cleared before the call), `want` from `ref`. */
  check(label: string, args: readonly number[], got: number, gotFlags: number, want: Ref): void {
    this.cases++;
    if (Object.is(got, want.value) && gotFlags === want.flags) return;
    this.count++;
    if (this.first.length < 10) {
      this.first.push(`${label}(${args.join(', ')}): got ${got} flags ${gotFlags}, want ${want.value} flags ${want.flags}`);
    }
  }
}
