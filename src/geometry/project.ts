/**
 * Projection onto a polytope (SPEC 3): the nearest point of `P` to `x`,
 * Euclidean or under a diagonal metric, by a bounded number of Dykstra
 * sweeps over the half-spaces, in exact integer arithmetic.
 *
 * Dykstra's method keeps one increment per half-space; for a half-space the
 * increment is the last correction made for it. Each visit of facet i:
 *
 *     z = x + p_i;   x = P_i(z);   p_i = z - x
 *
 * The increments are stored as integer vectors, so `y = x + sum_i p_i`
 * holds EXACTLY in integers at every step (rounding never drifts the
 * iterate away from Dykstra's invariant), and a sweep that changes no
 * increment is an exact fixed point: the projection stops early.
 *
 * `P_i` for a box facet (one nonzero coefficient) is an exact clamp of one
 * coordinate to the facet's exact bound (floor / ceil: always inside).
 * Otherwise it moves z along the facet's precomputed direction
 * (`G_i ~ D^-1 a_i / (a_i' D^-1 a_i)`, 27+ significant bits) by the slack
 * deficit `v = -s_i(z)`, each coordinate's move rounded once (RNE) from an
 * exact product. A final polish re-projects any facet that rounding left
 * violated, with a margin that covers the rounding (see `projectDykstra`).
 *
 * The result is returned only if it is not EXTERIOR for the band `beta`
 * after the cap; otherwise the status is UNDEFINED and `out` is untouched
 * (SPEC 3: PROJECTION_UNDEFINED, never a number).
 */
import { mulShift } from '../fixed/mul.js';
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';
import { dotAffine } from '../linalg/matvec.js';
import { createWide, Rounding, wideAddProduct, wideBitLength, wideDivToInt, wideSet, wideShl } from '../linalg/wide.js';
import { bitLength, boxBound, classify, DIR_NONE, PointKind, type Polytope } from './polytope.js';
import type { GeometryWork } from './work.js';

/** Result of `projectDykstra`. */
export const ProjectStatus = {
  /** `out` holds the projection (not exterior for the band). */
  OK: 0,
  /** Still exterior after the iteration cap, or unusable arguments: `out` untouched. */
  UNDEFINED: 1,
} as const;
export type ProjectStatus = (typeof ProjectStatus)[keyof typeof ProjectStatus];

/** Messages of `ProjectStatus`, indexed by value. */
export const PROJECT_STATUS_MESSAGES: readonly string[] = [
  'projected onto the polytope',
  'projection undefined: still exterior after the iteration cap',
];

/**
 * A diagonal metric prepared for one polytope: `||d||^2 = sum_j w_j d_j^2`,
 * `w_j > 0` (Q format; only ratios matter). Made at setup by `createMetric`.
 */
export interface Metric {
  /** The polytope the directions were computed for. */
  readonly polytope: Polytope;
  /** n, Q: the weights. */
  readonly diag: Int32Array;
  /** m x n: projection directions `G_ij ~ (A_ij / w_j) 2^P_i / sum_k A_ik^2 / w_k`. */
  readonly dir: Int32Array;
  /** m: `P_i` (>= 28), or `DIR_NONE` for a zero row. */
  readonly dirShift: Int32Array;
}

/**
 * Prepares the metric `diag` (n positive entries) for `P`. Setup time only:
 * validates (throws naming the field), allocates, and computes the
 * directions (call `refreshMetric` after `P.A` changes).
 */
export function createMetric(P: Polytope, diag: Int32Array): Metric {
  if (!(diag instanceof Int32Array) || diag.length !== P.n) {
    throw new RangeError(`metric: diag must be an Int32Array of n = ${P.n} entries`);
  }
  for (let j = 0; j < P.n; j++) {
    if (diag[j] <= 0) throw new RangeError(`metric: diag[${j}] must be > 0, got ${diag[j]}`);
  }
  const M: Metric = { polytope: P, diag: diag.slice(), dir: new Int32Array(P.m * P.n), dirShift: new Int32Array(P.m) };
  refreshMetric(M);
  return M;
}

/**
 * Recomputes the directions of `M` from its polytope's `A`. Setup time;
 * wide-integer work; allocates only a few scratch numbers.
 *
 * Facet i: with `D = max_j (bitLength(A_ij) - bitLength(w_j))`, `E = 28 - D`,
 * `R_j = RNE(A_ij 2^E / w_j)` (|R_j| < 2^29, the largest above 2^27),
 * `N = sum_j A_ij R_j` (exact, >= 0), `P_i = 28 - bitLength(max |R_j|) +
 * bitLength(N)` and `G_ij = RNE(R_j 2^P_i / N)`.
 */
