/**
 * Uses of the higher-order terms (SPEC 11): a look-ahead of the next facet
 * crossing, and the Jacobian / curvature entries of the boundary record
 * (SPEC 9). Both read the differences of the last `finiteDifferences` call.
 */
import { add, sub } from '../fixed/arith.js';
import { divRound, mulDiv } from '../fixed/div.js';
import { mulShift } from '../fixed/mul.js';
import { Flag, type QContext } from '../fixed/q.js';
import { dot } from '../linalg/matvec.js';
import { TensorStatus } from './differences.js';
import { pureIndex, type TensorWork } from './work.js';

/** Special results of `taylorLookahead` (a positive result is a step count). */
export const Lookahead = {
  /** No crossing predicted within `tMax` steps. */
  NONE: 0,
  /** No prediction: bad arguments, no differences yet, the direction does not move the facet coordinate, or a value saturated. */
  UNKNOWN: -1,
} as const;
export type Lookahead = (typeof Lookahead)[keyof typeof Lookahead];

/** Largest |lattice offset| the prediction follows (keeps C(r, j) products meaningful). */
const OFFSET_MAX = 1 << 20;

/**
 * Predicts in how many steps the dynamics cross the facet `<a, y> <= b`,
 * from the differences of F along that facet's own direction k (the
 * direction whose row is the facet normal; `k` is its index in the last
 * `finiteDifferences` call).
 *
 * Model (documented simplification: a 1-D Taylor/Newton model along the
 * facet normal). With `d_k` the lattice displacement of direction k and
 * `G_j = <a, Delta_k^j F(x)>` (Q, j = 0..order), Newton's forward formula
 * gives `<a, F(x + r d_k)> ~ P(r) = sum_j C(r, j) G_j`, EXACT at every
 * integer r when F restricted to that line is a polynomial of degree <=
 * order. The state is assumed to move along the normal only, snapped to its
 * lattice: with `z0 = <a, x>`, `c = <a, d_k>` (the facet coordinate gained per
 * lattice step), `r_0 = 0`:
 *
 *     z_t = P(r_{t-1}),   r_t = RNE((z_t - z0) / c),   slack_t = b - z_t.
 *
 * The result is the first t in 1..tMax with `slack_t <= band` (t = 1 uses
 * G_0 = <a, F(x)>: exact, the same slack the step computes), `Lookahead.NONE`
 * if there is none, `Lookahead.UNKNOWN` if no prediction is possible. The
 * engine can mark a facet grazing pre-emptively when the result is small.
 * `work.predictedSlack` / `work.predictedOffset` receive slack_t and r_{t-1}
 * of the step returned (or of the last step tried).
 *
 * - Domain: `a` = the facet normal at a[aOff .. aOff + n) (Q), `b` its
 *   offset (Q), `x` the point the differences were taken at, `k` in
 *   0..lastK-1, `band` >= 0 (Q), `tMax` in 1..1024. Otherwise UNKNOWN.
 *   Returns UNKNOWN also when c <= 0 (the direction does not increase
 *   <a, .>).
 * - Rounding: the dot products (exact sums, one RNE each, `s = f`), r_t by
 *   RNE; the Newton sum is exact unless it saturates.
 * - Overflow: a saturated value (or |r| > 2^20) ends the prediction with
 *   UNKNOWN; `q.flags` is left as it was on entry (a failed prediction is
 *   not a saturation of the step).
 * - Cost: order + 2 dot products of n, then per step `order` exact
 *   multiplies and one rounded division. Allocates nothing.
 */
