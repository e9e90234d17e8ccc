/**
 * Polytopes `P = { x : A x <= b }` (SPEC 3): preallocated tables, facet
 * classification with a band, and the per-facet data the projection needs.
 *
 * Units: `A` (m x n), `b` (m) and `x` (n) are int32 in the model's Q format
 * (`f` fractional bits, from the `QContext` of each call). Row i of `A` is
 * the outward normal of facet i (any length, not normalised). The slack of
 * facet i is the exact real value `b_i - <a_i, x>`, rounded ONCE (round to
 * nearest, ties to even) to Q units and saturated:
 *
 *     s_i = sat(RNE(b_i - (sum_j A_ij x_j) / 2^f))
 *
 * computed by the exact kernel `matVecAffine` (src/linalg), so a slack is
 * never wrong because an intermediate dot product saturated: only a slack
 * that itself does not fit int32 saturates (with `Flag.SATURATED`).
 *
 * Layout (TinyMPC-style, by lifetime): the model tables `A`, `b` (written at
 * load, `b` may be gardened later), the derived tables computed by
 * `refreshPolytope` from `A` alone (read-only afterwards), and a small cache
 * of exact box-facet bounds that follows `b` and `f` lazily.
 */
import { Flag, INT32_MAX, type QContext } from '../fixed/q.js';
import { createMatrix, LINALG_M_MAX, LINALG_N_MAX, matVecAffine, type Matrix } from '../linalg/matvec.js';
import {
  createWide, Rounding, wideAddProduct, wideBitLength, wideDivToInt, wideSet, wideShl,
} from '../linalg/wide.js';

/** Where a point lies relative to a polytope and its band (SPEC 3). */
export const PointKind = {
  /** Every slack > beta. */
  INTERIOR: 0,
  /** The smallest slack is in [-beta, beta] (grazing a facet). */
  FACET: 1,
  /** Some slack < -beta. */
  EXTERIOR: 2,
} as const;
export type PointKind = (typeof PointKind)[keyof typeof PointKind];

/** Names of `PointKind` values, for messages and logs. */
export const POINT_KIND_NAMES: readonly string[] = ['INTERIOR', 'FACET', 'EXTERIOR'];

/**
 * A facet's projection direction: `NONE` for an all-zero row (no point can
 * be moved onto it), else a shift `>= 1` (see `Polytope.dirShift`).
 */
export const DIR_NONE = -1;

/** Largest `|G_ij|` of a projection direction (the per-element product bound in project.ts assumes it). */
export const DIR_MAX = 1 << 29;

export interface Polytope {
  /** Facets. */
  readonly m: number;
  /** Dimension. */
  readonly n: number;
  /** m x n, Q, row-major: outward facet normals. Call `refreshPolytope` after editing. */
  readonly A: Int32Array;
  /** m, Q: offsets (may be edited, e.g. gardened, without a refresh). */
  readonly b: Int32Array;
  /** `A` prepared for the exact kernel (shares `A`). */
  readonly mat: Matrix;
  /** m: the axis j if row i has exactly one nonzero entry (a box facet), else -1. */
  readonly boxAxis: Int32Array;
  /** m: `sum_j |A_ij|`, saturated at INT32_MAX (rounding margins of projections). */
  readonly l1: Int32Array;
  /** m: `max_j |A_ij|` (INT32_MAX for INT32_MIN): bounds how fast a slack can change. */
  readonly amax: Int32Array;
  /**
   * m x n: Euclidean projection direction `G_ij ~ A_ij 2^P_i / ||a_i||^2`,
   * rounded (RNE), with `max_j |G_ij|` in [2^27, 2^29]. Zero for box facets
   * and zero rows.
   */
  readonly dir: Int32Array;
  /** m: `P_i` of `dir` (>= 28), or `DIR_NONE` for a zero row. */
  readonly dirShift: Int32Array;
  /** m: cache of exact box bounds (see `boxBound`); valid when `boxB`/`boxF` match. */
  readonly boxBoundCache: Int32Array;
  /** m: the `b_i` each cached bound was computed from. */
  readonly boxB: Int32Array;
  /** m: the `f` each cached bound was computed for (0 = not computed). */
  readonly boxF: Int32Array;
  /** Scratch wide integers for the lazy bound computation (4 x 8 limbs). */
  readonly wide: Int32Array[];
}