export function refreshMetric(M: Metric): void {
  const P = M.polytope;
  const { m, n, A } = P;
  const w = M.diag;
  const num = createWide();
  const den = createWide();
  const r = createWide();
  const t = createWide();
  const nSum = createWide();
  const scratchQ = { f: 16, one: 1 << 16, flags: 0 };
  for (let i = 0; i < m; i++) {
    const base = i * n;
    for (let j = 0; j < n; j++) M.dir[base + j] = 0;
    if (P.dirShift[i] === DIR_NONE) {
      M.dirShift[i] = DIR_NONE;
      continue;
    }
    if (P.boxAxis[i] >= 0) {
      M.dirShift[i] = P.dirShift[i]; // clamped exactly; the direction is unused
      continue;
    }
    let d = -64;
    for (let j = 0; j < n; j++) {
      if (A[base + j] === 0) continue;
      const e = bitLength(A[base + j]) - bitLength(w[j]);
      if (e > d) d = e;
    }
    const E = 28 - d;
    // R_j into dir (temporarily); N and max |R| alongside.
    let rmax = 0;
    wideSet(nSum, 0);
    for (let j = 0; j < n; j++) {
      const a = A[base + j];
      if (a === 0) continue;
      wideSet(num, a);
      if (E >= 0) wideShl(num, E);
      wideSet(den, w[j]);
      if (E < 0) wideShl(den, 0 - E);
      const R = wideDivToInt(scratchQ, num, den, Rounding.NEAREST_EVEN, r, t);
      M.dir[base + j] = R;
      wideAddProduct(nSum, a, R);
      const bl = bitLength(R);
      if (bl > rmax) rmax = bl;
    }
    const shift = 28 - rmax + wideBitLength(nSum);
    M.dirShift[i] = shift;
    for (let j = 0; j < n; j++) {
      const R = M.dir[base + j];
      if (R === 0) continue;
      wideSet(num, R);
      wideShl(num, shift);
      M.dir[base + j] = wideDivToInt(scratchQ, num, nSum, Rounding.NEAREST_EVEN, r, t);
    }
  }
}

/** `moveAlong` result bits. */
const MOVE_CHANGED = 1;
const MOVE_NONZERO = 2;
const MOVE_SATURATED = 4;

/**
 * `x -= RNE(v G_i / 2^sh)` per coordinate (`G_i` = dir[base .. base+n)),
 * each move one RNE of the exact product, x saturating. With `inc` given,
 * records the moves as facet i's Dykstra increment (inc[base + j]) and
 * reports whether any differs from the previous one (`had`: the previous
 * increment was set; else it counts as zero).
 *
 * Domain: `1 <= v <= 2^31 - 1`, `sh >= 1`, `|G_ij| <= 2^29`. Exactness:
 * `|v G| = hi 2^30 + lo` from 15-bit limbs (every partial product of
 * non-negative operands below 2^31); `RNE(M / 2^sh) = floor((M + 2^(sh-1)
 * - 1 + bit_sh(M)) / 2^sh)` with the bias split as `biasHi 2^30 + biasLo`.
 * Returns MOVE_* bits; the L1 length of the move (saturating) goes to
 * `work.moved`. Allocation: none.
 */
