/**
 * The `traversal` operator (SPEC 6; seed IX "phase, chirality and Bostick
 * extensions"): a chirality-gated slide along the active facets, never
 * through them.
 *
 * Definition. With the active facets k of x in the step's polytope
 * (`ctx.active`, `ctx.activeCount`), their normals n_k (rows of
 * `ctx.polytope.A`, any length), the chiral gate Gamma = `ctx.chi` and a
 * phase phi_k per facet,
 *
 *     T(x)  = sum_k Gamma sin(phi_k) n_k                  (the seed's force)
 *     x'    = x + Pi_tan( gain J T(x) )
 *
 * where J is the chiral rotation of `chiralRotate` (gyroid.ts; skew, so
 * `J n_k` is orthogonal to n_k) and Pi_tan the projection onto the tangent
 * space `{ v : <n_k, v> = 0 for every active k }`. The seed's force is a
 * combination of the active normals, so projecting it as written onto their
 * tangent space would always give 0 (no slide at all): J turns it a quarter
 * turn first. Read per facet, the normal is rotated by its phase toward its
 * tangent, `cos(phi_k) n_k + sin(phi_k) J n_k`, and the projection keeps the
 * `sin(phi_k) J n_k` part, which is where sin(phi_k) in the seed's formula
 * comes from. One active facet: the step is `gain Gamma sin(phi) J n`,
 * exactly tangent in real arithmetic.
 *
 * Projection, in integers (`v = gain J T` to start with):
 * 1. Box facets (one nonzero entry) zero their axis: exact, and no later
 *    correction touches those axes.
 * 2. The other active facets form a small linear system, built one facet
 *    at a time in the order of `ctx.active` (bordered LU, no pivoting): a
 *    facet with no free axis, or whose new pivot is below 2^-12 (its normal
 *    nearly in the span of those already in), is left out, until S =
 *    min(n, TRAVERSAL_SOLVE_MAX) facets are in. Correction l moves v along
 *    D_l, the polytope's precomputed direction `G_l ~ n_l 2^P_l /
 *    ||n_l||^2` (src/geometry/polytope.ts) with the box axes zeroed and
 *    rescaled by a power of two into `max_j |D_lj|` in (2^28, 2^29]:
 *        v -= sum_l lambda_l D_l / 2^29          (lambda in Q f: a length),
 *    each entry's sum exact and rounded once.
 *    Equation k, scaled by 2^-b_k (b_k the bit length of max_j |n_kj|):
 *        sum_l B_kl lambda_l = r_k 2^(f - b_k),  B_kl = <n_k, D_l> / 2^(b_k + 5) (Q24),
 *    where r_k (slack units, Q f) is the wanted change of `<n_k, v> / 2^f`.
 *    With `c_k = ceil(<n_k, v> / 2^f)` from the exact sum, facet k is
 *    settled when `-2 m_k <= c_k <= 0` (r_k = 0), else `r_k = c_k + m_k`:
 *    the target is m_k units INSIDE, `m_k = 2 + floor(||n_k||_1 / 2^f)`
 *    covering the rounding of v to the Q lattice (each entry within 1/2
 *    unit moves `<n_k, v> / 2^f` by at most `||n_k||_1 / 2^(f+1)`). The
 *    first pass projects; the later ones (at most `TRAVERSAL_PASSES` in
 *    all) correct only outward residues (c_k > 0), the other equations
 *    holding their slack. Solves are Q24 Gaussian elimination with
 *    exact-product roundings (`mulShift`, `mulDiv`); lambda carries 6 more
 *    fractional bits when it fits, else 0, or 6 or 12 fewer (long moves of
 *    an ill-conditioned corner at large f). If the system has not
 *    settled by the last pass, or a solve saturates even so: no slide,
 *    x' = x.
 * 3. The exact sign of `<n_k, v>` is checked for every active facet (only
 *    the facets left out of the system can still be outward): an outward
 *    residue is removed exactly (a box facet zeroes its axis; another facet
 *    moves v along its largest-|n_kj| axis by at least `ceil(<n_k, v> /
 *    |n_kj|)` units), up to `TRAVERSAL_FIX_PASSES` passes; if some active
 *    facet is still outward: no slide, x' = x.
 * So `<n_k, x' - x> <= 0` holds EXACTLY for every active facet: the exact
 * slack `b_k - <n_k, x'>` is never below that of x. For the facets in the
 * system it grows by about m_k (0 when the slide needs no correction; up to
 * a few tens of m_k measured at corners whose normals are far from
 * orthogonal): the slide stays on them to within rounding. Facets left out
 * may be left behind (the slide moves away from them, inward). Facets
 * outside the active list are not considered (the engine's facet-aware
 * quantization, SPEC 3, keeps the step in P).
 *
 * Model parameters (raw int32):
 * - `phases`: binary angles (2^24 a turn) per facet id (optional); a facet
 *   whose id is beyond the list uses `phase`. (The factory does not know the
 *   model's facet count, so the list is not checked against it.)
 * - `phase`: the default phase (optional, default a quarter turn: sin = 1).
 * - `gain`: Q, scales the step (optional, default 1.0). The slide along a
 *   single facet has length `gain Gamma |sin phi| ||J n||`.
 */
