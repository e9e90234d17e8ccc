/**
 * The ADMM workspace (SPEC 7): the iterate, the per-iteration scratch, the
 * termination bookkeeping and the cycle hash ring, all allocated once by
 * `createAdmmWorkspace`. Nothing in src/admm allocates afterwards.
 *
 * Split by lifetime (TinyMPC-style): settings (read-only after setup), the
 * state `(x, z, y)` that the iteration maps to its successor, scratch that
 * each iteration overwrites, and the tracking that termination reads.
 */
import { clamp } from '../fixed/arith.js';
import { INT32_MAX, type QContext } from '../fixed/q.js';
import { createMatrix, type Matrix } from '../linalg/matvec.js';
import type { AdmmProblem } from './problem.js';

/** Largest cycle ring (K_cycle). */
export const ADMM_CYCLE_MAX = 64;
/** Default K_cycle: cycles of period up to 16 are reported as CYCLE. */
export const ADMM_CYCLE_DEFAULT = 16;

/** Optional settings of `createAdmmWorkspace` (raw int32). */
export interface AdmmSettings {
  /** K_cycle, 1..ADMM_CYCLE_MAX: the longest period reported as CYCLE (default 16). */
  cycle?: number;
  /**
   * Q, >= 0: tolerance of the infeasibility certificate, OSQP's
   * `eps_prim_inf` (default 2^-6 = one >> 6). Quantization noise in the
   * change of y is a few units, so it cannot be as small as OSQP's 1e-4.
   */
  epsPinf?: number;
  /**
   * Q units, >= 1: the certificate is tested only when `||dy||_inf` is at
   * least this (default 2^-8 = one >> 8), so the rounding noise of a
   * converged feasible problem is never taken for a certificate.
   */
  pinfMin?: number;
}

export interface AdmmWorkspace {
  /** Format and sticky status word of every operation (replaceable, e.g. by the engine's context). */
  q: QContext;
  /** The problem tables (read-only). */
  readonly prob: AdmmProblem;

  // --- settings (read-only after setup)
  /** K_cycle: length of the hash ring, the longest period found. */
  readonly cycle: number;
  /** Q: eps_pinf of the certificate. */
  readonly epsPinf: number;
  /** Q units: smallest ||dy||_inf tested. */
  readonly pinfMin: number;
  /** n x (m + 1), raw: row i = [C_0i .. C_(m-1)i, -epsPinf], the certificate's exact test (solve.ts). */
  readonly cert: Matrix;

  // --- state: one iteration maps (x, z, y) to its successor
  /** n, Q: the primal iterate. */
  readonly x: Int32Array;
  /** m, Q: the constraint-space iterate, inside [l, u]. */
  readonly z: Int32Array;
  /**
   * m, Q: the dual iterate = the facet pressure (the engine's `u`). Not
   * readonly: `bindAdmmDual` may make it the engine's own buffer.
   */
  y: Int32Array;

  // --- scratch, overwritten every iteration
  /** m, Q: C x. */
  readonly cx: Int32Array;
  /** m, Q: y + rho (C x - z). */
  readonly w: Int32Array;
  /** n, Q: P x + q + C'w (the defect of the linear system). */
  readonly r: Int32Array;
  /** n, Q: K r. */
  readonly d: Int32Array;
  /** n, Q: x~ = x - K r. */
  readonly xt: Int32Array;
  /** m, Q: z~ = C x~. */
  readonly zt: Int32Array;
  /** m, Q: alpha z~ + (1 - alpha) z (the relaxed z, before projection). */
  readonly zr: Int32Array;
  /** m + 1, Q: y^(k+1) - y^k, then projected for the certificate; last entry ||dy||_inf. */
  readonly dy: Int32Array;
  /** m + 1, Q: the certificate's negated copy [-dy, ||dy||_inf]. */
  readonly dyNeg: Int32Array;
  /** m + 1, Q: per facet the bound that meets dy (u_i, l_i or 0), last entry epsPinf. */
  readonly bound: Int32Array;
  /** n, Q: the certificate's C'dy test / the dual residual P x + q + C'y. */
  readonly g: Int32Array;

  // --- tracking
  /** Entries whose update was nonzero in the last iteration (0 = exact fixed point). */
  moved: number;
  /** Iterations run since the last reset (stops at INT32_MAX). */
  iter: number;
  /** Q: ||C x - z||_inf at the last residual test. */
  primRes: number;
  /** Q: ||P x + q + C'y||_inf at the last residual test, or -1 when it was not needed. */
  dualRes: number;
  /** K_cycle: hashes of the last states, newest at `ringPos - 1`. */
  readonly ring: Int32Array;
  /** Next slot of the ring. */
  ringPos: number;
  /** Valid entries of the ring (0..cycle). */
  ringFill: number;
  /** Smallest lag at which the last state's hash matched (0 = none). */
  cycleLag: number;
  /** Consecutive iterations whose hash matched at `cycleLag`. */
  cycleRun: number;
  /** The period of the cycle found (0 = none yet). */
  period: number;
}

