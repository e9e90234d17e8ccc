/**
 * The Chinese-Remainder index over polytope families (SPEC 10).
 *
 * Moduli `p_0..p_{r-1}` (1 <= r <= 8, each >= 2, pairwise coprime, product
 * `M < 2^31`). A residue vector `alpha` (`alpha[j]` in `0..p_j-1`) names one
 * index in `0..M-1` by the Chinese Remainder Theorem, and back. Switching adds
 * a residue shift component-wise mod `p_j` (`alpha' = alpha (+) s`). A sparse
 * table maps indices to polytope family ids; an index with no family, or a
 * residue vector that is not one, is `UNDEFINED_INDEX`.
 *
 * Indices are names, not quantities: two indices are never compared or
 * averaged (SPEC 10), so nothing here orders them. (The binary search over
 * the family table is a lookup; its order is not visible to callers.)
 *
 * Lifetimes: `createCrtIndex` (and `createResidues`) validate, may throw and
 * allocate, once, when a model loads. Every other function is total: it never
 * throws, never allocates, and computes with int32 values only.
 *
 * ## Residues to index: Garner's mixed radix, largest modulus first
 *
 * Let `q_0 > q_1 > ... > q_{r-1}` be the moduli by decreasing value (they are
 * distinct: two equal moduli >= 2 share a factor), `a_k` the residue for
 * `q_k`, `Q_k = q_0 * ... * q_{k-1}` (`Q_0 = 1`) and `c_k = Q_k^-1 mod q_k`
 * (k >= 1), all precomputed. Then with `x_0 = a_0` and, for k >= 1,
 *
 *     v_k = ((a_k - (x_{k-1} mod q_k)) * c_k) mod q_k
 *     x_k = x_{k-1} + Q_k * v_k
 *
 * `x_k` is congruent to `a_i` mod `q_i` for every i <= k, and
 * `0 <= x_k <= (Q_k - 1) + Q_k (q_k - 1) = Q_{k+1} - 1`; the index is
 * `x_{r-1}`. Every intermediate is an int32, and there is no wide multiply:
 *
 * - `Q_k * v_k <= Q_k (q_k - 1) < Q_{k+1} <= M < 2^31`, and the sum
 *   `x_k < Q_{k+1} <= M`: exact, without any reduction mod M.
 * - The only residue x coefficient product is `d * c_k` with `d, c_k` in
 *   `0..q_k-1`. For k >= 1, `q_k < q_0`, so `q_k^2 < q_0 q_k <= M < 2^31`,
 *   hence `q_k <= 46340` and `d * c_k <= 46339^2 = 2147302921 < 2^31`. This is
 *   why the largest modulus goes first: the one modulus that may exceed 46340
 *   (at most one can, two would multiply to more than 2^31) is the starting
 *   digit and is never multiplied or reduced against.
 * - Every `%` has non-negative operands: exact int32, never -0.
 *
 * So the "mulmod" of the direct CRT formula (`sum alpha_j e_j mod M`, whose
 * products reach 2^62) is replaced by `(d * c_k) % q_k`, a plain int32
 * multiply and remainder, `r - 1` of them per conversion.
 *
 * ## Index to residues
 *
 * `alpha[j] = index % p_j`: non-negative operands, exact.
 *
 * ## Shift
 *
 * `(a + b) mod p` for `a, b` in `0..p-1` as `t = a - (p - b)`, plus `p` if
 * negative: `p - b` is in `1..p`, `t` in `-(p-1)..p-1`, `t + p` in `1..p-1`.
 * (`a + b` itself can reach 2^32 - 4 when `p` is near 2^31.)
 *
 * ## Storage
 *
 * The per-modulus tables (at most 8 entries) are plain frozen Arrays: in XS a
 * plain-Array read costs about half a typed-array read (PERF.md). The family
 * table, which can be long, is a pair of Int32Arrays (4 bytes an entry instead
 * of a 16-byte slot), searched by bisection.
 */