function checkDim(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new RangeError(`polytope: ${name} must be an integer in 1..${max}, got ${v}`);
  }
}

function checkTable(name: string, t: Int32Array | undefined, len: number, what: string): void {
  if (t !== undefined && (!(t instanceof Int32Array) || t.length !== len)) {
    const got = t instanceof Int32Array ? `${t.length} entries` : 'another type';
    throw new RangeError(`polytope: ${name} must be an Int32Array of ${what} = ${len} entries, got ${got}`);
  }
}

/**
 * Allocates a polytope with m facets in dimension n. Setup time only:
 * validates (throws a RangeError naming the field), allocates every table,
 * and computes the derived tables.
 *
 * - `A` (m x n) and `b` (m): copied if given, zero otherwise (fill `P.A`,
 *   then call `refreshPolytope`; `P.b` needs no refresh).
 * - Sizes: `1 <= m <= LINALG_M_MAX`, `1 <= n <= LINALG_N_MAX`.
 */
export function createPolytope(m: number, n: number, A?: Int32Array, b?: Int32Array): Polytope {
  checkDim('m', m, LINALG_M_MAX);
  checkDim('n', n, LINALG_N_MAX);
  checkTable('A', A, m * n, 'm * n');
  checkTable('b', b, m, 'm');
  const a = new Int32Array(m * n);
  if (A !== undefined) a.set(A);
  const bb = new Int32Array(m);
  if (b !== undefined) bb.set(b);
  const P: Polytope = {
    m,
    n,
    A: a,
    b: bb,
    mat: createMatrix(m, n, a),
    boxAxis: new Int32Array(m),
    l1: new Int32Array(m),
    amax: new Int32Array(m),
    dir: new Int32Array(m * n),
    dirShift: new Int32Array(m),
    boxBoundCache: new Int32Array(m),
    boxB: new Int32Array(m),
    boxF: new Int32Array(m),
    wide: [createWide(), createWide(), createWide(), createWide()],
  };
  refreshPolytope(P);
  return P;
}

/** Bits of |v| for an int32 v (0 for 0; 32 for INT32_MIN). */
export function bitLength(v: number): number {
  if (v === -0x7fffffff - 1) return 32;
  return 32 - Math.clz32(v < 0 ? 0 - v : v);
}

/**
 * Recomputes everything derived from `P.A`: the kernel's row sums, box
 * facets, L1 norms and the Euclidean projection directions. Setup time (or
 * after the model changed `A`); O(m n) wide-integer work; allocates nothing.
 *
 * Direction of facet i (not a box facet, not a zero row): with
 * `N = sum_j A_ij^2` (exact), `P_i = 28 - bitLength(max_j |A_ij|) +
 * bitLength(N)` and `G_ij = RNE(A_ij 2^P_i / N)`, so `max_j |G_ij|` lies in
 * [2^27, 2^29]: at least 27 significant bits for the largest component.
 * Moving x by `-v G_i 2^(f - P_i)` raises the slack of facet i by v.
 */
