/**
 * The ADMM iteration of SPEC 7 in fixed point, OSQP's splitting:
 *
 *     x~ = K (sigma x - q + C'(rho z - y))          K = (P + sigma I + rho C'C)^-1
 *     z~ = C x~
 *     x  = alpha x~ + (1 - alpha) x
 *     z' = clamp(alpha z~ + (1 - alpha) z + y / rho, l, u)
 *     y  = y + rho (alpha z~ + (1 - alpha) z - z')
 *
 * `x~` is computed in the equivalent defect form
 *
 *     x~ = x - K (P x + q + C'(y + rho (C x - z)))
 *
 * which is the same map when K is exact (expand K^-1 x), but keeps the
 * rounding of K out of the fixed point: a fixed point has `K r = 0`, i.e.
 * `P x + q + C'y = 0` to the rounding of r, whatever K's quantization
 * error (which only changes the speed of convergence). The direct form's
 * fixed points are those of a problem whose P is perturbed by
 * `K_q^-1 - K^-1`: measured on the random QPs of test/admm, that moves the
 * optimum by up to 2^-12.3 with K in Q16.16, by 2^-18.6 with K in the
 * finest format that fits (kShift 24..30) when P is 50 times smaller, and
 * growing with the condition number of P + sigma I + rho C'C. The price:
 * `3 m n + 2 n^2` multiply-accumulates per iteration instead of
 * `2 m n + n^2` (C x and P x are extra; C x is also the primal residual).
 *
 * Rounding: every product is exact and rounded once (round to nearest,
 * ties to even: `mul`, and the exact kernel of src/linalg for the matrix
 * products); sums and differences saturate. Any saturation ORs
 * `Flag.SATURATED` into `ws.q.flags` (sticky); an update that saturated is
 * never mistaken for "unchanged", since the fixed-point test looks at the
 * computed change, not at the stored result.
 *
 * Termination (`admmStep`, `admmSolve`), each a distinct `AdmmStatus`:
 * CONVERGED (x, z, y exactly unchanged by an iteration), SOLVED (residuals
 * at most eps), INFEASIBLE (OSQP's certificate on the change of y), CYCLE
 * (the state repeats with a period <= K_cycle, found by a hash ring), and
 * MAX_ITER. Nothing allocates, logs or throws.
 */
import { abs, add, clamp, sub } from '../fixed/arith.js';
import { mul } from '../fixed/mul.js';
import { INT32_MAX, INT32_MIN } from '../fixed/q.js';
import { dot, matVec, matVecAffine } from '../linalg/matvec.js';
import { ADMM_NEG_INF, ADMM_POS_INF } from './problem.js';
import type { AdmmWorkspace } from './workspace.js';

/** What `admmStep` / `admmSolve` return. */
export const AdmmStatus = {
  /** Not finished (only from `admmStep`). */
  RUNNING: 0,
  /** An exact quantized fixed point: one iteration left x, z and y unchanged. */
  CONVERGED: 1,
  /** ||C x - z||_inf <= eps and ||P x + q + C'y||_inf <= eps. */
  SOLVED: 2,
  /** The state repeats with a period of 2..K_cycle iterations (a "fragile truce"). */
  CYCLE: 3,
  /** The iteration cap was reached first. */
  MAX_ITER: 4,
  /** OSQP's certificate of primal infeasibility holds for the change of y: no x satisfies l <= C x <= u. */
  INFEASIBLE: 5,
} as const;
export type AdmmStatus = (typeof AdmmStatus)[keyof typeof AdmmStatus];

/** Names of `AdmmStatus` values, indexed by value. */
export const ADMM_STATUS_NAMES: readonly string[] = ['RUNNING', 'CONVERGED', 'SOLVED', 'CYCLE', 'MAX_ITER', 'INFEASIBLE'];

/** One-line explanations of `AdmmStatus` values, indexed by value (for logs and tools). */
export const ADMM_STATUS_MESSAGES: readonly string[] = [
  'running',
  'converged: exact quantized fixed point (x, z, y unchanged by an iteration)',
  'solved: primal and dual residuals at most eps',
  'cycle: the iteration repeats with a short period (see ws.period)',
  'iteration cap reached',
  'primal infeasible: certificate on the change of y (no point satisfies l <= C x <= u)',
];

// ---------------------------------------------------------------- stages

/**
 * Stage 1: `cx = C x`. Exact sums, one RNE per entry, saturating.
 * Aliasing: none (distinct workspace buffers). Allocation: none.
 */
function constraintValues(ws: AdmmWorkspace): void {
  matVec(ws.q, ws.cx, ws.prob.C, ws.x, ws.q.f);
}