import { INT32_MAX } from '../fixed/q.js';

/** The index of no family, and of an invalid residue vector (SPEC 9 boundary reason UNDEFINED_INDEX). */
export const UNDEFINED_INDEX = -1;

/** Limits checked by `createCrtIndex`. */
export const CrtLimit = {
  /** Fewest moduli. */
  MIN_MODULI: 1,
  /** Most moduli. */
  MAX_MODULI: 8,
  /** Smallest modulus. */
  MIN_MODULUS: 2,
} as const;

/** One entry of the sparse index -> family table. */
export interface CrtFamily {
  /** An index in 0..M-1. */
  readonly index: number;
  /** Its family id, 0..2^31-1. */
  readonly family: number;
}

/** The same table as two parallel columns (the shape a compiled model stores). */
export interface CrtFamilyColumns {
  /** Indices in 0..M-1, each at most once, any order (n). */
  readonly indices: ArrayLike<number>;
  /** `families[i]` is the family id of `indices[i]`, 0..2^31-1 (n). */
  readonly families: ArrayLike<number>;
}

export type CrtFamilies = readonly CrtFamily[] | CrtFamilyColumns;

/** A validated CRT index: read-only after `createCrtIndex`. */
export interface CrtIndex {
  /** Number of moduli, 1..8. */
  readonly r: number;
  /** The moduli `p_j` in the caller's order (r); residue vectors follow this order. */
  readonly moduli: readonly number[];
  /** M, the product of the moduli, below 2^31: indices are 0..M-1. */
  readonly size: number;
  /** Garner order (r): `order[k]` is the position in `moduli` of `q_k`, the (k+1)-th largest. */
  readonly order: readonly number[];
  /** `q_k = moduli[order[k]]` (r), decreasing; `q_k <= 46340` for k >= 1. */
  readonly q: readonly number[];
  /** `Q_k = q_0 * ... * q_{k-1}` (r), `Q_0 = 1`; each below M. */
  readonly radix: readonly number[];
  /** `c_k = Q_k^-1 mod q_k` (r), in 0..q_k-1; `c_0 = 0`, unused. */
  readonly inverse: readonly number[];
  /** Indices that have a family, strictly increasing (n). */
  readonly familyIndex: Int32Array;
  /** `familyId[i]` is the family of `familyIndex[i]` (n), each >= 0. */
  readonly familyId: Int32Array;
}

// ---------------------------------------------------------------------------
// Setup (validates, may throw, allocates)
// ---------------------------------------------------------------------------

const WHO = 'CRT index';

/** A value for an error message: strings quoted, everything else as `String` shows it. */
function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * `floor(n / d)` by binary long division, for `0 <= n <= INT32_MAX` and
 * `1 <= d <= INT32_MAX`. Setup only (up to 31 rounds).
 */
function udiv(n: number, d: number): number {
  if (n < d) return 0;
  // Scale d by 2^k while 2 * dd <= n: dd <= n - dd keeps dd << 1 <= n <= INT32_MAX.
  let dd = d;
  let bit = 1;
  while (dd <= n - dd) {
    dd = dd << 1;
    bit = bit << 1;
  }
  // Restoring division: r stays in 0..n, q is a sum of distinct bits <= n.
  let q = 0;
  let r = n;
  while (bit !== 0) {
    if (r >= dd) {
      r = r - dd;
      q = q | bit;
    }
    dd = dd >> 1;
    bit = bit >> 1;
  }
  return q;
}

/** `gcd(a, b)` for `a, b >= 1`, by Euclid (non-negative `%`, exact). */
function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/**
 * `a^-1 mod m` for `1 <= a < m <= INT32_MAX` with `gcd(a, m) = 1`, by the
 * extended Euclidean algorithm. Bezout coefficients satisfy `|t_i| <= m` and
 * `|quot * t_i| <= |t_{i-1}| + |t_{i+1}| <= m`, so every step is an int32.
 */
