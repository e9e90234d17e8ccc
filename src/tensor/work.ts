/**
 * Higher-order terms (SPEC 11): the workspace and the packed symmetric
 * layout of the mixed directional differences.
 *
 * ## Packing
 *
 * A mixed difference of order d over K directions is named by a sorted
 * multi-index `k1 <= k2 <= ... <= kd` (each k in 0..K-1); there are
 * `C(K + d - 1, d)` of them (symmetry: the order of the directions does not
 * matter). Within an order, multi-indices are ranked in colexicographic
 * order by the combinatorial number system for multisets:
 *
 *     rank(k1 <= ... <= kd) = sum_{i=1..d} C(k_i + i - 1, i)
 *
 * so the multi-indices whose directions are all below K take ranks
 * 0 .. C(K + d - 1, d) - 1 whatever `kMax` is: a call with fewer directions
 * than `kMax` uses a prefix of each order's block. The blocks of orders
 * 0, 1, ..., orderMax follow each other, each sized for `kMax`:
 *
 *     packedIndex(d, k) = offset[d] + rank(k),  offset[d] = sum_{e<d} C(kMax + e - 1, e)
 *
 * Entry 0 is order 0 (F(x) itself); entries 1..kMax are the first-order
 * differences (entry 1 + k for direction k); and so on. The same index names
 * a stencil point: the multi-index `k1..kd` is the point
 * `x + d_{k1} + ... + d_{kd}` (see differences.ts), so the F values and the
 * differences share one layout and one buffer.
 *
 * ## Lifetime
 *
 * `createTensorWork` is setup time: it validates, builds every table and
 * allocates every buffer, and may throw (messages name the argument). The
 * functions that use a workspace never allocate, throw or log.
 */
import { createWide } from '../linalg/wide.js';

/** Largest number of directions a workspace may hold. */
export const TENSOR_K_MAX = 16;
/** Largest derivative order (SPEC 11: at most 5). */
export const TENSOR_ORDER_MAX = 5;
/** Largest state dimension (as the linear algebra, src/linalg/matvec.ts). */
export const TENSOR_N_MAX = 4096;
/** Largest size of the value buffer, entries x n words (16 MB). */
export const TENSOR_WORDS_MAX = 1 << 22;

/**
 * Workspace of the higher-order terms. Tables are read-only after
 * `createTensorWork`; buffers are scratch or results of the last call.
 */
export interface TensorWork {
  /** State dimension. */
  readonly n: number;
  /** Most directions per call. */
  readonly kMax: number;
  /** Highest order per call, 1..5. */
  readonly orderMax: number;
  /** Packed entries of orders 0..orderMax for kMax directions: C(kMax + orderMax, orderMax). */
  readonly entries: number;

  // ---- tables (setup) ----
  /** (kMax + orderMax + 1) x (orderMax + 1), row-major: binom[a * (orderMax + 1) + b] = C(a, b). */
  readonly binom: readonly number[];
  /** orderMax + 2: first entry of each order's block; offset[orderMax + 1] = entries. */
  readonly offset: readonly number[];
  /** entries: the order of each entry. */
  readonly entryOrder: readonly number[];
  /** entries x orderMax: the sorted multi-index of each entry (unused slots -1). */
  readonly entryDirs: readonly number[];
  /** entries: largest direction of the entry (-1 for order 0): valid for K directions iff < K. */
  readonly entryTop: readonly number[];
  /** entries + 1: the difference terms of entry p are termStart[p] .. termStart[p + 1] - 1. */
  readonly termStart: readonly number[];
  /** Per term: the entry (stencil point) it reads, times n (a word offset into `values`). */
  readonly termBase: readonly number[];
  /** Per term: |coefficient| = prod_k C(alpha_k, beta_k), in 1..10. */
  readonly termMag: readonly number[];
  /** Per term: 1 if the coefficient is negative ((-1)^(|alpha| - |beta|) = -1), else 0. */
  readonly termNeg: readonly number[];

  // ---- buffers ----
  /**
   * entries x n, raw int32: after `finiteDifferences`, entry p holds the
   * exact integer difference Delta^alpha F(x) (entry 0: F(x)), in Q units of F
   * (per h^|alpha|, see differences.ts). Only the entries valid for the last
   * call's K and order are written.
   */
  readonly values: Int32Array;
  /** kMax x n, Q units: the lattice displacement d_k = RNE(h_k u_k / 2^f) of the last call. */
  readonly disp: Int32Array;
  /** kMax: the steps h_k (Q units) of the last call. */
  readonly steps: Int32Array;
  /** n: scratch, the stencil point passed to F. */
  readonly point: Int32Array;
  /** n: scratch, F's output before it is copied into `values`. */
  readonly fout: Int32Array;
  /** kMax x n: first-order differences along each direction (raw, per h_k), see jacobianOnDirections. */
  readonly jacobian: Int32Array;
  /** kMax, Q: second-order diagonal terms RNE(<u_k, Delta_kk F(x)> / 2^f), see jacobianOnDirections. */
  readonly curvature: Int32Array;
  /** orderMax + 1, Q: scratch of `taylorLookahead`, G_j = <a, Delta_k^j F(x)>. */
  readonly series: Int32Array;
  /** Wide integers (src/linalg/wide.ts) for `differenceToDerivative`: numerator, denominator, two scratch. */
  readonly wideNum: Int32Array;
  readonly wideDen: Int32Array;
  readonly wideR: Int32Array;
  readonly wideT: Int32Array;