/** Throws `${path}: ${rule}`. */
function fail(path: string, rule: string): never {
  throw new RangeError(`${path}: ${rule}`);
}

/** An optional integer setting in lo..hi. */
function setting(path: string, v: unknown, dflt: number, lo: number, hi: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(path, `must be an integer in ${lo}..${hi}, got ${String(v)}`);
  return v;
}

/**
 * Allocates a workspace for `prob` and cold-starts it (`admmReset`). Setup
 * time only: validates `settings` (RangeError naming `${path}.<field>`),
 * allocates every buffer, builds the certificate table.
 */
export function createAdmmWorkspace(q: QContext, prob: AdmmProblem, settings: AdmmSettings = {}, path: string = 'admm'): AdmmWorkspace {
  const { n, m } = prob;
  const cycle = setting(`${path}.cycle`, settings.cycle, ADMM_CYCLE_DEFAULT, 1, ADMM_CYCLE_MAX);
  const epsPinf = setting(`${path}.epsPinf`, settings.epsPinf, q.one >> 6, 0, INT32_MAX);
  const pinfMin = setting(`${path}.pinfMin`, settings.pinfMin, q.one >> 8, 1, INT32_MAX);

  const m1 = m + 1;
  const certTable = new Int32Array(n * m1);
  const Ct = prob.Ct.a;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) certTable[i * m1 + j] = Ct[i * m + j];
    certTable[i * m1 + m] = 0 - epsPinf; // epsPinf >= 0: no -0 (0 - 0 is +0)
  }

  const ws: AdmmWorkspace = {
    q,
    prob,
    cycle,
    epsPinf,
    pinfMin,
    cert: createMatrix(n, m1, certTable),
    x: new Int32Array(n),
    z: new Int32Array(m),
    y: new Int32Array(m),
    cx: new Int32Array(m),
    w: new Int32Array(m),
    r: new Int32Array(n),
    d: new Int32Array(n),
    xt: new Int32Array(n),
    zt: new Int32Array(m),
    zr: new Int32Array(m),
    dy: new Int32Array(m1),
    dyNeg: new Int32Array(m1),
    bound: new Int32Array(m1),
    g: new Int32Array(n),
    moved: 0,
    iter: 0,
    primRes: 0,
    dualRes: -1,
    ring: new Int32Array(cycle),
    ringPos: 0,
    ringFill: 0,
    cycleLag: 0,
    cycleRun: 0,
    period: 0,
  };
  admmReset(ws);
  return ws;
}

/**
 * Cold start: `x = 0`, `y = 0`, `z = clamp(0, l, u)` (so `z` is in
 * `[l, u]` from the start, as after every iteration), counters and the
 * cycle ring cleared. No allocation.
 */
export function admmReset(ws: AdmmWorkspace): void {
  const { l, u } = ws.prob;
  ws.x.fill(0);
  for (let i = 0; i < ws.prob.m; i++) {
    ws.y[i] = 0;
    ws.z[i] = clamp(0, l[i], u[i]);
  }
  ws.moved = 0;
  ws.iter = 0;
  ws.primRes = 0;
  ws.dualRes = -1;
  admmResetTracking(ws);
}

/**
 * Forgets the cycle ring (keeps the state): call after changing x, z or y
 * from outside (a warm start), since the ring then describes another run.
 * No allocation.
 */
export function admmResetTracking(ws: AdmmWorkspace): void {
  ws.ring.fill(0);
  ws.ringPos = 0;
  ws.ringFill = 0;
  ws.cycleLag = 0;
  ws.cycleRun = 0;
  ws.period = 0;
}

/**
 * Makes `u` (the engine's facet pressure, at least m entries) the dual
 * iterate `y`: the ADMM then reads and writes the engine's buffer in place.
 * The current contents of `u` become y (the ring is cleared). Setup time:
 * throws a RangeError if `u` is too short.
 */
export function bindAdmmDual(ws: AdmmWorkspace, u: Int32Array): void {
  if (!(u instanceof Int32Array) || u.length < ws.prob.m) {
    fail('admm.y', `the dual buffer must be an Int32Array of at least m = ${ws.prob.m} entries`);
  }
  ws.y = u;
  admmResetTracking(ws);
}