export function refreshPolytope(P: Polytope): void {
  const { m, n, A } = P;
  const num = P.wide[0];
  const den = P.wide[1];
  const r = P.wide[2];
  const t = P.wide[3];
  const scratchQ = { f: 16, one: 1 << 16, flags: 0 };
  // Row sums of the kernel.
  const rowSum = P.mat.rowSum;
  for (let i = 0; i < m; i++) {
    let hi = 0;
    let lo = 0;
    let nonzero = 0;
    let axis = -1;
    let l1 = 0;
    let amag = 0; // max |A_ij|
    let amax = 0; // bit length of max |A_ij|
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const w = A[base + j];
      hi += w >> 16;
      lo += w & 0xffff;
      if (w !== 0) {
        nonzero += 1;
        axis = j;
        const mag = w === -0x7fffffff - 1 ? INT32_MAX : w < 0 ? 0 - w : w;
        l1 = l1 > INT32_MAX - mag ? INT32_MAX : l1 + mag;
        if (mag > amag) amag = mag;
        const bl = bitLength(w);
        if (bl > amax) amax = bl;
      }
    }
    rowSum[2 * i] = hi + (lo >> 16);
    rowSum[2 * i + 1] = lo & 0xffff;
    P.boxAxis[i] = nonzero === 1 ? axis : -1;
    P.l1[i] = l1;
    P.amax[i] = amag;
    P.boxF[i] = 0; // invalidate the bound cache
    for (let j = 0; j < n; j++) P.dir[base + j] = 0;
    if (nonzero === 0) {
      P.dirShift[i] = DIR_NONE;
      continue;
    }
    // N = ||a_i||^2, exact.
    wideSet(den, 0);
    for (let j = 0; j < n; j++) {
      const w = A[base + j];
      wideAddProduct(den, w, w);
    }
    const shift = 28 - amax + wideBitLength(den);
    P.dirShift[i] = shift;
    if (nonzero === 1) continue; // box facet: clamped exactly, no direction needed
    for (let j = 0; j < n; j++) {
      const w = A[base + j];
      if (w === 0) continue;
      wideSet(num, w);
      wideShl(num, shift);
      P.dir[base + j] = wideDivToInt(scratchQ, num, den, Rounding.NEAREST_EVEN, r, t);
    }
  }
}

/**
 * The exact bound of box facet i for `q.f`: for `A_ij > 0` the largest
 * integer `u` with `A_ij u <= b_i 2^f` (so `x_j <= u`), for `A_ij < 0` the
 * smallest `l` with `A_ij l <= b_i 2^f` (so `x_j >= l`), saturated to int32
 * (with no flag: a bound beyond int32 excludes or includes every int32 alike).
 *
 * Cached per facet and recomputed only when `b_i` or `f` changed since the
 * last call (a long division, O(1) otherwise). Allocation: none.
 * Domain: `P.boxAxis[i] >= 0`.
 */
export function boxBound(q: QContext, P: Polytope, i: number): number {
  const bi = P.b[i];
  const f = q.f;
  if (P.boxF[i] === f && P.boxB[i] === bi) return P.boxBoundCache[i];
  const a = P.A[i * P.n + P.boxAxis[i]];
  // Indexed, not destructured: array destructuring allocates an iterator.
  const num = P.wide[0];
  const den = P.wide[1];
  const r = P.wide[2];
  const t = P.wide[3];
  // With |a| as the (positive) divisor: u = floor(b 2^f / |a|) for a > 0;
  // for a < 0, x >= b 2^f / a = (-b) 2^f / |a|, so l = ceil((-b) 2^f / |a|).
  wideSet(den, 0);
  wideAddProduct(den, a < 0 ? -1 : 1, a); // |a| exactly, also for INT32_MIN
  wideSet(num, 0);
  wideAddProduct(num, bi, a < 0 ? -1 : 1); // -b exactly, also for INT32_MIN
  wideShl(num, f);
  const saved = q.flags;
  const bound = wideDivToInt(q, num, den, a > 0 ? Rounding.FLOOR : Rounding.CEIL, r, t);
  q.flags = saved;
  P.boxBoundCache[i] = bound;
  P.boxB[i] = bi;
  P.boxF[i] = f;
  return bound;
}