function modInverse(a: number, m: number): number {
  let r0 = m;
  let r1 = a;
  let t0 = 0;
  let t1 = 1;
  while (r1 > 1) {
    const quot = udiv(r0, r1);
    const r2 = r0 - quot * r1; // in 0..r1-1
    const t2 = t0 - quot * t1;
    r0 = r1;
    r1 = r2;
    t0 = t1;
    t1 = t2;
  }
  // r1 = gcd = 1 and t1 * a = 1 (mod m), |t1| < m.
  return t1 < 0 ? t1 + m : t1;
}

/**
 * The exact decimal product of `values` (each an integer in 2..2^31-1), for
 * an error message when it does not fit an int32. Schoolbook multiplication
 * on little-endian decimal digits: a column sums at most 10 digit products
 * (a factor has at most 10 digits), so it stays below 10 * 81 + carry < 1000.
 */
function decimalProduct(values: readonly number[]): string {
  let acc: number[] = [1];
  for (const v of values) {
    const s = String(v);
    const vd: number[] = [];
    for (let i = s.length - 1; i >= 0; i--) vd.push(s.charCodeAt(i) - 48);
    const col: number[] = new Array<number>(acc.length + vd.length).fill(0);
    for (let i = 0; i < acc.length; i++) {
      for (let j = 0; j < vd.length; j++) col[i + j] = col[i + j] + acc[i] * vd[j];
    }
    let carry = 0;
    for (let k = 0; k < col.length; k++) {
      let d = col[k] + carry;
      carry = 0;
      while (d >= 10) {
        d = d - 10;
        carry = carry + 1;
      }
      col[k] = d;
    }
    while (col.length > 1 && col[col.length - 1] === 0) col.pop();
    acc = col;
  }
  let out = '';
  for (let i = acc.length - 1; i >= 0; i--) out += String.fromCharCode(48 + acc[i]);
  return out;
}

/** Checks the moduli (named messages) and returns them as a plain array with their product. */
function checkModuli(moduli: unknown): { p: number[]; size: number } {
  if (!Array.isArray(moduli) && !(moduli instanceof Int32Array)) {
    throw new TypeError(`${WHO}: moduli must be an array of integers, got ${show(moduli)}`);
  }
  const list = moduli as ArrayLike<unknown>;
  const r = list.length;
  if (r < CrtLimit.MIN_MODULI || r > CrtLimit.MAX_MODULI) {
    throw new RangeError(`${WHO}: expected ${CrtLimit.MIN_MODULI} to ${CrtLimit.MAX_MODULI} moduli, got ${r}`);
  }
  const p: number[] = [];
  for (let j = 0; j < r; j++) {
    const v = list[j];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new TypeError(`${WHO}: moduli[${j}] = ${show(v)} is not an integer`);
    }
    if (v < CrtLimit.MIN_MODULUS) throw new RangeError(`${WHO}: moduli[${j}] = ${v} is below ${CrtLimit.MIN_MODULUS}`);
    if (v > INT32_MAX) throw new RangeError(`${WHO}: moduli[${j}] = ${v} is not below 2^31`);
    p.push(v);
  }
  for (let j = 1; j < r; j++) {
    for (let i = 0; i < j; i++) {
      const g = gcd(p[j], p[i]);
      if (g !== 1) {
        throw new RangeError(`${WHO}: moduli[${j}] = ${p[j]} shares a factor ${g} with moduli[${i}] = ${p[i]}`);
      }
    }
  }
  // Product below 2^31, checked before each multiply: size * v <= INT32_MAX
  // exactly when size <= floor(INT32_MAX / v).
  let size = 1;
  for (let j = 0; j < r; j++) {
    if (size > udiv(INT32_MAX, p[j])) {
      throw new RangeError(`${WHO}: product ${decimalProduct(p)} of moduli is not below 2^31`);
    }
    size = size * p[j];
  }
  return { p, size };
}