  // ---- results of the last call ----
  /** Directions of the last successful `finiteDifferences` (0: none yet). */
  lastK: number;
  /** Order of the last successful `finiteDifferences` (0: none yet). */
  lastOrder: number;
  /** F evaluations (distinct stencil points) of the last call: C(K + order, order). */
  evaluations: number;
  /** Look-ahead: the predicted slack (Q) at the step `taylorLookahead` returned (or after the last step tried). */
  predictedSlack: number;
  /** Look-ahead: the lattice offset r along the facet's direction at that step. */
  predictedOffset: number;
}

function checkInt(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`tensor work: ${name} must be an integer in ${lo}..${hi}, got ${v}`);
  }
}

/**
 * Pascal's triangle: C(a, b) for a in 0..rows-1, b in 0..cols-1, row-major
 * (additions only; every value here is below C(21, 5) = 20349).
 */
function pascal(rows: number, cols: number): number[] {
  const t: number[] = [];
  for (let a = 0; a < rows; a++) {
    for (let b = 0; b < cols; b++) {
      if (b === 0) t.push(1);
      else if (a === 0) t.push(0);
      else t.push(t[(a - 1) * cols + b - 1] + t[(a - 1) * cols + b]);
    }
  }
  return t;
}

/**
 * Makes the workspace for states of dimension `n`, at most `kMax` directions
 * and derivative orders up to `orderMax`. Setup time: validates (the
 * message names the argument), builds the packing and difference tables,
 * allocates every buffer; may throw.
 *
 * - `n`: 1..4096; `kMax`: 1..16; `orderMax`: 1..5.
 * - The value buffer holds C(kMax + orderMax, orderMax) x n words, at most
 *   2^22 (for example kMax = 8, orderMax = 5, n = 64: 1287 x 64).
 */
export function createTensorWork(n: number, kMax: number, orderMax: number): TensorWork {
  checkInt('n', n, 1, TENSOR_N_MAX);
  checkInt('kMax', kMax, 1, TENSOR_K_MAX);
  checkInt('orderMax', orderMax, 1, TENSOR_ORDER_MAX);
  const cols = orderMax + 1;
  const binom = pascal(kMax + orderMax + 1, cols);
  const C = (a: number, b: number): number => binom[a * cols + b];

  const offset: number[] = [0];
  for (let d = 0; d <= orderMax; d++) offset.push(offset[d] + C(kMax + d - 1, d));
  const entries = offset[orderMax + 1]; // = C(kMax + orderMax, orderMax)
  if (entries > TENSOR_WORDS_MAX || entries * n > TENSOR_WORDS_MAX) {
    throw new RangeError(
      `tensor work: n x C(kMax + order, order) = ${n} x ${entries} words exceeds ${TENSOR_WORDS_MAX}; lower n, kMax or order`,
    );
  }

  /** Packed index of the sorted multi-index ks (setup-time twin of packedIndex). */
  const indexOf = (ks: number[]): number => {
    let r = offset[ks.length];
    for (let i = 0; i < ks.length; i++) r += C(ks[i] + i, i + 1);
    return r;
  };

  // Every sorted multi-index of every order, placed at its packed index.
  const entryOrder: number[] = new Array<number>(entries).fill(0);
  const entryDirs: number[] = new Array<number>(entries * Math.max(orderMax, 1)).fill(-1);
  const entryTop: number[] = new Array<number>(entries).fill(-1);
  for (let d = 0; d <= orderMax; d++) {
    const ks: number[] = new Array<number>(d).fill(0);
    for (;;) {
      const p = indexOf(ks);
      entryOrder[p] = d;
      for (let i = 0; i < d; i++) entryDirs[p * orderMax + i] = ks[i];
      entryTop[p] = d === 0 ? -1 : ks[d - 1];
      // Next sorted multi-index (odometer, non-decreasing).
      let i = d - 1;
      while (i >= 0 && ks[i] === kMax - 1) i--;
      if (i < 0) break;
      const v = ks[i] + 1;
      for (let j = i; j < d; j++) ks[j] = v;
    }
  }

  // Difference terms: Delta^alpha F = sum_{beta <= alpha} (-1)^{|alpha|-|beta|}
  // prod_k C(alpha_k, beta_k) F(x + sum_k beta_k d_k).
  const termStart: number[] = [0];
  const termBase: number[] = [];
  const termMag: number[] = [];
  const termNeg: number[] = [];
  for (let p = 0; p < entries; p++) {
    const d = entryOrder[p];
    const alpha: number[] = new Array<number>(kMax).fill(0);
    for (let i = 0; i < d; i++) alpha[entryDirs[p * orderMax + i]] += 1;
    const beta: number[] = new Array<number>(kMax).fill(0);
    for (;;) {
      const ks: number[] = [];
      let mag = 1;
      for (let k = 0; k < kMax; k++) {
        for (let c = 0; c < beta[k]; c++) ks.push(k);
        mag *= C(alpha[k], beta[k]); // <= C(5, 2) = 10 overall
      }
      termBase.push(indexOf(ks) * n);
      termMag.push(mag);
      termNeg.push((d - ks.length) & 1);
      // Next beta <= alpha (odometer).
      let k = 0;
      while (k < kMax && beta[k] === alpha[k]) {
        beta[k] = 0;
        k++;
      }
      if (k === kMax) break;
      beta[k] += 1;
    }
    termStart.push(termBase.length);
  }

  return {
    n,
    kMax,
    orderMax,
    entries,
    binom: Object.freeze(binom),
    offset: Object.freeze(offset),
    entryOrder: Object.freeze(entryOrder),
    entryDirs: Object.freeze(entryDirs),
    entryTop: Object.freeze(entryTop),
    termStart: Object.freeze(termStart),
    termBase: Object.freeze(termBase),
    termMag: Object.freeze(termMag),
    termNeg: Object.freeze(termNeg),
    values: new Int32Array(entries * n),
    disp: new Int32Array(kMax * n),
    steps: new Int32Array(kMax),
    point: new Int32Array(n),
    fout: new Int32Array(n),
    jacobian: new Int32Array(kMax * n),
    curvature: new Int32Array(kMax),
    series: new Int32Array(orderMax + 1),
    wideNum: createWide(),
    wideDen: createWide(),
    wideR: createWide(),
    wideT: createWide(),
    lastK: 0,
    lastOrder: 0,
    evaluations: 0,
    predictedSlack: 0,
    predictedOffset: 0,
  };
}

