/**
 * Bench cases for the ADMM (SPEC 7), in the format of tools/bench/cases.ts
 * (group 'engine'; one unit = one whole ADMM iteration, not one element).
 *
 * - `admm iteration (n=8, m=16)`, `admm iteration (n=12, m=24)`: one
 *   `admmIterate` (stages 1..7: C x, the linear system in defect form,
 *   C x~, relaxation, projection, dual update) on a well-scaled feasible QP
 *   (rho = 0.5, sigma = 2^-8, alpha = 1.6). floorMacs = the iteration's
 *   matrix multiply-accumulates, 3 m n + 2 n^2 (C x, C'w, C x~; P x, K r):
 *   512 and 1,152. The scalar work besides (about n + 4m `mul` calls and
 *   as many saturating adds) is in the figure, not in the floor.
 * - `admm step (n=12, m=24)`: one `admmStep` with no residual test (eps =
 *   -1): the iteration plus the exact fixed-point test, the infeasibility
 *   certificate (rejected early on a feasible problem, as in steady
 *   state) and the cycle hash ring. Same floor as the iteration.
 *
 * Each run cold-starts the workspace once (so it cancels in the N / 2N
 * difference) and then iterates: every engine ends with the same s. Every
 * input is in range: `q.flags` stays 0. The problems are generated on the
 * host by a fixed xorshift and compiled by tools/admm/precompute.ts; the
 * integer tables are written into the case's setup.
 */
import { compileAdmm, type FloatQp } from '../admm/precompute.js';
import type { BenchCase } from './cases.js';

/** A deterministic well-scaled feasible QP (host floats; the same every run). */
function benchQp(n: number, m: number, seed: number): FloatQp {
  let s = seed | 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const uni = (lo: number, hi: number) => lo + next() * (hi - lo);
  const grid = (v: number) => Math.round(v * 65536) / 65536;
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => uni(-1, 1)));
  const P = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => grid(B.reduce((t, row) => t + row[i] * row[j], 0) / n + (i === j ? 0.3 : 0))),
  );
  const C = Array.from({ length: m }, () => Array.from({ length: n }, () => grid(uni(-1, 1))));
  const x0 = Array.from({ length: n }, () => uni(-1, 1));
  const cx0 = C.map((row) => row.reduce((t, c, j) => t + c * x0[j], 0));
  return {
    P,
    q: Array.from({ length: n }, () => grid(uni(-1, 1))),
    C,
    l: cx0.map((v, i) => (i % 3 === 2 ? -Infinity : grid(v - uni(0.05, 0.5)))),
    u: cx0.map((v, i) => (i % 3 === 1 ? Infinity : grid(v + uni(0.05, 0.5)))),
  };
}

function admmSetup(n: number, m: number, seed: number): string {
  const spec = compileAdmm(16, benchQp(n, m, seed), { rho: 0.5, sigma: 2 ** -8, alpha: 1.6 });
  return [
    'const q = M.createQ(16); const admmIterate = M.admmIterate; const admmStep = M.admmStep;',
    `const ws = M.createAdmmWorkspace(q, M.createAdmmProblem(q, ${JSON.stringify(spec)}));`,
    `const x = ws.x; const mask = ${n === 8 ? 7 : 3};`,
  ].join(' ');
}

const NEEDS = ['createAdmmProblem', 'createAdmmWorkspace', 'admmReset', 'admmIterate', 'admmStep'] as const;

export const ADMM_CASES: readonly BenchCase[] = [
  {
    name: 'admm iteration (n=8, m=16)',
    group: 'engine',
    needs: NEEDS,
    setup: admmSetup(8, 16, 8016),
    body: 'if ((r | i) === 0) M.admmReset(ws); admmIterate(ws); s ^= x[i & mask];',
    floorMacs: 3 * 16 * 8 + 2 * 8 * 8,
    reps: 2,
  },
  {
    name: 'admm iteration (n=12, m=24)',
    group: 'engine',
    needs: NEEDS,
    setup: admmSetup(12, 24, 1224),
    body: 'if ((r | i) === 0) M.admmReset(ws); admmIterate(ws); s ^= x[i & mask];',
    floorMacs: 3 * 24 * 12 + 2 * 12 * 12,
    reps: 1,
  },
  {
    name: 'admm step (n=12, m=24)',
    group: 'engine',
    needs: NEEDS,
    setup: admmSetup(12, 24, 1224),
    body: 'if ((r | i) === 0) M.admmReset(ws); s ^= admmStep(ws, -1) ^ x[i & mask];',
    floorMacs: 3 * 24 * 12 + 2 * 12 * 12,
    reps: 1,
  },
];