/**
 * Stage 2, the linear system: `x~ = x - K (P x + q + C'(y + rho (C x - z)))`
 * (the defect form of `K (sigma x - q + C'(rho z - y))`, see the module
 * comment). Needs `cx` from stage 1. Products: `rho (cx - z)` by `mul`
 * (RNE), `P x + q` and `+ C'w` by the exact kernel (one RNE each), `K r`
 * by the exact kernel with K's own fractional bits. Saturating. No allocation.
 */
function solveLinearSystem(ws: AdmmWorkspace): void {
  const q = ws.q;
  const p = ws.prob;
  const { x, z, y, cx, w, r, d, xt } = ws;
  for (let i = 0; i < p.m; i++) w[i] = add(q, y[i], mul(q, p.rho, sub(q, cx[i], z[i])));
  matVecAffine(q, r, p.P, x, q.f, p.q, 1); // r = P x + q
  matVecAffine(q, r, p.Ct, w, q.f, r, 1); // r += C'w (out may be c)
  matVec(q, d, p.K, r, p.kShift); // d = K r
  for (let i = 0; i < p.n; i++) xt[i] = sub(q, x[i], d[i]);
}

/** Stage 3: `z~ = C x~`. Exact sums, one RNE per entry, saturating. No allocation. */
function predictConstraints(ws: AdmmWorkspace): void {
  matVec(ws.q, ws.zt, ws.prob.C, ws.xt, ws.q.f);
}

/**
 * Stage 4, relaxation of x: `x = x + alpha (x~ - x)` (= alpha x~ + (1 -
 * alpha) x). One RNE per entry; counts the entries that moved. No allocation.
 */
function relaxX(ws: AdmmWorkspace): void {
  const q = ws.q;
  const alpha = ws.prob.alpha;
  const { x, xt } = ws;
  let moved = 0;
  for (let i = 0; i < ws.prob.n; i++) {
    const step = mul(q, alpha, sub(q, xt[i], x[i]));
    if (step !== 0) {
      x[i] = add(q, x[i], step);
      moved++;
    }
  }
  ws.moved += moved;
}

/**
 * Stage 5, relaxation of z: `zr = z + alpha (z~ - z)` (= alpha z~ + (1 -
 * alpha) z). One RNE per entry. No allocation.
 */
function relaxZ(ws: AdmmWorkspace): void {
  const q = ws.q;
  const alpha = ws.prob.alpha;
  const { z, zt, zr } = ws;
  for (let i = 0; i < ws.prob.m; i++) zr[i] = add(q, z[i], mul(q, alpha, sub(q, zt[i], z[i])));
}

/**
 * Stage 6, projection: `z = clamp(zr + y / rho, l, u)`, with `y / rho` as
 * `y * RNE(1 / rho)` (one RNE). Infinite bounds are the int32 ends, so the
 * clamp needs no special case. Counts the entries that moved. No allocation.
 */
function projectZ(ws: AdmmWorkspace): void {
  const q = ws.q;
  const { l, u, rhoInv } = ws.prob;
  const { z, zr, y } = ws;
  let moved = 0;
  for (let i = 0; i < ws.prob.m; i++) {
    const zn = clamp(add(q, zr[i], mul(q, y[i], rhoInv)), l[i], u[i]);
    if (zn !== z[i]) {
      z[i] = zn;
      moved++;
    }
  }
  ws.moved += moved;
}

/**
 * Stage 7, the dual (facet pressure) update: `y = y + rho (zr - z)`; the
 * change is kept in `dy` for the infeasibility certificate. One RNE per
 * entry. Counts the entries that moved. No allocation.
 */
function updateDual(ws: AdmmWorkspace): void {
  const q = ws.q;
  const rho = ws.prob.rho;
  const { y, z, zr, dy } = ws;
  let moved = 0;
  for (let i = 0; i < ws.prob.m; i++) {
    const t = mul(q, rho, sub(q, zr[i], z[i]));
    dy[i] = t;
    if (t !== 0) {
      y[i] = add(q, y[i], t);
      moved++;
    }
  }
  ws.moved += moved;
}

/** Stages 2..7 (stage 1, `cx = C x`, already done). */
function iterateFromCx(ws: AdmmWorkspace): void {
  ws.moved = 0;
  solveLinearSystem(ws);
  predictConstraints(ws);
  relaxX(ws);
  relaxZ(ws);
  projectZ(ws);
  updateDual(ws);
  if (ws.iter < INT32_MAX) ws.iter++;
}