import { QUARTER_TURN } from '../../fixed/angle.js';
import { add, sub } from '../../fixed/arith.js';
import { divRound, mulDiv } from '../../fixed/div.js';
import { mul, mulShift } from '../../fixed/mul.js';
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../../fixed/q.js';
import { shl, shr } from '../../fixed/shift.js';
import { sin } from '../../fixed/trig.js';
import { DIR_NONE, type Polytope } from '../../geometry/polytope.js';
import { dot, LINALG_M_MAX } from '../../linalg/matvec.js';
import type { Operator, StepContext } from '../operator.js';
import { chiralRotate } from './gyroid.js';
import { checkKeys, checkN, intListParam, intParam } from './params.js';

/** Most general (non-box) active facets solved together; more are left to the repair. */
export const TRAVERSAL_SOLVE_MAX = 8;
/** Solves at most (the first projects, the others remove outward rounding residues). */
export const TRAVERSAL_PASSES = 4;
/** Repair passes of the exact outward check before giving up (v = 0). */
export const TRAVERSAL_FIX_PASSES = 4;

/** 1.0 in Q24, the format of the system matrix B. */
const ONE_Q24 = 0x1000000;
/** Pivots below 2^-12 (Q24) mark a facet as dependent. */
const PIVOT_MIN = 0x1000;

/** Per-operator scratch, allocated by the factory (shapes in the comments). */
interface TraversalWork {
  /** n, Q: gain T(x). */
  readonly t: Int32Array;
  /** n, Q: the step. */
  readonly v: Int32Array;
  /** n: 1 on the axes of active box facets. */
  readonly boxed: Uint8Array;
  /** S: ids of the facets in the system (S = min(n, TRAVERSAL_SOLVE_MAX)), in order. */
  readonly ids: Int32Array;
  /** S x n, raw: the correction directions D_l (G_l, box axes zeroed, max |D_lj| in (2^28, 2^29]). */
  readonly D: Int32Array;
  /** S: bit length b_k of max_j |n_kj| (the scale of equation k). */
  readonly bits: Int32Array;
  /** S x S (row stride S), Q24: the LU factors of B, grown one facet at a time (L unit lower, below the diagonal; U on and above). */
  readonly LU: Int32Array;
  /** S, Q: right-hand side of the current pass. */
  readonly rhs: Int32Array;
  /** S: the scaled right-hand side, then forward-substituted. */
  readonly r: Int32Array;
  /** S: the solution lambda (units of 2^e Q units). */
  readonly mu: Int32Array;
  /** S, raw: column j of D (the correction of entry j is one exact dot). */
  readonly col: Int32Array;
}

