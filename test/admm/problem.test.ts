/**
 * Setup of the ADMM: `createAdmmProblem` / `createAdmmWorkspace` validate
 * with messages that name the field, and the host compiler
 * (tools/admm/precompute.ts) quantizes with ties to even, computes K in
 * float64 and refuses what does not fit.
 */
import { describe, expect, it } from 'vitest';
import {
  ADMM_NEG_INF,
  ADMM_POS_INF,
  bindAdmmDual,
  createAdmmProblem,
  createAdmmWorkspace,
  type AdmmSpec,
} from '../../src/admm/index.js';
import { createQ } from '../../src/fixed/q.js';
import { compileAdmm, computeK, fromQ, kktInverse, roundEven, toQ } from '../../tools/admm/precompute.js';

const ONE = 1 << 16;

/** A valid 2-variable, 3-constraint spec. */
function spec(): AdmmSpec {
  return compileAdmm(16, { P: [[2, 0.5], [0.5, 1]], q: [-1, 0.25], C: [[1, 0], [0, 1], [1, 1]], l: [-1, -Infinity, 0], u: [1, 2, Infinity] }, { rho: 0.5, sigma: 2 ** -8, alpha: 1.6 });
}

const create = (s: AdmmSpec) => createAdmmProblem(createQ(16), s, 'operators[1]');

describe('createAdmmProblem', () => {
  it('builds the tables: C transposed, 1/rho correctly rounded, sentinels kept', () => {
    const p = create(spec());
    expect(p.n).toBe(2);
    expect(p.m).toBe(3);
    expect(Array.from(p.Ct.a)).toEqual([ONE, 0, ONE, 0, ONE, ONE]);
    expect(p.rhoInv).toBe(2 * ONE);
    expect(p.l[1]).toBe(ADMM_NEG_INF);
    expect(p.u[2]).toBe(ADMM_POS_INF);
  });

  const bad: [string, (s: AdmmSpec) => unknown, RegExp][] = [
    ['P not symmetric', (s) => ((s.P as number[][])[0][1] += 1), /^operators\[1\]\.P\[1\]\[0\]: must equal P\[0\]\[1\]/],
    ['P row too short', (s) => (s.P as number[][])[1].pop(), /^operators\[1\]\.P\[1\]: has 1 entries, n is 2/],
    ['q length', (s) => (s.q as number[]).push(0), /^operators\[1\]\.q: has 3 entries, n is 2/],
    ['C entry not int32', (s) => ((s.C as number[][])[2][1] = 0.5), /^operators\[1\]\.C\[2\]\[1\]: must be an int32/],
    ['C row length', (s) => (s.C as number[][])[0].push(1), /^operators\[1\]\.C\[0\]: has 3 entries, n is 2/],
    ['no constraints', (s) => ((s as { C: unknown }).C = []), /^operators\[1\]\.C: must have 1\.\.4095 rows/],
    ['l > u', (s) => ((s.l as number[])[0] = 2 * ONE), /^operators\[1\]\.l\[0\]: must be <= u\[0\]/],
    ['u length', (s) => (s.u as number[]).pop(), /^operators\[1\]\.u: has 2 entries, m \(rows of C\) is 3/],
    ['K size', (s) => (s.K as number[][]).pop(), /^operators\[1\]\.K: has 1 rows, n is 2/],
    ['kShift range', (s) => (s.kShift = 63), /^operators\[1\]\.kShift: must be in 1\.\.62/],
    ['rho zero', (s) => (s.rho = 0), /^operators\[1\]\.rho: must be in 1\.\./],
    ['rho too small for 1/rho', (s) => (s.rho = 1), /^operators\[1\]\.rho: too small: 1 \/ rho does not fit Q15\.16/],
    ['sigma negative', (s) => (s.sigma = -1), /^operators\[1\]\.sigma: must be in 1\.\./],
    ['alpha = 2', (s) => (s.alpha = 2 * ONE), /^operators\[1\]\.alpha: must be in 1\.\.131071/],
  ];
  for (const [what, edit, message] of bad) {
    it(`refuses ${what}, naming the field`, () => {
      const s = spec();
      edit(s);
      expect(() => create(s)).toThrow(message);
    });
  }

  it('checks n against the engine dimension', () => {
    expect(() => createAdmmProblem(createQ(16), spec(), 'operators[0]', 3)).toThrow(/^operators\[0\]\.P: has 2 rows, n is 3/);
  });
});