/**
 * One ADMM iteration, `(x, z, y) -> (x, z, y)'`, in place, with no test.
 *
 * - Domain: any int32 state; `ws.q` in the problem's format.
 * - Rounding: each product correctly rounded once (RNE); see the module comment.
 * - Overflow: saturating, `Flag.SATURATED` in `ws.q.flags`.
 * - Output: `ws.x`, `ws.z`, `ws.y` updated; `ws.moved` = entries changed
 *   (0: exact fixed point); `ws.dy` = change of y; scratch overwritten.
 * - Allocation: none; never throws.
 */
export function admmIterate(ws: AdmmWorkspace): void {
  constraintValues(ws);
  iterateFromCx(ws);
}

// ---------------------------------------------------------- termination

/**
 * Residuals of the current state: `ws.primRes = ||C x - z||_inf` (from
 * `cx`), and, only when that is at most `eps`, `ws.dualRes = ||P x + q +
 * C'y||_inf` (else -1). True if both are at most `eps`. Q units, each
 * entry rounded once (RNE), saturating. No allocation.
 */
function residualsWithin(ws: AdmmWorkspace, eps: number): boolean {
  const q = ws.q;
  const p = ws.prob;
  const { cx, z, g } = ws;
  let prim = 0;
  for (let i = 0; i < p.m; i++) {
    const e = abs(q, sub(q, cx[i], z[i]));
    if (e > prim) prim = e;
  }
  ws.primRes = prim;
  if (prim > eps) {
    ws.dualRes = -1;
    return false;
  }
  matVecAffine(q, g, p.P, ws.x, q.f, p.q, 1); // g = P x + q
  matVecAffine(q, g, p.Ct, ws.y, q.f, g, 1); // g += C'y
  let dual = 0;
  for (let i = 0; i < p.n; i++) {
    const e = abs(q, g[i]);
    if (e > dual) dual = e;
  }
  ws.dualRes = dual;
  return dual <= eps;
}

/**
 * OSQP's primal infeasibility certificate on `dy` (the last change of y),
 * decided exactly:
 *
 *     ||C' dy||_inf <= eps_pinf ||dy||_inf
 *     u' max(dy, 0) + l' min(dy, 0) < -eps_pinf ||dy||_inf
 *
 * after projecting dy as OSQP does (an infinite upper bound forces dy_i <=
 * 0, an infinite lower bound dy_i >= 0, both dy_i = 0), and only when
 * `||dy||_inf >= ws.pinfMin` (rounding noise is not a certificate).
 *
 * Exactness: each inequality is one exact sum of int32 products with the
 * right-hand side as an extra term (`ws.cert` carries the column
 * `-eps_pinf`, `ws.bound` the entry `eps_pinf`), evaluated by the exact
 * kernel with shift 0: saturation keeps the sign, so the sign test is
 * exact. The kernel's saturation flag is discarded (q.flags restored): the
 * sums are tests, not results.
 *
 * Overwrites `dy` (projected, last entry `||dy||_inf`), `dyNeg`, `bound`,
 * `g`. No allocation.
 */
function primalInfeasible(ws: AdmmWorkspace): boolean {
  const q = ws.q;
  const p = ws.prob;
  const m = p.m;
  const { l, u } = p;
  const { dy, dyNeg, bound, g } = ws;
  let norm = 0;
  for (let j = 0; j < m; j++) {
    let v = dy[j];
    if (u[j] === ADMM_POS_INF) {
      if (l[j] === ADMM_NEG_INF || v > 0) v = 0; // no upper bound: dy_j <= 0
    } else if (l[j] === ADMM_NEG_INF && v < 0) {
      v = 0; // no lower bound: dy_j >= 0
    }
    dy[j] = v;
    const a = v >= 0 ? v : v === INT32_MIN ? INT32_MAX : 0 - v;
    if (a > norm) norm = a;
    bound[j] = v > 0 ? u[j] : v < 0 ? l[j] : 0;
  }
  if (norm < ws.pinfMin) return false;
  dy[m] = norm;
  bound[m] = ws.epsPinf;
  const saved = q.flags;
  let holds = dot(q, bound, 0, dy, 0, m + 1, 0) < 0; // u'dy+ + l'dy- + eps ||dy|| < 0
  if (holds) {
    matVec(q, g, ws.cert, dy, 0); // C'dy - eps ||dy||
    for (let i = 0; i < p.n; i++) if (g[i] > 0) holds = false;
  }
  if (holds) {
    for (let j = 0; j < m; j++) {
      const v = dy[j];
      dyNeg[j] = v === INT32_MIN ? INT32_MAX : 0 - v;
    }
    dyNeg[m] = norm;
    matVec(q, g, ws.cert, dyNeg, 0); // -C'dy - eps ||dy||
    for (let i = 0; i < p.n; i++) if (g[i] > 0) holds = false;
  }
  q.flags = saved;
  return holds;
}