function moveAlong(
  px: Int32Array, inc: Int32Array | null, dir: Int32Array, base: number, n: number, v: number, sh: number, had: number, work: GeometryWork,
): number {
  let result = 0;
  let moved = 0; // sum |d|, saturating
  work.moved = 0;
  if (sh >= 61) {
    // |v G| < 2^60: every move rounds to 0.
    if (inc !== null && had !== 0) {
      for (let j = 0; j < n; j++) {
        if (inc[base + j] !== 0) result = MOVE_CHANGED;
        inc[base + j] = 0;
      }
    }
    return result;
  }
  const vl = v & 0x7fff;
  const vh = v >> 15; // < 2^16
  const small = sh <= 30;
  const biasLo = small ? (1 << (sh - 1)) - 1 : 0x3fffffff;
  const biasHi = small ? 0 : (1 << (sh - 31)) - 1;
  const lsbFromLo = sh < 30;
  const lsbShift = lsbFromLo ? sh : sh - 30;
  const outShift = small ? 30 - sh : sh - 30;
  const hiLimit = small ? sh + 1 : 31;
  for (let j = 0; j < n; j++) {
    const g = dir[base + j];
    let d = 0;
    if (g !== 0) {
      const gm = g < 0 ? 0 - g : g; // <= 2^29
      const gl = gm & 0x7fff;
      const gh = gm >> 15; // <= 2^14
      const t0 = vl * gl; // < 2^30
      const t1 = vl * gh; // < 2^30
      const t2 = vh * gl; // < 2^31
      const t3 = vh * gh; // < 2^30
      const mid = (t0 >> 15) + (t1 & 0x7fff) + (t2 & 0x7fff); // < 2^17
      let lo = (t0 & 0x7fff) | ((mid & 0x7fff) << 15); // < 2^30
      let hi = t3 + (t1 >> 15) + (t2 >> 15) + (mid >> 15); // < 2^30 + 2^17
      const lsb = lsbFromLo ? (lo >> lsbShift) & 1 : (hi >> lsbShift) & 1;
      lo = lo + biasLo + lsb; // < 2^31
      hi = hi + biasHi + (lo >> 30); // < 2^31
      lo &= 0x3fffffff;
      let mag: number;
      if (!small) {
        mag = hi >> outShift;
      } else if (hi >> hiLimit !== 0) {
        mag = INT32_MAX;
        result |= MOVE_SATURATED;
      } else {
        mag = (hi << outShift) | (lo >> sh);
      }
      d = g < 0 ? 0 - mag : mag;
    }
    if (d !== 0) {
      const z = px[j];
      if (d < 0 && z > INT32_MAX + d) {
        px[j] = INT32_MAX;
        result |= MOVE_SATURATED;
      } else if (d > 0 && z < INT32_MIN + d) {
        px[j] = INT32_MIN;
        result |= MOVE_SATURATED;
      } else {
        px[j] = z - d;
      }
      const ad = d < 0 ? 0 - d : d; // |d| <= 2^31 - 1
      moved = moved > INT32_MAX - ad ? INT32_MAX : moved + ad;
      result |= MOVE_NONZERO;
    }
    if (inc !== null) {
      const k = base + j;
      if (had !== 0 ? inc[k] !== d : d !== 0) result |= MOVE_CHANGED;
      inc[k] = d;
    }
  }
  work.moved = moved;
  return result;
}

/** Sweeps of the final polish (see `projectDykstra`). */
export const POLISH_SWEEPS = 4;

/**
 * Projects `x` onto `P` (SPEC 3): at most `iters` Dykstra sweeps over the m
 * facets, Euclidean (`metric` null) or under a prepared diagonal metric,
 * then (if iters > 0) at most `POLISH_SWEEPS` polish sweeps.
 *
 * - Dykstra phase: each general facet is projected onto exactly (target
 *   slack 0, one RNE per coordinate move), each box facet clamped exactly;
 *   it stops early at an exact fixed point (a sweep that changes nothing).
 * - Polish phase: rounding can leave the Dykstra result outside a facet by
 *   a few units. Each facet still violated is projected once more (no
 *   increment) with the target slack `tau_i = floor(L1_i / 2^(f+1)) + 1`,
 *   which covers the rounding of the move, so afterwards its slack is >= 0;
 *   repeated until no facet is violated (typically one sweep).
 * - Domain: `x` (n entries), `beta >= 0` in the Q format of `q`;
 *   `iters >= 0`; `work` made for dimension n and at least m facets;
 *   `metric` null or made for `P`. Unusable arguments (wrong work or
 *   metric, negative iters) OR `Flag.DOMAIN` and return UNDEFINED; a
 *   negative beta is treated as 0 with `Flag.DOMAIN`.
 * - Returns OK with the projection in `out` when the final point is not
 *   EXTERIOR for `beta` (its kind, slacks and the active facets, listed up
 *   to `work.kMax`, are then in `work.cls`); UNDEFINED otherwise, `out`
 *   untouched. A point with every slack >= 0 is its own projection (no
 *   sweep runs). `work.sweeps` tells how many Dykstra sweeps ran.
 * - Rounding: every coordinate move is one RNE of an exact product; box
 *   bounds are exact (floor / ceil toward the inside).
 * - Overflow: a coordinate that would leave int32 saturates and ORs
 *   `Flag.SATURATED`; the final classification's flags are reported (the
 *   slacks computed along the way are not).
 * - Aliasing: `out` may be `x` (x is copied into the workspace first).
 * - Allocation: none. Cost per sweep: for each general facet one exact dot
 *   product (n terms) and, when it acts, n exact product-roundings; O(1)
 *   per box facet; plus one m x n classification before and after.
 *   Screening skips the dot product of a facet that cannot have become
 *   violated since its slack was last computed (its slack then, minus
 *   max_j |A_ij| times the L1 length of every move since, over 2^f, stays
 *   >= 2): such a visit would change nothing, so results are the same with
 *   or without it (`work.screened` counts the skips).
 */