/**
 * `ceil(<a_k, v> / 2^f)` in Q f from the exact sum when it fits int32 (and is
 * not -2^31), else `RNE(<a_k, v> / 2^f)` (a large rate; its rounding does not
 * matter). Raises no flag for the exact sum; the rounded one may saturate (flag).
 */
function rateUp(q: QContext, A: Int32Array, row: number, v: Int32Array, n: number): number {
  const saved = q.flags;
  const S = dot(q, A, row, v, 0, n, 0);
  const fits = (q.flags & Flag.SATURATED) === 0 && S !== INT32_MIN;
  q.flags = saved;
  return fits ? 0 - ((0 - S) >> q.f) : dot(q, A, row, v, 0, n, q.f);
}

/**
 * Tries to add facet k (row `k n` of A) as equation and unknown number `s`
 * of the system: its direction D_s and scale b_s are already in `w`. Extends
 * the LU factors of B by one row and column (bordered Doolittle, no
 * pivoting):
 *     U_ls = B_ls - sum_{i<l} L_li U_is      (l < s)
 *     L_sl = (B_sl - sum_{i<l} L_si U_il) / U_ll
 *     U_ss = B_ss - sum_{i<s} L_si U_is
 * with `B_kl = <n_k, D_l> / 2^(b_k + 5)` (Q24). Returns false, leaving the
 * system as it was, if the new pivot |U_ss| is below PIVOT_MIN (the normal
 * is nearly in the span of the others) or anything saturated. Flags are
 * restored either way (these are internal quantities).
 */
function addFacet(q: QContext, A: Int32Array, w: TraversalWork, s: number, k: number, n: number): boolean {
  const { LU, ids, bits, D } = w;
  const S = w.r.length; // row stride
  const saved = q.flags;
  q.flags = 0;
  const rowK = k * n;
  const bk = bits[s] + 5;
  for (let l = 0; l < s; l++) {
    // Column s: U_ls.
    let u = dot(q, A, ids[l] * n, D, s * n, n, bits[l] + 5);
    for (let i = 0; i < l; i++) u = sub(q, u, mulShift(q, LU[l * S + i], LU[i * S + s], 24));
    LU[l * S + s] = u;
  }
  for (let l = 0; l < s; l++) {
    // Row s: L_sl.
    let b = dot(q, A, rowK, D, l * n, n, bk);
    for (let i = 0; i < l; i++) b = sub(q, b, mulShift(q, LU[s * S + i], LU[i * S + l], 24));
    LU[s * S + l] = mulDiv(q, b, ONE_Q24, LU[l * S + l]);
  }
  let piv = dot(q, A, rowK, D, s * n, n, bk);
  for (let i = 0; i < s; i++) piv = sub(q, piv, mulShift(q, LU[s * S + i], LU[i * S + s], 24));
  LU[s * S + s] = piv;
  const ok = (q.flags & Flag.SATURATED) === 0 && (piv >= PIVOT_MIN || piv <= 0 - PIVOT_MIN);
  q.flags = saved;
  return ok;
}

/**
 * Solves `B lambda = rhs / 2^e` (rhs in `w.rhs`, Q f; lambda into `w.mu`, in
 * units of 2^e Q units, e in -6..12) with the factors of the s facets, then
 * applies `v_j -= RNE(sum_l lambda_l D_lj / 2^(29 - e))`, each entry's sum
 * exact and rounded once. Returns false if anything saturated (the flags are
 * then restored and v is untouched).
 */