/** What `classify` reports. Allocated once by `createClassifyResult`. */
export interface ClassifyResult {
  /** INTERIOR, FACET or EXTERIOR. */
  kind: PointKind;
  /** m, Q: slack of every facet. */
  readonly slack: Int32Array;
  /**
   * Facets whose slack is <= beta (within the band, or violated), sorted by
   * slack ascending (most binding first; ties by facet id). Only the first
   * `listed` entries are valid.
   */
  readonly active: Int32Array;
  /** Facets with slack <= beta: may exceed the list capacity. */
  count: number;
  /** Entries of `active` filled: min(count, kMax). */
  listed: number;
  /** The smallest slack, and its facet (the lowest id on ties). */
  minSlack: number;
  minFacet: number;
}

/** Allocates a result for polytopes with m facets and lists of up to kMax ids. Setup time. */
export function createClassifyResult(m: number, kMax: number): ClassifyResult {
  checkDim('m', m, LINALG_M_MAX);
  if (!Number.isInteger(kMax) || kMax < 0 || kMax > m) {
    throw new RangeError(`classify result: kMax must be an integer in 0..m = ${m}, got ${kMax}`);
  }
  return {
    kind: PointKind.INTERIOR,
    slack: new Int32Array(m),
    active: new Int32Array(kMax),
    count: 0,
    listed: 0,
    minSlack: 0,
    minFacet: 0,
  };
}

/**
 * Classifies `x` against `P` with facet band `beta` (SPEC 3).
 *
 * - Domain: `x` (n entries) and `beta` in the Q format of `q`; `beta >= 0`
 *   (a negative beta is treated as 0 and ORs `Flag.DOMAIN`); `kMax` in
 *   0..`out.active.length` (larger is clamped to it). `out` made for >= m facets.
 * - Fills `out.slack` (exact slacks, one RNE each, saturating with
 *   `Flag.SATURATED`), `out.kind`, the bounded active list (the `kMax`
 *   facets with the smallest slacks among those with slack <= beta, in
 *   ascending order; facets beyond kMax are counted in `count` but not
 *   listed), and the smallest slack with its facet.
 * - Kind: EXTERIOR if min slack < -beta, FACET if min slack <= beta,
 *   INTERIOR otherwise.
 * - Aliasing: `x` is only read; `out` shares nothing with `x`.
 * - Allocation: none. Cost: one exact m x n product, plus O(m kMax) for the
 *   sorted list in the worst case.
 */
export function classify(q: QContext, out: ClassifyResult, P: Polytope, x: Int32Array, beta: number, kMax: number): void {
  if (beta < 0) {
    q.flags |= Flag.DOMAIN;
    beta = 0;
  }
  const m = P.m;
  const slack = out.slack;
  const active = out.active;
  const cap = kMax < 0 ? 0 : kMax < active.length ? kMax : active.length;
  matVecAffine(q, slack, P.mat, x, q.f, P.b, -1);
  let minSlack = slack[0];
  let minFacet = 0;
  let count = 0;
  let listed = 0;
  for (let i = 0; i < m; i++) {
    const s = slack[i];
    if (s < minSlack) {
      minSlack = s;
      minFacet = i;
    }
    if (s > beta) continue;
    count += 1;
    if (cap === 0) continue;
    // Insert into the sorted list (ascending slack; equal slacks keep id order).
    if (listed === cap) {
      if (s >= slack[active[cap - 1]]) continue;
      listed -= 1; // drop the largest
    }
    let p = listed;
    while (p > 0 && slack[active[p - 1]] > s) {
      active[p] = active[p - 1];
      p -= 1;
    }
    active[p] = i;
    listed += 1;
  }
  out.count = count;
  out.listed = listed;
  out.minSlack = minSlack;
  out.minFacet = minFacet;
  out.kind = minSlack < 0 - beta ? PointKind.EXTERIOR : minSlack <= beta ? PointKind.FACET : PointKind.INTERIOR;
}