/** Reads the family table (either shape), checks it, and returns it sorted by index. */
function checkFamilies(families: unknown, size: number): { index: Int32Array; id: Int32Array } {
  type Entry = { index: unknown; family: unknown; at: number };
  const entries: Entry[] = [];
  let label: (at: number, field: 'index' | 'family') => string;
  if (families === undefined) {
    label = () => '';
  } else if (Array.isArray(families)) {
    label = (at, field) => `families[${at}].${field}`;
    for (let i = 0; i < families.length; i++) {
      const e: unknown = families[i];
      if (typeof e !== 'object' || e === null) {
        throw new TypeError(`${WHO}: families[${i}] must be an object { index, family }, got ${show(e)}`);
      }
      const o = e as { index?: unknown; family?: unknown };
      entries.push({ index: o.index, family: o.family, at: i });
    }
  } else if (typeof families === 'object' && families !== null && 'indices' in families && 'families' in families) {
    const c = families as { indices: unknown; families: unknown };
    const isList = (x: unknown): x is ArrayLike<unknown> =>
      Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
    if (!isList(c.indices)) throw new TypeError(`${WHO}: families.indices must be an array, got ${show(c.indices)}`);
    if (!isList(c.families)) throw new TypeError(`${WHO}: families.families must be an array, got ${show(c.families)}`);
    if (c.indices.length !== c.families.length) {
      throw new RangeError(
        `${WHO}: families.indices has ${c.indices.length} entries but families.families has ${c.families.length}`,
      );
    }
    label = (at, field) => (field === 'index' ? `families.indices[${at}]` : `families.families[${at}]`);
    for (let i = 0; i < c.indices.length; i++) entries.push({ index: c.indices[i], family: c.families[i], at: i });
  } else {
    throw new TypeError(
      `${WHO}: families must be an array of { index, family } or { indices, families }, got ${show(families)}`,
    );
  }

  for (const e of entries) {
    const { index, family } = e;
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new TypeError(`${WHO}: ${label(e.at, 'index')} = ${show(index)} is not an integer`);
    }
    if (index < 0 || index >= size) {
      throw new RangeError(`${WHO}: ${label(e.at, 'index')} = ${index} is outside the indices 0..${size - 1}`);
    }
    if (typeof family !== 'number' || !Number.isInteger(family)) {
      throw new TypeError(`${WHO}: ${label(e.at, 'family')} = ${show(family)} is not an integer`);
    }
    if (family < 0 || family > INT32_MAX) {
      throw new RangeError(`${WHO}: ${label(e.at, 'family')} = ${family} is outside the family ids 0..2^31-1`);
    }
  }
  // Sort by index, ties by position, so a duplicate is reported against its first occurrence.
  entries.sort((x, y) =>
    (x.index as number) < (y.index as number) ? -1 : (x.index as number) > (y.index as number) ? 1 : x.at < y.at ? -1 : x.at > y.at ? 1 : 0,
  );
  const n = entries.length;
  const index = new Int32Array(n);
  const id = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = entries[i];
    if (i > 0 && e.index === entries[i - 1].index) {
      const first = entries[i - 1].at;
      throw new RangeError(`${WHO}: ${label(e.at, 'index')} = ${e.index as number} is already mapped by ${label(first, 'index')}`);
    }
    index[i] = e.index as number;
    id[i] = e.family as number;
  }
  return { index, id };
}

/**
 * Validates the moduli and the family table and precomputes the index.
 *
 * - Domain: `moduli`, 1 to 8 integers, each in 2..2^31-1, pairwise coprime,
 *   with product below 2^31. `families` (optional, default none): entries
 *   `{ index, family }` or columns `{ indices, families }`, each index an
 *   integer in 0..M-1 at most once, each family id an integer in 0..2^31-1.
 * - Errors: throws TypeError (wrong type) or RangeError (bad value) with a
 *   message naming the field, e.g. `moduli[2] = 9 shares a factor 3 with
 *   moduli[0] = 3`, `product 2147516416 of moduli is not below 2^31`.
 * - Aliasing: copies its inputs; later changes to them have no effect.
 * - Allocation: yes (setup only): the index and its tables.
 */