function solveAndCorrect(q: QContext, w: TraversalWork, s: number, n: number, e: number): boolean {
  const { LU, rhs, r, mu, D, col, v } = w;
  const S = r.length;
  const saved = q.flags;
  q.flags = 0;
  for (let c = 0; c < s; c++) r[c] = e >= 0 ? shr(q, rhs[c], e) : shl(q, rhs[c], 0 - e);
  for (let c = 0; c < s; c++) {
    // Forward: L y = rhs (in place).
    const rc = r[c];
    if (rc === 0) continue;
    for (let i = c + 1; i < s; i++) r[i] = sub(q, r[i], mulShift(q, LU[i * S + c], rc, 24));
  }
  for (let c = s - 1; c >= 0; c--) {
    // Back: U lambda = y.
    let acc = r[c];
    for (let j = c + 1; j < s; j++) acc = sub(q, acc, mulShift(q, LU[c * S + j], mu[j], 24));
    mu[c] = mulDiv(q, acc, ONE_Q24, LU[c * S + c]);
  }
  if ((q.flags & Flag.SATURATED) !== 0) {
    q.flags = saved;
    return false;
  }
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < s; l++) col[l] = D[l * n + j];
    v[j] = sub(q, v[j], dot(q, col, 0, mu, 0, s, 29 - e));
  }
  q.flags = q.flags | saved;
  return true;
}

/**
 * Makes a `traversal` operator. Setup time: validates (RangeError naming the
 * JSON path), tabulates `sin(phi_k)` (Q f) once, allocates scratch
 * (about 4 n + S (n + S + 4) int32, S = min(n, TRAVERSAL_SOLVE_MAX)).
 *
 * `apply(out, x, ctx)`: `out = x + v` as defined in the module comment.
 * - Domain: any int32 `x` (Q f); `ctx.polytope` of dimension n (otherwise,
 *   or with no active facet, or chi = 0: out = x); active ids outside
 *   0..m-1 are skipped.
 * - Rounding: each term of T and of the projection RNE; not correctly
 *   rounded (the step is a direction, not a value), but the guarantee
 *   `<n_k, out - x> <= 0` for every active facet k is exact.
 * - Overflow: saturations of T, of J T or of a correction clamp and OR
 *   `Flag.SATURATED`; a saturated internal system (B, lambda) means no
 *   slide, with no flag (nothing was clamped into the result); if `x + v`
 *   would saturate any entry, out = x and `Flag.SATURATED` is set (a
 *   clamped step could cross a facet).
 * - Aliasing: `out` may be `x`.
 * - Allocation: none; never throws. Not re-entrant (scratch).
 * - Cost: K active facets, s of them general: K n products for T; s^2 exact
 *   dots, s^3 / 3 products and s^2 / 2 divisions to factor; per pass s
 *   exact dots for the rates and, when a correction is needed, s^2 products,
 *   s divisions and n exact dots of length s; K exact dots for the final
 *   check. Measured (XS on 32-bit ARM, n = 6): about 0.14 M instructions for
 *   one box facet, 0.26 M for one general facet, 1.0 M for two.
 */
