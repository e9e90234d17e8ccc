/**
 * The `drift` operator (SPEC 6): one gradient step on the quadratic
 * `1/2 x'Px + q'x`:
 *
 *     x' = x - eta (P x + q)
 *
 * Model parameters (raw int32 in the model's Q format):
 * - `P`: n rows of n entries, Q (not required to be symmetric: the step
 *   uses `P x + q` as written, which is the gradient when P is symmetric).
 * - `q`: n entries, Q (optional, default 0).
 * - `eta`: the step size, Q.
 */
import { sub } from '../../fixed/arith.js';
import { mul } from '../../fixed/mul.js';
import type { QContext } from '../../fixed/q.js';
import { createMatrix, matVecAffine, type Matrix } from '../../linalg/matvec.js';
import type { Operator, StepContext } from '../operator.js';
import { checkKeys, checkN, intParam, matrixParam, vectorParam } from './params.js';

/** A quadratic's gradient data, shared by `drift` and `anisotropy`. */
export interface QuadraticGradient {
  /** n x n, Q, prepared for the exact kernel. */
  readonly P: Matrix;
  /** n, Q, or null for 0. */
  readonly q: Int32Array | null;
  /** n, Q: scratch for `P x + q`. */
  readonly g: Int32Array;
}

/** Validates and copies `P` and `q` of a quadratic (setup time; throws naming the path). */
export function quadraticParams(path: string, n: number, params: Record<string, unknown>): QuadraticGradient {
  const P = createMatrix(n, n, matrixParam(`${path}.P`, params.P, n));
  const q = params.q === undefined ? null : vectorParam(`${path}.q`, params.q, n, `n is ${n}`);
  return { P, q, g: new Int32Array(n) };
}

/**
 * `g = P x + q`: each entry the exact sum rounded once (RNE) to Q f and
 * saturated with `Flag.SATURATED`. No allocation.
 */
export function quadraticGradient(qc: QContext, G: QuadraticGradient, x: Int32Array): Int32Array {
  matVecAffine(qc, G.g, G.P, x, qc.f, G.q, 1);
  return G.g;
}

/**
 * Makes a `drift` operator. Setup time: validates (RangeError naming the
 * JSON path), copies the tables, allocates the gradient scratch.
 *
 * `apply(out, x, ctx)`: `out_i = x_i - RNE(eta g_i / 2^f)`, `g = P x + q`.
 * - Domain: any int32 `x` (Q f, `f = ctx.q.f`).
 * - Rounding: two roundings, each round to nearest, ties to even: the
 *   gradient `g_i` (exact sum, rounded once) and the product `eta g_i`
 *   (exact 64-bit product, rounded once). So the result is within
 *   `(1 + |eta|) / 2` units of 2^-f (eta read as a real number) of the
 *   real value of `x - eta (P x + q)`, when nothing saturates.
 * - Overflow: any saturation (of g, of the product or of the difference)
 *   clamps and ORs `Flag.SATURATED` into `ctx.q.flags`.
 * - Aliasing: `out` may be `x` (each x_i is read before out_i is written).
 * - Allocation: none; never throws. Not re-entrant (scratch).
 */
export function createDriftOperator(q: QContext, n: number, params: Record<string, unknown>, path: string): Operator {
  void q;
  checkN(path, n);
  checkKeys(path, params, ['P', 'q', 'eta']);
  const G = quadraticParams(path, n, params);
  const eta = intParam(`${path}.eta`, params.eta); // Q
  return {
    name: 'drift',
    apply(out: Int32Array, x: Int32Array, ctx: StepContext): void {
      const qc = ctx.q;
      const g = quadraticGradient(qc, G, x);
      for (let i = 0; i < n; i++) out[i] = sub(qc, x[i], mul(qc, eta, g[i]));
    },
  };
}
