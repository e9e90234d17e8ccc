/**
 * The per-iteration workspace of the geometry functions (classification,
 * projection, facet-aware quantization): every buffer they use, allocated
 * once at setup by `createGeometryWork`, so that no call allocates.
 *
 * One workspace serves one call at a time (not re-entrant); it may be shared
 * by several polytopes of the same dimension n with at most m facets.
 */
import { LINALG_M_MAX, LINALG_N_MAX } from '../linalg/matvec.js';
import { createClassifyResult, type ClassifyResult } from './polytope.js';

/** Default number of candidates the repair search of `quantizeInPolytope` may examine. */
export const SEARCH_CAP_DEFAULT = 64;

export interface GeometryWork {
  /** Largest facet count served. */
  readonly m: number;
  /** Dimension served (exactly). */
  readonly n: number;
  /** Capacity of active-facet lists. */
  readonly kMax: number;
  /** Classification scratch (m slacks, kMax ids). */
  readonly cls: ClassifyResult;

  // Projection (project.ts)
  /** n, Q: the Dykstra iterate. */
  readonly px: Int32Array;
  /** m x n, Q: Dykstra increment of each general facet (row i valid when incSet[i]). */
  readonly inc: Int32Array;
  /** m, Q: Dykstra increment of each box facet (along its axis). */
  readonly incBox: Int32Array;
  /** m: 1 when the increment of facet i may be nonzero. */
  readonly incSet: Int32Array;
  /** m, Q: slack of each facet when last computed (screening; valid when lastMove >= 0). */
  readonly lastSlack: Int32Array;
  /** m: the movement counter when lastSlack was computed, -1 if stale. */
  readonly lastMove: Int32Array;
  /** L1 length of the last `moveAlong` (internal). */
  moved: number;
  /** Sweeps the last projection ran (for tests and logs). */
  sweeps: number;
  /** Facet visits the last projection skipped by screening (for tests and logs). */
  screened: number;

  // Quantization (quantize.ts)
  /** Candidates the repair search may examine (`cap` larger is clamped to it). */
  readonly searchCap: number;
  /** Heap slots (children beyond it are dropped; the result is then not proved optimal). */
  readonly heapCap: number;
  /** n: lattice index of the rounded point, `k_j = RNE(x_j / Delta_j)`. */
  readonly k: Int32Array;
  /** n, Q: `e_j = k_j Delta_j - x_j`, |e_j| <= Delta_j / 2. */
  readonly e: Int32Array;
  /** n, Q: the candidate being checked. */
  readonly cand: Int32Array;
  /** n: lattice indices of the candidate (`cand_j = off_j Delta_j`). */
  readonly off: Int32Array;
  /** heapCap: the parent slot of each search node (slot 0 is the rounded point). */
  readonly hParent: Int32Array;
  /** heapCap: the node's offset, in steps, on its axis `hLast` (its other axes are its parent's). */
  readonly hVal: Int32Array;
  /** heapCap + 6: squared distance of each slot, base 2^30 limbs (low, mid, high); the last six are scratch. */
  readonly hKey0: Int32Array;
  readonly hKey1: Int32Array;
  readonly hKey2: Int32Array;
  /** heapCap: push order (ties of the key pop first-in first-out). */
  readonly hSeq: Int32Array;
  /** heapCap: the node's axis, the last with a nonzero offset (-1 for the root). */
  readonly hLast: Int32Array;
  /** heapCap: a facet the parent violated (checked first). */
  readonly hHint: Int32Array;
  /** heapCap: the binary min-heap of slot ids. */
  readonly heap: Int32Array;
  /** Candidates examined by the last quantization (for tests and logs). */
  examined: number;
  /** 1 if the last quantization's answer is proved nearest (no cap hit, nothing dropped). */
  proved: number;
  /** Set by the search when a candidate could not be stored (heap full, offset bound) or the cap stopped it. */
  dropped: number;
}

/**
 * Allocates a workspace for polytopes of dimension n with at most m facets
 * and active lists of up to kMax ids. Setup time only: validates (throws
 * naming the field) and allocates.
 *
 * - `searchCap`: candidates the quantization repair may examine (default 64).
 * - `heapCap`: heap slots for the repair search; default
 *   `searchCap * (2n + 1) + 1` (enough never to drop a candidate), at most
 *   4096 unless given explicitly. Memory: `9 heapCap` int32 for the search.
 */
export function createGeometryWork(m: number, n: number, kMax: number, searchCap: number = SEARCH_CAP_DEFAULT, heapCap?: number): GeometryWork {
  const check = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`geometry work: ${name} must be an integer in ${lo}..${hi}, got ${v}`);
  };
  check('m', m, 1, LINALG_M_MAX);
  check('n', n, 1, LINALG_N_MAX);
  check('kMax', kMax, 0, m);
  check('searchCap', searchCap, 1, 1 << 20);
  const hc = heapCap ?? Math.min(searchCap * (2 * n + 1) + 1, 4096);
  check('heapCap', hc, 1, 1 << 22);
  return {
    m,
    n,
    kMax,
    cls: createClassifyResult(m, kMax),
    px: new Int32Array(n),
    inc: new Int32Array(m * n),
    incBox: new Int32Array(m),
    incSet: new Int32Array(m),
    lastSlack: new Int32Array(m),
    lastMove: new Int32Array(m),
    moved: 0,
    sweeps: 0,
    screened: 0,
    searchCap,
    heapCap: hc,
    k: new Int32Array(n),
    e: new Int32Array(n),
    cand: new Int32Array(n),
    off: new Int32Array(n),
    hParent: new Int32Array(hc),
    hVal: new Int32Array(hc),
    hKey0: new Int32Array(hc + 6),
    hKey1: new Int32Array(hc + 6),
    hKey2: new Int32Array(hc + 6),
    hSeq: new Int32Array(hc),
    hLast: new Int32Array(hc),
    hHint: new Int32Array(hc),
    heap: new Int32Array(hc),
    examined: 0,
    proved: 0,
    dropped: 0,
  };
}