export function projectDykstra(
  q: QContext, out: Int32Array, P: Polytope, x: Int32Array, metric: Metric | null, iters: number, beta: number, work: GeometryWork,
): ProjectStatus {
  const m = P.m;
  const n = P.n;
  if (work.n !== n || work.m < m || (metric !== null && metric.polytope !== P) || !(iters >= 0)) {
    q.flags |= Flag.DOMAIN;
    return ProjectStatus.UNDEFINED;
  }
  if (beta < 0) {
    q.flags |= Flag.DOMAIN;
    beta = 0;
  }
  const f = q.f;
  const px = work.px;
  for (let j = 0; j < n; j++) px[j] = x[j];
  const cls = work.cls;
  const saved = q.flags;
  classify(q, cls, P, px, beta, work.kMax);
  work.sweeps = 0;
  work.screened = 0;
  if (cls.minSlack >= 0) {
    for (let j = 0; j < n; j++) out[j] = px[j];
    return ProjectStatus.OK;
  }
  const A = P.A;
  const b = P.b;
  const l1 = P.l1;
  const boxAxis = P.boxAxis;
  const dir = metric === null ? P.dir : metric.dir;
  const dirShift = metric === null ? P.dirShift : metric.dirShift;
  const inc = work.inc;
  const incBox = work.incBox;
  const incSet = work.incSet;
  const amax = P.amax;
  // Screening: `moveTotal` is the L1 length of every move so far (an upper
  // bound of ||x_now - x_then||_1, saturating: at INT32_MAX screening stops).
  // A facet with no increment whose slack was s when the counter read M is
  // still satisfied if s - RNE(amax_i (moveTotal - M) / 2^f) - 2 >= 0, so its
  // visit would change nothing and is skipped (results are unchanged).
  const lastSlack = work.lastSlack;
  const lastMove = work.lastMove;
  let moveTotal = 0;
  let screened = 0;
  for (let i = 0; i < m; i++) {
    incSet[i] = 0;
    incBox[i] = 0;
    lastSlack[i] = cls.slack[i];
    lastMove[i] = 0;
  }
  let satFlag = 0;
  let sweep = 0;
  while (sweep < iters) {
    sweep += 1;
    let changed = 0;
    for (let i = 0; i < m; i++) {
      const axis = boxAxis[i];
      if (axis >= 0) {
        // Box facet: z = x_j + p; x_j = clamp(z); p = z - x_j (all exact).
        const bound = boxBound(q, P, i);
        const p = incBox[i];
        const xj = px[axis];
        let z: number;
        if (p > 0 && xj > INT32_MAX - p) {
          z = INT32_MAX;
          satFlag = 1;
        } else if (p < 0 && xj < INT32_MIN - p) {
          z = INT32_MIN;
          satFlag = 1;
        } else {
          z = xj + p;
        }
        let nx = z;
        let np = 0;
        if (A[i * n + axis] > 0 ? z > bound : z < bound) {
          nx = bound;
          // np = z - bound, saturated (only a bound saturated at the end of
          // int32, i.e. a facet outside the number range, can overflow it).
          if (bound < 0 && z > INT32_MAX + bound) {
            np = INT32_MAX;
            satFlag = 1;
          } else if (bound > 0 && z < INT32_MIN + bound) {
            np = INT32_MIN;
            satFlag = 1;
          } else {
            np = z - bound;
          }
        }
        if (np !== p) changed = 1;
        incBox[i] = np;
        if (nx !== xj) {
          // |nx - xj|, saturating (they may lie at opposite ends of int32).
          const mv = nx > xj ? (xj < 0 && nx > INT32_MAX + xj ? INT32_MAX : nx - xj) : nx < 0 && xj > INT32_MAX + nx ? INT32_MAX : xj - nx;
          moveTotal = moveTotal > INT32_MAX - mv ? INT32_MAX : moveTotal + mv;
        }
        px[axis] = nx;
        continue;
      }
      const shiftP = dirShift[i];
      if (shiftP === DIR_NONE) continue; // a zero row: nothing can be moved
      const base = i * n;
      const had = incSet[i];
      if (had === 0 && moveTotal !== INT32_MAX) {
        const last = lastSlack[i];
        if (last >= 2 && last - 2 >= mulShift(q, amax[i], moveTotal - lastMove[i], f)) {
          screened += 1;
          continue;
        }
      }
      if (had !== 0) {
        // z = x + p_i, in place.
        for (let j = 0; j < n; j++) {
          const p = inc[base + j];
          const ap = p < 0 ? (p === INT32_MIN ? INT32_MAX : 0 - p) : p;
          moveTotal = moveTotal > INT32_MAX - ap ? INT32_MAX : moveTotal + ap;
          const xj = px[j];
          if (p > 0 && xj > INT32_MAX - p) {
            px[j] = INT32_MAX;
            satFlag = 1;
          } else if (p < 0 && xj < INT32_MIN - p) {
            px[j] = INT32_MIN;
            satFlag = 1;
          } else {
            px[j] = xj + p;
          }
        }
      }
      const sl = dotAffine(q, A, base, px, 0, n, f, b[i], -1);
      if (sl >= 0) {
        lastSlack[i] = sl;
        lastMove[i] = moveTotal;
        if (had !== 0) {
          incSet[i] = 0;
          changed = 1;
        }
        continue;
      }
      // Slack deficit v = -sl in [1, 2^31 - 1]: x moves by -v G_i / 2^(P_i - f).
      const v = sl === INT32_MIN ? INT32_MAX : 0 - sl;
      const r = moveAlong(px, inc, dir, base, n, v, shiftP - f, had, work);
      moveTotal = moveTotal > INT32_MAX - work.moved ? INT32_MAX : moveTotal + work.moved;
      if ((r & MOVE_SATURATED) !== 0) satFlag = 1;
      if ((r & MOVE_CHANGED) !== 0) changed = 1;
      incSet[i] = (r & MOVE_NONZERO) !== 0 ? 1 : 0;
      // After a move the slack is about 0: not worth recording for screening.
      lastSlack[i] = 0;
      lastMove[i] = moveTotal;
    }
    if (changed === 0) break;
  }
  work.sweeps = sweep;
  // Polish: push facets still violated back inside, with the rounding margin.
  const polish = iters > 0 ? POLISH_SWEEPS : 0; // iters = 0: classification only
  for (let pass = 0; pass < polish; pass++) {
    let any = 0;
    for (let i = 0; i < m; i++) {
      const axis = boxAxis[i];
      if (axis >= 0) {
        const bound = boxBound(q, P, i);
        const xj = px[axis];
        if (A[i * n + axis] > 0 ? xj > bound : xj < bound) {
          px[axis] = bound;
          any = 1;
        }
        continue;
      }
      const shiftP = dirShift[i];
      if (shiftP === DIR_NONE) continue;
      if (moveTotal !== INT32_MAX) {
        const last = lastSlack[i];
        if (last >= 2 && last - 2 >= mulShift(q, amax[i], moveTotal - lastMove[i], f)) {
          screened += 1;
          continue;
        }
      }
      const base = i * n;
      const sl = dotAffine(q, A, base, px, 0, n, f, b[i], -1);
      lastSlack[i] = sl;
      lastMove[i] = moveTotal;
      if (sl >= 0) continue;
      const tau = (l1[i] >> (f + 1)) + 1; // <= 2^22 + 1
      const v = sl < tau - INT32_MAX ? INT32_MAX : tau - sl;
      if ((moveAlong(px, null, dir, base, n, v, shiftP - f, 0, work) & MOVE_SATURATED) !== 0) satFlag = 1;
      moveTotal = moveTotal > INT32_MAX - work.moved ? INT32_MAX : moveTotal + work.moved;
      lastSlack[i] = 0;
      any = 1;
    }
    if (any === 0) break;
  }
  work.screened = screened;
  q.flags = saved | (satFlag !== 0 ? Flag.SATURATED : 0);
  classify(q, cls, P, px, beta, work.kMax);
  if (cls.kind === PointKind.EXTERIOR) return ProjectStatus.UNDEFINED;
  for (let j = 0; j < n; j++) out[j] = px[j];
  return ProjectStatus.OK;
}