export function createTraversalOperator(q: QContext, n: number, params: Record<string, unknown>, path: string): Operator {
  checkN(path, n);
  checkKeys(path, params, ['phases', 'phase', 'gain']);
  const phases = params.phases === undefined ? new Int32Array(0) : intListParam(`${path}.phases`, params.phases, LINALG_M_MAX);
  const phase = params.phase === undefined ? QUARTER_TURN : intParam(`${path}.phase`, params.phase);
  const gain = params.gain === undefined ? q.one : intParam(`${path}.gain`, params.gain); // Q
  const scratch = { f: q.f, one: q.one, flags: 0 };
  const nPhases = phases.length;
  const sinPhase = new Int32Array(nPhases); // per facet id, Q: sin(phi_k)
  for (let k = 0; k < nPhases; k++) sinPhase[k] = sin(scratch, phases[k]);
  const sinDefault = sin(scratch, phase); // Q
  const S = n < TRAVERSAL_SOLVE_MAX ? n : TRAVERSAL_SOLVE_MAX;
  const w: TraversalWork = {
    t: new Int32Array(n),
    v: new Int32Array(n),
    boxed: new Uint8Array(n),
    ids: new Int32Array(S),
    D: new Int32Array(S * n),
    bits: new Int32Array(S),
    LU: new Int32Array(S * S),
    rhs: new Int32Array(S),
    r: new Int32Array(S),
    mu: new Int32Array(S),
    col: new Int32Array(S),
  };
  return {
    name: 'traversal',
    apply(out: Int32Array, x: Int32Array, ctx: StepContext): void {
      const qc = ctx.q;
      const P = ctx.polytope;
      const A = P.A;
      const m = P.m;
      const active = ctx.active;
      const K = ctx.activeCount < active.length ? ctx.activeCount : active.length;
      const { t, v, boxed, ids, D } = w;
      const w0 = mul(qc, gain, ctx.chi);

      // T(x), scaled by the gain: t = sum_k RNE(w0 sin(phi_k)) n_k.
      let any = false;
      if (P.n === n && w0 !== 0) {
        for (let j = 0; j < n; j++) t[j] = 0;
        for (let a = 0; a < K; a++) {
          const k = active[a];
          if (k < 0 || k >= m) continue;
          const wk = mul(qc, w0, k < nPhases ? sinPhase[k] : sinDefault);
          if (wk === 0) continue;
          any = true;
          const row = k * n;
          for (let j = 0; j < n; j++) {
            const e = A[row + j];
            if (e !== 0) t[j] = add(qc, t[j], mul(qc, wk, e));
          }
        }
      }
      if (!any) {
        for (let j = 0; j < n; j++) out[j] = x[j];
        return;
      }
      chiralRotate(qc, v, t, n);

      // 1. Box facets: their axes are fixed at 0 (exact).
      const dirShift = P.dirShift;
      const boxAxis = P.boxAxis;
      for (let j = 0; j < n; j++) boxed[j] = 0;
      for (let a = 0; a < K; a++) {
        const k = active[a];
        if (k < 0 || k >= m || dirShift[k] === DIR_NONE) continue;
        const ax = boxAxis[k];
        if (ax >= 0) {
          boxed[ax] = 1;
          v[ax] = 0;
        }
      }

      // 2. The general facets, solved together: the first independent ones, up to S.
      let s = 0;
      for (let a = 0; a < K && s < S; a++) {
        const k = active[a];
        if (k < 0 || k >= m || dirShift[k] === DIR_NONE || boxAxis[k] >= 0) continue;
        let dup = false;
        for (let i = 0; i < s; i++) if (ids[i] === k) dup = true;
        if (dup) continue;
        const row = k * n;
        const drow = s * n;
        let dmax = 0;
        let amax = 0;
        for (let j = 0; j < n; j++) {
          const e = A[row + j];
          const mag = e >= 0 ? e : e === INT32_MIN ? INT32_MAX : 0 - e;
          if (mag > amax) amax = mag;
          const g = boxed[j] === 1 ? 0 : P.dir[row + j]; // |g| <= 2^29
          D[drow + j] = g;
          const gm = g >= 0 ? g : 0 - g;
          if (gm > dmax) dmax = gm;
        }
        if (dmax === 0) continue; // no free axis: <n_k, v> = 0 already
        const up = 29 - (32 - Math.clz32(dmax)); // >= 0: max |D| into (2^28, 2^29]
        if (up > 0) for (let j = 0; j < n; j++) D[drow + j] = D[drow + j] << up;
        w.bits[s] = 32 - Math.clz32(amax);
        if (addFacet(qc, A, w, s, k, n)) {
          ids[s] = k;
          s++;
        }
      }
      let settled = s === 0;
      const f = qc.f;
      // Up to TRAVERSAL_PASSES solves, each followed by a fresh look at the rates.
      for (let pass = 0; pass <= TRAVERSAL_PASSES && !settled; pass++) {
        let zero = true;
        for (let i = 0; i < s; i++) {
          const k = ids[i];
          let rhs = 0;
          const rate = rateUp(qc, A, k * n, v, n); // c_k, slack units
          const margin = (P.l1[k] >> f) + 2; // m_k <= 2^(31-f) + 2
          // The first pass projects (c_k outside [-2 m_k, 0] is aimed at -m_k);
          // the later ones only push outward residues (c_k > 0) back inside.
          if (rate > 0 || (pass === 0 && rate < 0 - margin - margin)) {
            const r = add(qc, rate, margin);
            const b = w.bits[i];
            rhs = b <= f ? shl(qc, r, f - b) : shr(qc, r, b - f); // r 2^(f - b_k), Q f
          }
          w.rhs[i] = rhs;
          if (rhs !== 0) zero = false;
        }
        if (zero) {
          settled = true;
        } else if (pass < TRAVERSAL_PASSES) {
          // lambda in 2^-6 Q units, or 1, 2^6, 2^12 units when it does not fit int32.
          let e = -6;
          while (e <= 12 && !solveAndCorrect(qc, w, s, n, e)) e += 6;
          if (e > 12) break;
        }
      }
      if (!settled) {
        for (let j = 0; j < n; j++) out[j] = x[j];
        return;
      }

      // 3. Exact check of every active facet, and repair if needed.
      if (!checkAndRepair(qc, P, v, active, K, n)) {
        for (let j = 0; j < n; j++) v[j] = 0;
      }

      // out = x + v, exactly, or x if any entry would saturate.
      for (let j = 0; j < n; j++) {
        const d = v[j];
        const xj = x[j];
        if ((d > 0 && xj > INT32_MAX - d) || (d < 0 && xj < INT32_MIN - d)) {
          qc.flags |= Flag.SATURATED;
          for (let i = 0; i < n; i++) out[i] = x[i];
          return;
        }
      }
      for (let j = 0; j < n; j++) out[j] = x[j] + v[j];
    },
  };
}

