/**
 * The `anisotropy` operator (SPEC 6; the seed's "anisotropy injection"
 * `A = diag(alpha_1..alpha_n)`, `alpha_i != alpha_j`): the drift of a
 * quadratic with a distinct step size per axis,
 *
 *     x' = x - diag(alpha) (P x + q)
 *
 * which turns the quadratic's smooth basin into a tilted one (each axis
 * descends at its own rate), the seed's escape valve out of steep basins.
 * With all alphas equal it would be `drift` with eta = alpha, which is why
 * distinct alphas are required.
 *
 * Model parameters (raw int32 in the model's Q format):
 * - `alpha`: n entries, Q, pairwise distinct.
 * - `P`: n rows of n entries, Q.
 * - `q`: n entries, Q (optional, default 0).
 */
import { sub } from '../../fixed/arith.js';
import { mul } from '../../fixed/mul.js';
import type { QContext } from '../../fixed/q.js';
import type { Operator, StepContext } from '../operator.js';
import { quadraticGradient, quadraticParams } from './drift.js';
import { checkKeys, checkN, fail, vectorParam } from './params.js';

/**
 * Makes an `anisotropy` operator. Setup time: validates (RangeError naming
 * the JSON path; `operators[1].alpha: entries 0 and 2 are both 65536, the
 * alphas must be pairwise distinct`), copies the tables, allocates scratch.
 *
 * `apply(out, x, ctx)`: `out_i = x_i - RNE(alpha_i g_i / 2^f)`, `g = P x + q`.
 * - Domain: any int32 `x` (Q f, `f = ctx.q.f`).
 * - Rounding: as `drift`: `g_i` exact then rounded once, the product
 *   rounded once (RNE); within `(1 + |alpha_i|) / 2` units of the real value.
 * - Overflow: saturates and ORs `Flag.SATURATED` into `ctx.q.flags`.
 * - Aliasing: `out` may be `x`.
 * - Allocation: none; never throws. Not re-entrant (scratch).
 */
export function createAnisotropyOperator(q: QContext, n: number, params: Record<string, unknown>, path: string): Operator {
  void q;
  checkN(path, n);
  checkKeys(path, params, ['alpha', 'P', 'q']);
  const alpha = vectorParam(`${path}.alpha`, params.alpha, n, `n is ${n}`); // n, Q
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (alpha[i] === alpha[j]) fail(`${path}.alpha`, `entries ${i} and ${j} are both ${alpha[i]}, the alphas must be pairwise distinct`);
    }
  }
  const G = quadraticParams(path, n, params);
  return {
    name: 'anisotropy',
    apply(out: Int32Array, x: Int32Array, ctx: StepContext): void {
      const qc = ctx.q;
      const g = quadraticGradient(qc, G, x);
      for (let i = 0; i < n; i++) out[i] = sub(qc, x[i], mul(qc, alpha[i], g[i]));
    },
  };
}
