/**
 * The `admm` operator of the dynamics F (SPEC 6, 7): one (or a configured
 * number of) OSQP iteration(s) from the engine's state `x`, writing the
 * next iterate. The operator keeps `z` and the dual `y` between calls; `y`
 * is the facet pressure, and `bindAdmmDual(op.ws, u)` makes it the engine's
 * own `u` buffer.
 *
 * Model parameters (raw int32, Q format of the model unless said):
 * - `P` (n x n), `q` (n), `C` (m x n), `l`, `u` (m; INT32_MIN / INT32_MAX
 *   for no bound), `K` (n x n, `kShift` fractional bits), `kShift`
 *   (optional, default f), `rho`, `sigma`, `alpha`: see problem.ts (the
 *   host compiler tools/admm/precompute.ts produces them from decimals);
 * - `iterations` (optional, 1..65536, default 1): iterations per apply;
 * - `eps` (optional, Q, default -1 = off): residual tolerance of SOLVED;
 * - `cycle`, `epsPinf`, `pinfMin` (optional): see workspace.ts.
 */
import type { QContext } from '../fixed/q.js';
import { Verdict, type Operator, type StepContext } from '../engine/operator.js';
import { createAdmmProblem, type AdmmSpec } from './problem.js';
import { admmStep, AdmmStatus } from './solve.js';
import { admmReset, createAdmmWorkspace, type AdmmWorkspace } from './workspace.js';

/** Most iterations one apply may run. */
export const ADMM_ITERATIONS_MAX = 65536;

const KNOWN: readonly string[] = Object.freeze(['P', 'q', 'C', 'l', 'u', 'K', 'kShift', 'rho', 'sigma', 'alpha', 'iterations', 'eps', 'cycle', 'epsPinf', 'pinfMin']);

export interface AdmmOperator extends Operator {
  /** The workspace: `ws.x`, `ws.z`, `ws.y` (the facet pressure), residuals, ring. */
  readonly ws: AdmmWorkspace;
  /** Iterations per apply. */
  readonly iterations: number;
  /** Residual tolerance (Q; negative = off). */
  readonly eps: number;
  /**
   * Outcome of the last apply: RUNNING, or the first terminal status of its
   * iterations (CONVERGED, SOLVED, CYCLE, INFEASIBLE; never MAX_ITER).
   */
  status: AdmmStatus;
  /** The engine's view of `status` (Verdict of src/engine/operator.ts). */
  verdict: number;
}

/** Throws `${path}: ${rule}`. */
function fail(path: string, rule: string): never {
  throw new RangeError(`${path}: ${rule}`);
}

/** An optional integer parameter in lo..hi. */
function optionalInt(path: string, v: unknown, dflt: number, lo: number, hi: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) fail(path, `must be an integer in ${lo}..${hi}, got ${String(v)}`);
  return v;
}

/**
 * Makes an `admm` operator (an `OperatorFactory`). Setup time: validates
 * (RangeError naming the JSON path, e.g. `operators[1].C[2]: has 3
 * entries, n is 4`), copies the tables, allocates the workspace.
 *
 * `apply(out, x, ctx)`: copies `x` into the iterate, runs up to
 * `iterations` ADMM iterations (`admmStep`, stopping at the first terminal
 * status) and writes the new `x` (OSQP's relaxed `x^(k+1) = alpha x~ + (1 -
 * alpha) x`; equal to `x~` when alpha = 1) into `out`. On INFEASIBLE it
 * writes `x` unchanged: the iterate of an infeasible problem is not an
 * answer, the engine should record a boundary (Reason.INFEASIBLE). Sets
 * `status`.
 * - Domain: any int32 `x` (Q f of `ctx.q`, the model's format).
 * - Rounding, overflow: as `admmIterate` (RNE once per product, saturating
 *   with `Flag.SATURATED` in `ctx.q.flags`).
 * - Aliasing: `out` may be `x`.
 * - Allocation: none; never throws. Not re-entrant (one workspace).
 */
export function createAdmmOperator(q: QContext, n: number, params: Record<string, unknown>, path: string): AdmmOperator {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) fail(path, 'must be an object of parameters');
  for (const key of Object.keys(params)) {
    if (key !== 'kind' && KNOWN.indexOf(key) < 0) fail(`${path}.${key}`, `unknown parameter (known: ${KNOWN.join(', ')})`);
  }
  const prob = createAdmmProblem(q, params as unknown as AdmmSpec, path, n);
  const ws = createAdmmWorkspace(q, prob, { cycle: params.cycle as number, epsPinf: params.epsPinf as number, pinfMin: params.pinfMin as number }, path);
  const iterations = optionalInt(`${path}.iterations`, params.iterations, 1, 1, ADMM_ITERATIONS_MAX);
  const eps = optionalInt(`${path}.eps`, params.eps, -1, -1, 0x7fffffff);

  const op: AdmmOperator = {
    name: 'admm',
    ws,
    iterations,
    eps,
    status: AdmmStatus.RUNNING,
    verdict: Verdict.NONE,
    facetPressure: ws.y,
    reset(): void {
      admmReset(ws);
      op.status = AdmmStatus.RUNNING;
      op.verdict = Verdict.NONE;
    },
    apply(out: Int32Array, x: Int32Array, ctx: StepContext): void {
      ws.q = ctx.q;
      const xs = ws.x;
      const len = prob.n;
      for (let i = 0; i < len; i++) xs[i] = x[i];
      let status: AdmmStatus = AdmmStatus.RUNNING;
      for (let k = 0; k < iterations && status === AdmmStatus.RUNNING; k++) status = admmStep(ws, eps);
      if (status !== AdmmStatus.INFEASIBLE) for (let i = 0; i < len; i++) out[i] = xs[i];
      else if (out !== x) for (let i = 0; i < len; i++) out[i] = x[i];
      op.status = status;
      op.verdict =
        status === AdmmStatus.CONVERGED ? Verdict.CONVERGED : status === AdmmStatus.CYCLE ? Verdict.CYCLE : status === AdmmStatus.INFEASIBLE ? Verdict.INFEASIBLE : Verdict.NONE;
    },
  };
  return op;
}