describe('createAdmmWorkspace', () => {
  it('cold-starts with z inside [l, u] and refuses bad settings by name', () => {
    const q = createQ(16);
    const p = create(spec());
    const ws = createAdmmWorkspace(q, p);
    expect(Array.from(ws.z)).toEqual([0, 0, 0]);
    expect(ws.cycle).toBe(16);
    expect(ws.cert.n).toBe(4); // m + 1 columns
    expect(ws.cert.a[3]).toBe(-ws.epsPinf);
    expect(() => createAdmmWorkspace(q, p, { cycle: 0 }, 'ops[2]')).toThrow(/^ops\[2\]\.cycle: must be an integer in 1\.\.64/);
    expect(() => createAdmmWorkspace(q, p, { pinfMin: 0 })).toThrow(/^admm\.pinfMin: must be an integer in 1\.\./);
    expect(() => createAdmmWorkspace(q, p, { epsPinf: -1 })).toThrow(/^admm\.epsPinf/);
    const lifted = create({ ...spec(), l: [ONE / 2, ADMM_NEG_INF, ONE / 4] });
    expect(Array.from(createAdmmWorkspace(q, lifted).z)).toEqual([ONE / 2, 0, ONE / 4]);
  });

  it('bindAdmmDual makes the engine buffer the dual, and refuses a short one', () => {
    const ws = createAdmmWorkspace(createQ(16), create(spec()));
    const u = new Int32Array(3);
    bindAdmmDual(ws, u);
    expect(ws.y).toBe(u);
    expect(() => bindAdmmDual(ws, new Int32Array(2))).toThrow(/at least m = 3 entries/);
  });
});

describe('tools/admm/precompute', () => {
  it('rounds ties to even and refuses what does not fit, naming the field', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundEven)).toEqual([0, 2, 2, 0, -2, -2, 2, -3]);
    expect(Object.is(roundEven(-0.25), -0)).toBe(false);
    expect(toQ(1.5, 16, 'x')).toBe(3 * (ONE >> 1));
    expect(toQ(2 ** -17, 16, 'x')).toBe(0); // a tie: to even
    expect(toQ(3 * 2 ** -17, 16, 'x')).toBe(2);
    expect(() => toQ(32768, 16, 'C[3][1]')).toThrow(/^C\[3\]\[1\]: 32768 does not fit Q15\.16/);
    expect(() => toQ(NaN, 16, 'q[0]')).toThrow(/^q\[0\]: must be a finite number/);
  });

  it('computes K as the inverse of the quantized P + sigma I + rho C\'C, in the finest format that fits', () => {
    const s = spec();
    const { K, kShift } = computeK(16, s);
    const dq = (v: number) => fromQ(v, 16);
    const P = (s.P as number[][]).map((r) => r.map(dq));
    const C = (s.C as number[][]).map((r) => r.map(dq));
    const exact = kktInverse(P, C, dq(s.rho), dq(s.sigma));
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(K[i][j] / 2 ** kShift - exact[i][j])).toBeLessThanOrEqual(2 ** -(kShift + 1));
    // The finest format in f..30: one more bit would not fit.
    const big = Math.max(...exact.flat().map(Math.abs));
    expect(big * 2 ** kShift).toBeLessThan(2 ** 31);
    expect(kShift === 30 || big * 2 ** (kShift + 1) >= 2 ** 31 - 0.5).toBe(true);
    expect(kShift).toBeGreaterThan(16);
    // M K = I to float precision.
    const M = P.map((row, i) => row.map((v, j) => v + (i === j ? dq(s.sigma) : 0) + C.reduce((t, c) => t + dq(s.rho) * c[i] * c[j], 0)));
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(M[i].reduce((t, v, k) => t + v * exact[k][j], 0)).toBeCloseTo(i === j ? 1 : 0, 12);
  });

  it('refuses a K that does not fit the requested format, and a P that is not positive semidefinite', () => {
    const s = spec();
    expect(() => computeK(16, s, 40)).toThrow(/^K\[0\]\[0\]: .* does not fit 40 fractional bits/);
    // P = 0, C = 0: K = 1 / sigma = 2^16, which no Q format with f >= 16 holds.
    expect(() => compileAdmm(16, { P: [[0]], q: [0], C: [[0]], l: [0], u: [0] }, { rho: 0.5, sigma: 2 ** -16, alpha: 1 })).toThrow(
      /^K\[0\]\[0\]: 65536 does not fit 16 fractional bits/,
    );
    expect(() => compileAdmm(16, { P: [[-1]], q: [0], C: [[1]], l: [0], u: [1] }, { rho: 0.5, sigma: 2 ** -8, alpha: 1 })).toThrow(/not positive definite/);
  });

  it('maps infinite bounds to the sentinels and refuses inconsistent input by name', () => {
    const s = spec();
    expect(s.l[1]).toBe(ADMM_NEG_INF);
    expect(s.u[2]).toBe(ADMM_POS_INF);
    const base = { P: [[1]], q: [0], C: [[1]], l: [0], u: [1] };
    const st = { rho: 0.5, sigma: 2 ** -8, alpha: 1.6 };
    expect(() => compileAdmm(16, { ...base, l: [2] }, st)).toThrow(/^l\[0\]: must be <= u\[0\]/);
    expect(() => compileAdmm(16, { ...base, P: [[1, 0]] }, st)).toThrow(/^P\[0\]: has 2 entries, expected 1/);
    expect(() => compileAdmm(16, base, { ...st, alpha: 2 })).toThrow(/^alpha: must be in \(0, 2\)/);
    expect(() => compileAdmm(16, base, { ...st, rho: 0 })).toThrow(/^rho: must be positive/);
  });
});