/**
 * The number of distinct mixed differences of order `d` over `K`
 * directions, C(K + d - 1, d) (1 for d = 0), from the workspace's table.
 *
 * - Domain: 1 <= K <= work.kMax, 0 <= d <= work.orderMax; outside it,
 *   returns 0. Exact; allocates nothing.
 */
export function entryCount(work: TensorWork, K: number, d: number): number {
  if (K < 1 || K > work.kMax || d < 0 || d > work.orderMax) return 0;
  return work.binom[(K + d - 1) * (work.orderMax + 1) + d];
}

/**
 * The number of stencil points (F evaluations) of a call with `K`
 * directions and order `d`: C(K + d, d), every multi-index of order 0..d.
 *
 * - Domain as `entryCount`; outside it, returns 0. Exact; allocates nothing.
 */
export function stencilPoints(work: TensorWork, K: number, d: number): number {
  if (K < 1 || K > work.kMax || d < 0 || d > work.orderMax) return 0;
  let s = 0;
  for (let e = 0; e <= d; e++) s += work.binom[(K + e - 1) * (work.orderMax + 1) + e]; // <= 20349
  return s;
}

/**
 * The packed index of the sorted multi-index `ks[0] <= ks[1] <= ... <=
 * ks[d-1]` (directions, each in 0..kMax-1): `offset[d] + sum_i C(ks[i] + i,
 * i + 1)`. With d = 0 it is 0 (F(x)).
 *
 * - Domain: 0 <= d <= work.orderMax, `ks` sorted, entries in 0..kMax-1.
 *   Returns -1 for a d out of range, an unsorted list or a direction out of
 *   range (no throw).
 * - Exact (table lookups and additions); allocates nothing.
 */
export function packedIndex(work: TensorWork, ks: ArrayLike<number>, d: number): number {
  if (d < 0 || d > work.orderMax || ks.length < d) return -1;
  const cols = work.orderMax + 1;
  let r = work.offset[d];
  let prev = 0;
  for (let i = 0; i < d; i++) {
    const k = ks[i];
    if (k < prev || k >= work.kMax) return -1;
    prev = k;
    // C(k + i, i + 1) with i + 1 <= orderMax and k + i < kMax + orderMax: in the table.
    r += work.binom[(k + i) * cols + i + 1];
  }
  return r;
}

/**
 * The packed index of the pure multi-index (k, k, ..., k) of order `d`
 * (d-th difference along direction k alone).
 *
 * - Domain: 0 <= k < kMax, 0 <= d <= orderMax; -1 outside it. Allocates nothing.
 */
export function pureIndex(work: TensorWork, k: number, d: number): number {
  if (d < 0 || d > work.orderMax || k < 0 || k >= work.kMax) return -1;
  const cols = work.orderMax + 1;
  let r = work.offset[d];
  for (let i = 0; i < d; i++) r += work.binom[(k + i) * cols + i + 1];
  return r;
}