export function createCrtIndex(moduli: readonly number[] | Int32Array, families?: CrtFamilies): CrtIndex {
  const { p, size } = checkModuli(moduli);
  const table = checkFamilies(families, size);
  const r = p.length;

  // Garner order: positions by decreasing modulus (distinct, so no ties).
  const order: number[] = [];
  for (let j = 0; j < r; j++) order.push(j);
  order.sort((x, y) => (p[x] > p[y] ? -1 : p[x] < p[y] ? 1 : 0));

  const q: number[] = [];
  const radix: number[] = [];
  const inverse: number[] = [];
  let prefix = 1; // Q_k, a divisor of M: below 2^31
  for (let k = 0; k < r; k++) {
    const qk = p[order[k]];
    q.push(qk);
    radix.push(prefix);
    // c_k = (Q_k mod q_k)^-1 mod q_k (k >= 1): Q_k and q_k are coprime, so
    // Q_k mod q_k is in 1..q_k-1 and invertible. c_0 is never used.
    inverse.push(k === 0 ? 0 : modInverse(prefix % qk, qk));
    prefix = prefix * qk; // Q_{k+1} <= M < 2^31
  }

  return Object.freeze({
    r,
    moduli: Object.freeze(p),
    size,
    order: Object.freeze(order),
    q: Object.freeze(q),
    radix: Object.freeze(radix),
    inverse: Object.freeze(inverse),
    familyIndex: table.index,
    familyId: table.id,
  });
}

/**
 * A residue vector for `crt`, all zeros (index 0).
 *
 * - Allocation: yes (setup only): an Int32Array of `crt.r` entries.
 */
export function createResidues(crt: CrtIndex): Int32Array {
  return new Int32Array(crt.r);
}

// ---------------------------------------------------------------------------
// Run time (total, allocation-free, int32 only)
// ---------------------------------------------------------------------------

/** Writes UNDEFINED_INDEX into every entry of `out`; returns `out`. */
function fillUndefined(out: Int32Array): Int32Array {
  const n = out.length;
  for (let i = 0; i < n; i = i + 1) out[i] = UNDEFINED_INDEX;
  return out;
}

/**
 * The index (0..M-1) of the residue vector `alpha`, by Garner's mixed radix
 * (see the file header for the ranges).
 *
 * - Domain: `alpha` of length `crt.r` with `alpha[j]` in 0..p_j-1. Any other
 *   `alpha` (wrong length, a residue out of range, the all -1 vector that
 *   `toResidues` and `shift` write for undefined input) gives
 *   UNDEFINED_INDEX. Never throws.
 * - Exact: the unique x in 0..M-1 with x = alpha[j] (mod p_j) for every j.
 * - Aliasing: reads `alpha` only.
 * - Allocation: none.
 */
export function toIndex(crt: CrtIndex, alpha: Int32Array): number {
  const r = crt.r;
  if (alpha.length !== r) return UNDEFINED_INDEX;
  const order = crt.order;
  const q = crt.q;
  const radix = crt.radix;
  const inverse = crt.inverse;
  let x = alpha[order[0]]; // x_0 = a_0, the residue for the largest modulus
  if (x < 0 || x >= q[0]) return UNDEFINED_INDEX;
  for (let k = 1; k < r; k = k + 1) {
    const qk = q[k]; // <= 46340
    const a = alpha[order[k]];
    if (a < 0 || a >= qk) return UNDEFINED_INDEX;
    let d = a - (x % qk); // x in 0..Q_k-1, x % qk in 0..qk-1: d in -(qk-1)..qk-1
    if (d < 0) d = d + qk; // 0..qk-1
    // v = d * c_k mod q_k: d * c_k <= (qk-1)^2 < 2^31. radix[k] * v < Q_{k+1}.
    x = x + radix[k] * ((d * inverse[k]) % qk); // x_k < Q_{k+1} <= M
  }
  return x;
}

