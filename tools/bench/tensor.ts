/**
 * Bench cases for the higher-order terms (SPEC 11), in the format of
 * tools/bench/cases.ts (group 'engine'). To register: import TENSOR_CASES
 * here into cases.ts and spread it into CASES.
 *
 * What they show: the cost of `finiteDifferences` at fixed K = 3 and order 3
 * grows with n like the cost of evaluating F, not like n^3. For each n in
 * 8, 16, 32, 64 there are two rows:
 *
 * - `tensor F (n=..)`: one evaluation of the test F (one unit = one call);
 * - `tensor K=3 order=3 (n=..)`: one `finiteDifferences` call: C(3 + 3, 3)
 *   = 20 evaluations of the same F (the stencil does not depend on n) plus
 *   the exact differences (84 terms per component) and the displacements.
 *
 * F is a cyclic tridiagonal linear map plus a cubic diagonal term, written
 * with the core's scalar ops: `F_i = d x_i + l x_{i-1} + r x_{i+1} + c x_i^3`
 * (6 `mul` and 3 `add` per component, so 6n MACs). A banded map keeps one
 * unit of the n = 64 row at some tens of millions of ARM instructions (the
 * harness runs 192 units per case); a dense map would only multiply both
 * rows of a given n by the same factor. floorMacs: 6n for the F row, and
 * 20 x 6n for the tensor row (the MACs of one F evaluation times the number
 * of stencil points), so equal ratios across n mean "cost = 20 F + O(n)".
 *
 * The point x changes every unit (a window into a filled array); every
 * value stays far from saturation (`q.flags` stays 0). Results are folded
 * with `s = (s + (v & 0xffff)) | 0` (at most 4 x 64 x 2^16 < 2^31 over a run).
 */
import type { BenchCase } from './cases.js';

const ONE = 1 << 16; // 1.0 in Q16.16
const K = 3;
const ORDER = 3;
/** C(K + ORDER, ORDER): stencil points, hence F evaluations, per call. */
const POINTS = 20;
const SIZES = [8, 16, 32, 64] as const;

/** Setup shared by both rows: the core ops, F (made once), x, the directions and steps. */
function setup(n: number): string {
  return [
    `const q = M.createQ(16); const mul = M.mul; const add = M.add; const n = ${n};`,
    `const d = ${ONE - (ONE >> 4)}; const l = ${ONE >> 3}; const r = ${-(ONE >> 4)}; const c = ${ONE >> 5};`,
    // F_i = d x_i + l x_{i-1} + r x_{i+1} + c x_i^3 (cyclic), made once.
    'const F = (out, x) => { for (let i = 0; i < n; i++) {',
    '  const xi = x[i]; const xm = x[i === 0 ? n - 1 : i - 1]; const xp = x[i === n - 1 ? 0 : i + 1];',
    '  const lin = add(q, add(q, mul(q, d, xi), mul(q, l, xm)), mul(q, r, xp));',
    '  out[i] = add(q, lin, mul(q, c, mul(q, mul(q, xi, xi), xi))); } };',
    `const src = fill(${-2 * ONE}, ${2 * ONE}, 71); const x = new Int32Array(n); const y = new Int32Array(n);`,
    `const work = M.createTensorWork(n, ${K}, ${ORDER}); const fd = M.finiteDifferences;`,
    `const dirs = new Int32Array(${K} * n); for (let k = 0; k < ${K}; k++) for (let j = 0; j < n; j++)`,
    `  dirs[k * n + j] = ((j + k) % 3 === 0 ? ${ONE >> 1} : ${-(ONE >> 2)});`,
    'const step = Int32Array.of(256, 512, 384);',
  ].join(' ');
}

/** x = a window of the filled array that moves with i. */
const loadX = 'for (let j = 0; j < n; j++) x[j] = src[(i + j) & 63];';

export const TENSOR_CASES: readonly BenchCase[] = SIZES.flatMap((n) => [
  {
    name: `tensor F (n=${n})`,
    group: 'engine' as const,
    needs: ['createTensorWork', 'finiteDifferences', 'mul', 'add'],
    setup: setup(n),
    body: `${loadX} F(y, x); s = (s + (y[i & ${n - 1}] & 0xffff)) | 0;`,
    floorMacs: 6 * n,
    reps: 2,
  },
  {
    name: `tensor K=${K} order=${ORDER} (n=${n})`,
    group: 'engine' as const,
    needs: ['createTensorWork', 'finiteDifferences', 'mul', 'add'],
    setup: setup(n),
    body: `${loadX} s ^= fd(q, work, F, x, dirs, null, ${K}, step, ${ORDER}); s = (s + (work.values[(i * 7) % (${POINTS} * n)] & 0xffff)) | 0;`,
    floorMacs: POINTS * 6 * n,
    reps: 1,
  },
]);