export function taylorLookahead(
  q: QContext,
  work: TensorWork,
  a: Int32Array,
  aOff: number,
  b: number,
  x: Int32Array,
  k: number,
  band: number,
  tMax: number,
): number {
  const order = work.lastOrder;
  if (work.lastK === 0 || k < 0 || k >= work.lastK || band < 0 || tMax < 1 || tMax > 1024) return Lookahead.UNKNOWN;
  const n = work.n;
  const f = q.f;
  const flagsBefore = q.flags;
  q.flags = 0;
  const c = dot(q, a, aOff, work.disp, k * n, n, f);
  const z0 = dot(q, a, aOff, x, 0, n, f);
  const G = work.series;
  for (let j = 0; j <= order; j++) G[j] = dot(q, a, aOff, work.values, pureIndex(work, k, j) * n, n, f);
  let result: number = Lookahead.NONE;
  let r = 0;
  let slack = 0;
  if (c <= 0 || q.flags !== 0) {
    result = Lookahead.UNKNOWN;
  } else {
    for (let t = 1; t <= tMax; t++) {
      // z_t = P(r) = sum_j C(r, j) G_j; C(r, j) = C(r, j - 1) (r - j + 1) / j, an exact division.
      let z = G[0];
      let binom = 1;
      for (let j = 1; j <= order; j++) {
        binom = mulDiv(q, binom, r - j + 1, j);
        z = add(q, z, mulShift(q, binom, G[j], 0));
      }
      slack = sub(q, b, z);
      work.predictedOffset = r;
      if (q.flags !== 0) {
        result = Lookahead.UNKNOWN;
        break;
      }
      if (slack <= band) {
        result = t;
        break;
      }
      r = divRound(q, sub(q, z, z0), c);
      if (q.flags !== 0 || r > OFFSET_MAX || r < 0 - OFFSET_MAX) {
        result = Lookahead.UNKNOWN;
        break;
      }
    }
  }
  work.predictedSlack = slack;
  q.flags = flagsBefore;
  return result;
}

/**
 * Fills the boundary-record terms of SPEC 9 / 11 from the last
 * `finiteDifferences` call (K directions, order D):
 *
 * - `work.jacobian` (kMax x n, row-major, raw int32): row k is the
 *   first-order difference `Delta_k F(x) = F(x + d_k) - F(x)`, exact, in Q
 *   units of F per step h_k (the local Jacobian applied to the direction:
 *   J u_k ~ row_k * 2^f / h_k, see `differenceToDerivative`). Rows K..kMax-1
 *   are zero.
 * - `work.curvature` (kMax, Q): `RNE(<u_k, Delta_kk F(x)> / 2^f)`, the
 *   second difference along direction k projected on that direction (the
 *   normal curvature of F per h_k^2); 0 when D < 2 and for k >= K.
 *
 * The lead copies these (with `work.steps` for the scale) into the record.
 * `dirs` and `rows` must be those of the call (direction k = row rows[k],
 * or row k when `rows` is null).
 *
 * - Returns BAD_ARGUMENT if there was no successful call yet, SATURATED if
 *   a curvature dot product saturated (`Flag.SATURATED` set), else OK.
 * - Rounding: curvature by one RNE of an exact sum. Allocates nothing.
 */
export function jacobianOnDirections(q: QContext, work: TensorWork, dirs: Int32Array, rows: Int32Array | null): TensorStatus {
  const K = work.lastK;
  if (K === 0) return TensorStatus.BAD_ARGUMENT;
  const n = work.n;
  const jac = work.jacobian;
  const curv = work.curvature;
  const values = work.values;
  const flagsBefore = q.flags;
  q.flags = 0;
  for (let k = 0; k < work.kMax; k++) {
    const out = k * n;
    if (k >= K) {
      for (let j = 0; j < n; j++) jac[out + j] = 0;
      curv[k] = 0;
      continue;
    }
    const src = pureIndex(work, k, 1) * n;
    for (let j = 0; j < n; j++) jac[out + j] = values[src + j];
    curv[k] = work.lastOrder >= 2 ? dot(q, dirs, (rows === null ? k : rows[k]) * n, values, pureIndex(work, k, 2) * n, n, q.f) : 0;
  }
  const saturated = q.flags & Flag.SATURATED;
  q.flags |= flagsBefore;
  return saturated !== 0 ? TensorStatus.SATURATED : TensorStatus.OK;
}
