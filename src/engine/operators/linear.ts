/**
 * The `linear` operator (SPEC 6): `x' = M x + c`.
 *
 * Model parameters (raw int32 in the model's Q format):
 * - `M`: n rows of n entries, Q.
 * - `c`: n entries, Q (optional, default 0).
 */
import type { QContext } from '../../fixed/q.js';
import { createMatrix, matVecAffine } from '../../linalg/matvec.js';
import type { Operator, StepContext } from '../operator.js';
import { checkKeys, checkN, matrixParam, vectorParam } from './params.js';

/**
 * Makes a `linear` operator. Setup time: validates (RangeError naming the
 * JSON path, e.g. `operators[0].M: row 2 has 3 entries, n is 4`), copies
 * `M` and `c`, allocates the kernel's scratch.
 *
 * `apply(out, x, ctx)`: `out_i = sat(RNE(c_i + (sum_j M_ij x_j) / 2^f))`.
 * - Domain: any int32 `x` (Q f, `f = ctx.q.f`, the format of the model).
 * - Rounding: the sum is exact (src/linalg/matvec.ts) and rounded once,
 *   round to nearest, ties to even: the result is correctly rounded.
 * - Overflow: saturates per entry, ORs `Flag.SATURATED` into `ctx.q.flags`.
 * - Aliasing: `out` may even be `x` (the kernel reads x first).
 * - Allocation: none; never throws. Not re-entrant (kernel scratch).
 */
export function createLinearOperator(q: QContext, n: number, params: Record<string, unknown>, path: string): Operator {
  void q;
  checkN(path, n);
  checkKeys(path, params, ['M', 'c']);
  const M = createMatrix(n, n, matrixParam(`${path}.M`, params.M, n)); // n x n, Q
  const c = params.c === undefined ? null : vectorParam(`${path}.c`, params.c, n, `n is ${n}`); // n, Q
  return {
    name: 'linear',
    apply(out: Int32Array, x: Int32Array, ctx: StepContext): void {
      const qc = ctx.q;
      matVecAffine(qc, out, M, x, qc.f, c, 1);
    },
  };
}