/**
 * Makes `<a_k, v> <= 0` hold exactly for every active facet k, or reports
 * that it could not (false: the caller zeroes v). After a settled solve only
 * facets outside the system can be outward, but every facet is checked (a
 * dot each, cheap next to the solve): the guarantee rests on this check.
 */
function checkAndRepair(q: QContext, P: Polytope, v: Int32Array, active: Int32Array, K: number, n: number): boolean {
  const A = P.A;
  const m = P.m;
  for (let pass = 0; ; pass++) {
    let clean = true;
    for (let a = 0; a < K; a++) {
      const k = active[a];
      if (k < 0 || k >= m || P.dirShift[k] === DIR_NONE) continue;
      const row = k * n;
      // The exact sum <a_k, v> (s = 0): its sign is exact even when it
      // saturates, which is all the check needs; the flag is not news.
      const saved = q.flags;
      const d = dot(q, A, row, v, 0, n, 0);
      q.flags = saved;
      if (d <= 0) continue;
      clean = false;
      if (pass === TRAVERSAL_FIX_PASSES) return false;
      const ax = P.boxAxis[k];
      if (ax >= 0) {
        v[ax] = 0;
        continue;
      }
      let jm = 0;
      let amag = 0;
      for (let j = 0; j < n; j++) {
        const e = A[row + j];
        const mag = e >= 0 ? e : e === INT32_MIN ? INT32_MAX : 0 - e;
        if (mag > amag) {
          amag = mag;
          jm = j;
        }
      }
      // delta >= ceil(d / |a|): RNE(d / |a|) >= d / |a| - 1/2. Lowers <a_k, v> by |a| delta >= d.
      const r = divRound(q, d, amag);
      const delta = r < INT32_MAX ? r + 1 : INT32_MAX;
      v[jm] = A[row + jm] > 0 ? sub(q, v[jm], delta) : add(q, v[jm], delta);
    }
    if (clean) return true;
  }
}