/**
 * The residue vector of `index`: `out[j] = index mod p_j`.
 *
 * - Domain: `index` an integer in 0..M-1 and `out` of length `crt.r`. For
 *   any other `index` (UNDEFINED_INDEX, out of range, not an integer) or
 *   length, writes UNDEFINED_INDEX into every entry of `out`, a vector that
 *   `toIndex` maps back to UNDEFINED_INDEX. Never throws.
 * - Exact. Aliasing: `out` is the only array. Allocation: none.
 * - Returns `out`.
 */
export function toResidues(out: Int32Array, crt: CrtIndex, index: number): Int32Array {
  const r = crt.r;
  // (index | 0) === index: an integer (index < M < 2^31, so `| 0` is exact for one).
  if (out.length !== r || !(index >= 0 && index < crt.size) || (index | 0) !== index) return fillUndefined(out);
  const x = index | 0; // -0 becomes 0, so no remainder below can be -0
  const p = crt.moduli;
  for (let j = 0; j < r; j = j + 1) out[j] = x % p[j]; // non-negative operands: exact int32
  return out;
}

/**
 * `out = alpha (+) s`: component-wise `(alpha[j] + s[j]) mod p_j`, the switch
 * of SPEC 10. It is the group operation of Z_p0 x ... x Z_p(r-1): shifting by
 * the zero vector is the identity, shifting by s1 then by s2 equals shifting
 * by `s1 (+) s2`, and it corresponds to adding indices mod M.
 *
 * - Domain: `alpha` and `s` residue vectors of `crt` (length `crt.r`,
 *   entries in 0..p_j-1), `out` of length `crt.r`. Otherwise writes
 *   UNDEFINED_INDEX into every entry of `out`. Never throws.
 * - Exact (no overflow: see "Shift" in the file header).
 * - Aliasing: `out` may be `alpha`, `s`, or both; each component is read
 *   into locals before it is written.
 * - Allocation: none. Returns `out`.
 */
export function shiftResidues(out: Int32Array, crt: CrtIndex, alpha: Int32Array, s: Int32Array): Int32Array {
  const r = crt.r;
  if (out.length !== r || alpha.length !== r || s.length !== r) return fillUndefined(out);
  const p = crt.moduli;
  for (let j = 0; j < r; j = j + 1) {
    const m = p[j];
    const a = alpha[j];
    const b = s[j];
    // Invalid input: all entries undefined, whatever was written so far and however out is aliased.
    if (a < 0 || a >= m || b < 0 || b >= m) return fillUndefined(out);
    let t = a - (m - b); // m - b in 1..m: t in -(m-1)..m-1
    if (t < 0) t = t + m; // 1..m-1
    out[j] = t;
  }
  return out;
}

/**
 * The family id of `index`, or UNDEFINED_INDEX if it has none, by bisection
 * over the sorted family table (at most ceil(log2(n + 1)) probes).
 *
 * - Domain: any number. An `index` outside 0..M-1, or not an integer (it
 *   then equals no table entry), gives UNDEFINED_INDEX. Never throws.
 * - Aliasing: n/a. Allocation: none.
 */
export function familyOf(crt: CrtIndex, index: number): number {
  if (!(index >= 0 && index < crt.size)) return UNDEFINED_INDEX;
  const keys = crt.familyIndex;
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = lo + ((hi - lo) >> 1); // 0 <= lo <= hi < n: no overflow whatever n
    const k = keys[mid];
    if (k === index) return crt.familyId[mid];
    if (k < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return UNDEFINED_INDEX;
}

/**
 * The family id of the residue vector `alpha`: `familyOf(crt, toIndex(crt, alpha))`.
 *
 * - Domain: as `toIndex`; an invalid `alpha` gives UNDEFINED_INDEX. Never throws.
 * - Aliasing: reads `alpha` only. Allocation: none.
 */
export function familyOfResidues(crt: CrtIndex, alpha: Int32Array): number {
  return familyOf(crt, toIndex(crt, alpha));
}
