/**
 * Bench cases for the exact kernel (src/linalg) and polytopes (SPEC 3), in
 * the format of tools/bench/cases.ts (group 'engine'; one unit = one call of
 * the whole operation). To be listed in `CASES` as `...GEOMETRY_CASES`.
 *
 * All at the engine's reference size m = 32 facets, n = 16 axes, Q16.16,
 * floorMacs = m x n = 512: the ratio compares one call with one bare 32 x 16
 * small-int multiply-accumulate sweep (the same m n products).
 *
 * - `matVec (m=32, n=16)`: one exact `matVec` (A x / 2^16, 512 products
 *   summed exactly, rounded once per row).
 * - `dot (n=16)`: one exact `dotAffine` (a slack), floorMacs 16.
 * - `classify (m=32, n=16)`: slacks of 32 facets, kind, sorted active list
 *   (kMax 8), band 1/256.
 * - `project (m=32, n=16)`: `projectDykstra`, Euclidean, at most 10 sweeps,
 *   band 1/1024, from 64 points of which most lie outside P (a few facets
 *   violated each; some inside: returned after the classification).
 * - `quantize (m=32, n=16)`: `quantizeInPolytope` with steps of 1/16 and a
 *   cap of 16, from the same 64 points (most far outside: the projection
 *   phase of the repair runs).
 * - `quantize near P (m=32, n=16)`: the same from those points projected
 *   onto P and moved by up to half a step per axis, the engine's usual case
 *   (y = F(xq) just next to its polytope).
 *
 * The polytope: normals with entries in [-1, 1], offsets b_i = ||a_i||_1 / 8
 * (so the cube |x_j| <= 1/8 is inside); points with coordinates in
 * [-1/2, 1/2]. Every input is in range: `q.flags` stays 0.
 *
 * Results fold into `s` as `s = Math.imul(s, 31) ^ v`, not a bare `^=`:
 * every rep repeats the same calls, so an even number of reps would cancel a
 * plain xor (or a rotate by 1, 64 calls per rep) to 0, leaving nothing for
 * the engines to agree on. The multiply costs about 540 instructions, under
 * 1% of the cheapest row.
 */
import type { BenchCase } from './cases.js';

const ONE = 1 << 16; // 1.0 in Q16.16

const POLY_SETUP = [
  'const q = M.createQ(16);',
  'const m = 32; const n = 16;',
  'const A = new Int32Array(m * n);',
  `for (let k = 0; k < 8; k++) A.set(fill(${-ONE}, ${ONE}, 60 + k), 64 * k);`,
  'const b = new Int32Array(m);',
  'for (let r = 0; r < m; r++) { let t = 0; for (let c = 0; c < n; c++) { const v = A[r * n + c]; t += v < 0 ? -v : v; } b[r] = t >> 3; }',
  'const P = M.createPolytope(m, n, A, b);',
  'const work = M.createGeometryWork(m, n, 8, 16);',
  'const cls = M.createClassifyResult(m, 8);',
  // 64 points, 16 coordinates each.
  `const offs = []; for (let k = 0; k < 16; k++) offs.push(fill(${-ONE / 2}, ${ONE / 2}, 70 + k));`,
  'const xs = []; for (let p = 0; p < 64; p++) { const x = new Int32Array(n); for (let c = 0; c < n; c++) x[c] = offs[c][p]; xs.push(x); }',
  'const out = new Int32Array(m);',
  `const delta = new Int32Array(n); delta.fill(${ONE >> 4});`,
].join(' ');

export const GEOMETRY_CASES: readonly BenchCase[] = [
  {
    name: 'matVec (m=32, n=16)',
    group: 'engine',
    needs: ['createMatrix', 'matVec', 'createPolytope', 'createGeometryWork', 'createClassifyResult'],
    setup: `${POLY_SETUP} const mat = M.createMatrix(m, n, A); const matVec = M.matVec;`,
    body: 'matVec(q, out, mat, xs[i], 16); s = Math.imul(s, 31) ^ out[i & 31];',
    floorMacs: 32 * 16,
  },
  {
    name: 'dot (n=16)',
    group: 'engine',
    needs: ['dotAffine', 'createPolytope', 'createGeometryWork', 'createClassifyResult'],
    setup: `${POLY_SETUP} const dotAffine = M.dotAffine;`,
    body: 's = Math.imul(s, 31) ^ dotAffine(q, A, (i & 31) * 16, xs[i], 0, 16, 16, b[i & 31], -1);',
    floorMacs: 16,
  },
  {
    name: 'classify (m=32, n=16)',
    group: 'engine',
    needs: ['classify', 'createPolytope', 'createGeometryWork', 'createClassifyResult'],
    setup: `${POLY_SETUP} const classify = M.classify;`,
    body: `classify(q, cls, P, xs[i], ${ONE >> 8}, 8); s = Math.imul(s, 31) ^ cls.minSlack ^ (cls.kind << 8) ^ (cls.count << 12);`,
    floorMacs: 32 * 16,
  },
  {
    name: 'project (m=32, n=16)',
    group: 'engine',
    needs: ['projectDykstra', 'createPolytope', 'createGeometryWork', 'createClassifyResult'],
    setup: `${POLY_SETUP} const projectDykstra = M.projectDykstra;`,
    body: `s = Math.imul(s, 31) ^ projectDykstra(q, out, P, xs[i], null, 10, ${ONE >> 10}, work) ^ out[i & 15] ^ (work.sweeps << 20);`,
    floorMacs: 32 * 16,
    reps: 2,
  },
  {
    name: 'quantize (m=32, n=16)',
    group: 'engine',
    needs: ['quantizeInPolytope', 'createPolytope', 'createGeometryWork', 'createClassifyResult'],
    setup: `${POLY_SETUP} const quantizeInPolytope = M.quantizeInPolytope;`,
    body: 's = Math.imul(s, 31) ^ quantizeInPolytope(q, out, P, xs[i], delta, 16, work) ^ out[i & 15] ^ (work.examined << 20);',
    floorMacs: 32 * 16,
    reps: 2,
  },
  {
    name: 'quantize near P (m=32, n=16)',
    group: 'engine',
    needs: ['quantizeInPolytope', 'projectDykstra', 'createPolytope', 'createGeometryWork', 'createClassifyResult'],
    // The same points projected onto P (in setup), then moved by up to half a
    // step per axis: where the engine quantizes, just next to the boundary.
    setup:
      `${POLY_SETUP} const quantizeInPolytope = M.quantizeInPolytope; ` +
      `const jit = []; for (let k = 0; k < 16; k++) jit.push(fill(${-(ONE >> 5)}, ${ONE >> 5}, 90 + k)); ` +
      'const near = []; for (let p = 0; p < 64; p++) { const y = new Int32Array(n); ' +
      `M.projectDykstra(q, y, P, xs[p], null, 100, ${ONE}, work); ` +
      'for (let c = 0; c < n; c++) y[c] = (y[c] + jit[c][p]) | 0; near.push(y); } q.flags = 0;',
    body: 's = Math.imul(s, 31) ^ quantizeInPolytope(q, out, P, near[i], delta, 16, work) ^ out[i & 15] ^ (work.examined << 20);',
    floorMacs: 32 * 16,
    reps: 2,
  },
];
