/**
 * The boundary record (SPEC 9): a fixed-size, preallocated record filled
 * instead of returning NaN, plus the ring of the last H states that it
 * carries ("log the limit, not the value").
 */
import { mul } from '../fixed/mul.js';
import type { QContext } from '../fixed/q.js';
import { Reason } from './codes.js';

export interface BoundaryRecord {
  /** A `Reason`; NONE until the first boundary. */
  reason: number;
  /** Step index at which it was written. */
  step: number;
  /** Level the state was at. */
  level: number;
  /** r: the CRT residues. */
  readonly alpha: Int32Array;
  /** n, Q: the state, unchanged by the refused step. */
  readonly x: Int32Array;
  /** n, Q units: the quantization steps of the level tried last. */
  readonly delta: Int32Array;
  /** Gamma_chi(x), Q. */
  chi: number;
  /** PAS(x), Q. */
  pas: number;
  /** Active facet ids (most binding first); the first `activeCount` are valid (<= K_max). */
  readonly active: Int32Array;
  activeCount: number;
  /** K_max x n, Q: boundary stress Sigma_kj = u_i n_ij for the k-th active facet i. */
  readonly stress: Int32Array;
  /** r_ops x r_ops, Q: the last non-commutativity curvature kappa. */
  readonly kappa: Int32Array;
  /**
   * K_max x n, Q units (SPEC 9, 11): row k is the exact lattice difference
   * `F(x + d_k) - F(x)` along the normal of the k-th active facet, with
   * `d_k = RNE(h_k n_k / 2^f)`, i.e. the local Jacobian applied to that
   * normal, per step h_k (`jacobianSteps[k]`). Zero past `activeCount` and
   * whenever the level's `order` is 0.
   */
  readonly jacobian: Int32Array;
  /**
   * K_max, Q: `RNE(<n_k, F(x + 2 d_k) - 2 F(x + d_k) + F(x)> / 2^f)`, the
   * curvature of F along the k-th active normal, per h_k^2. Zero past
   * `activeCount` and when the level's `order` is below 2.
   */
  readonly curvature: Int32Array;
  /** K_max, Q units: the step h_k of each Jacobian row (0 where the row is zero). */
  readonly jacobianSteps: Int32Array;
  /** H x n, Q: ring of the last H states before the failure, oldest at `historyStart`. */
  readonly history: Int32Array;
  /** Index (in states) of the oldest entry of `history`. */
  historyStart: number;
  /** Entries of `history` filled (<= H). */
  historyCount: number;
}

/** The states ring the engine appends to every step (copied into a record on failure). */
export interface StateRing {
  readonly n: number;
  /** H. */
  readonly capacity: number;
  /** H x n, Q. */
  readonly data: Int32Array;
  /** Next slot to write. */
  head: number;
  /** Filled slots (<= H). */
  count: number;
}

/** Allocates a record. Setup time. */
export function createBoundaryRecord(n: number, r: number, kMax: number, operators: number, history: number): BoundaryRecord {
  return {
    reason: Reason.NONE,
    step: 0,
    level: 0,
    alpha: new Int32Array(r),
    x: new Int32Array(n),
    delta: new Int32Array(n),
    chi: 0,
    pas: 0,
    active: new Int32Array(kMax),
    activeCount: 0,
    stress: new Int32Array(kMax * n),
    kappa: new Int32Array(operators * operators),
    jacobian: new Int32Array(kMax * n),
    curvature: new Int32Array(kMax),
    jacobianSteps: new Int32Array(kMax),
    history: new Int32Array(history * n),
    historyStart: 0,
    historyCount: 0,
  };
}

/** Allocates a ring of `capacity` states of n entries. Setup time. */
export function createStateRing(n: number, capacity: number): StateRing {
  return { n, capacity, data: new Int32Array(capacity * n), head: 0, count: 0 };
}

/** Appends a copy of `x` (n entries), dropping the oldest when full. No allocation. */
export function ringPush(ring: StateRing, x: Int32Array): void {
  const n = ring.n;
  const data = ring.data;
  const base = ring.head * n;
  for (let j = 0; j < n; j++) data[base + j] = x[j];
  ring.head = ring.head + 1 === ring.capacity ? 0 : ring.head + 1;
  if (ring.count < ring.capacity) ring.count++;
}

/** Empties the ring. */
export function ringClear(ring: StateRing): void {
  ring.head = 0;
  ring.count = 0;
}

/**
 * Fills the stress tensor of `rec` from the listed active facets:
 * `stress[k][j] = u_i * A_ij` (Q product, RNE, saturating) for the k-th
 * listed facet i; rows past `activeCount` are zeroed. No allocation.
 */
export function fillStress(q: QContext, rec: BoundaryRecord, A: Int32Array, n: number, u: Int32Array): void {
  const stress = rec.stress;
  const kMax = rec.active.length;
  for (let k = 0; k < kMax; k++) {
    const base = k * n;
    if (k < rec.activeCount) {
      const i = rec.active[k];
      const ui = u[i];
      const row = i * n;
      for (let j = 0; j < n; j++) stress[base + j] = mul(q, ui, A[row + j]);
    } else {
      for (let j = 0; j < n; j++) stress[base + j] = 0;
    }
  }
}

/** Copies the ring into the record, oldest first at `historyStart` (the ring's layout is kept). */
export function fillHistory(rec: BoundaryRecord, ring: StateRing): void {
  rec.history.set(ring.data);
  rec.historyCount = ring.count;
  rec.historyStart = ring.count < ring.capacity ? 0 : ring.head;
}