/**
 * A 32-bit hash of the state (x, z, y): xor, two 16x15-bit products (each
 * below 2^31) and a rotation per word, so every intermediate is an int32.
 * Not cryptographic: a match is only a candidate (see `cycleFound`).
 */
function stateHash(ws: AdmmWorkspace): number {
  let h = 0x2545f491;
  for (let k = 0; k < 3; k++) {
    const v = k === 0 ? ws.x : k === 1 ? ws.z : ws.y;
    const len = k === 0 ? ws.prob.n : ws.prob.m;
    for (let i = 0; i < len; i++) {
      h = h ^ v[i];
      const lo = (h & 0xffff) * 0x5bd1; // < 2^31
      const hi = ((h >> 16) & 0xffff) * 0x6b43; // < 2^31
      h = lo ^ (hi << 13) ^ (hi >> 5) ^ ((h << 7) | ((h >> 25) & 0x7f));
    }
  }
  return h;
}

/**
 * Records the current state's hash in the ring and reports a cycle: the
 * smallest lag p (1..K_cycle) whose hash equals the current one must match
 * again at the same lag for p consecutive iterations (at least 2), i.e. a
 * whole period repeats, before `ws.period = p` and true. A hash collision
 * alone therefore cannot report a cycle. No allocation.
 */
function cycleFound(ws: AdmmWorkspace): boolean {
  const h = stateHash(ws);
  const ring = ws.ring;
  const size = ws.cycle;
  let lag = 0;
  for (let p = 1; p <= ws.ringFill; p++) {
    let idx = ws.ringPos - p;
    if (idx < 0) idx += size;
    if (ring[idx] === h) {
      lag = p;
      break;
    }
  }
  if (lag !== 0 && lag === ws.cycleLag) {
    if (ws.cycleRun < INT32_MAX) ws.cycleRun++;
  } else {
    ws.cycleLag = lag;
    ws.cycleRun = lag !== 0 ? 1 : 0;
  }
  ring[ws.ringPos] = h;
  ws.ringPos = ws.ringPos + 1 === size ? 0 : ws.ringPos + 1;
  if (ws.ringFill < size) ws.ringFill++;
  if (lag !== 0 && ws.cycleRun >= lag && ws.cycleRun >= 2) {
    ws.period = lag;
    return true;
  }
  return false;
}

/**
 * One iteration with every termination test, in this order:
 *
 * 1. `cx = C x`; if `eps >= 0` and the current state's residuals are at
 *    most `eps` (Q units): SOLVED, and the state is left as it is.
 * 2. The iteration (stages 2..7).
 * 3. Nothing changed: CONVERGED. The certificate holds on dy: INFEASIBLE.
 *    The state repeats with a short period: CYCLE (`ws.period`).
 * 4. Otherwise RUNNING.
 *
 * - Domain: `eps` any int32 (negative: no residual test).
 * - Overflow: saturating (see `admmIterate`).
 * - Allocation: none; never throws.
 */
export function admmStep(ws: AdmmWorkspace, eps: number): AdmmStatus {
  constraintValues(ws);
  if (eps >= 0 && residualsWithin(ws, eps)) return AdmmStatus.SOLVED;
  iterateFromCx(ws);
  if (ws.moved === 0) return AdmmStatus.CONVERGED;
  if (primalInfeasible(ws)) return AdmmStatus.INFEASIBLE;
  if (cycleFound(ws)) return AdmmStatus.CYCLE;
  return AdmmStatus.RUNNING;
}

/**
 * Runs `admmStep` up to `maxIter` times from the current state: the first
 * terminal status, or MAX_ITER. The cycle ring carries over from earlier
 * calls (call `admmResetTracking` after editing the state from outside).
 *
 * - Domain: `maxIter` >= 0; `eps` as in `admmStep`.
 * - Output: the state in `ws` (for INFEASIBLE, the last iterate: not a
 *   solution, use the status); `ws.iter` counts the iterations.
 * - Allocation: none; never throws.
 */
export function admmSolve(ws: AdmmWorkspace, maxIter: number, eps: number): AdmmStatus {
  for (let k = 0; k < maxIter; k++) {
    const status = admmStep(ws, eps);
    if (status !== AdmmStatus.RUNNING) return status;
  }
  return AdmmStatus.MAX_ITER;
}
