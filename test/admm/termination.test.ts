/**
 * The termination codes of the ADMM (SPEC 7), each demonstrated by a small
 * hand-made problem, and the status tables.
 *
 * The problems are one-dimensional, min 1/2 p x^2 + c x subject to l <= x
 * <= u (C = [1]), compiled by the host tool with sigma = 2^-8:
 * - p = 2, c = -1 (optimum x = 0.5, inside [-1, 1]), alpha = 1, rho = 0.5:
 *   the iteration reaches x = 0.5 exactly and stops moving: CONVERGED.
 * - the same with a loose eps: SOLVED before the fixed point; with a cap of
 *   3 iterations: MAX_ITER.
 * - the same with over-relaxation alpha = 1.6, rho = 1: the error flips sign
 *   every iteration (contraction factor about 1 - 1.6 * 1.33 < 0), and the
 *   rounding keeps it alive at one unit: x alternates 0.5 +- 2^-16, a CYCLE
 *   of period 2. With p = 1, c = -3 (optimum at the bound 1) the quantized
 *   iteration settles into a cycle of period 4.
 * - x <= 0 and x >= 1 (two rows): INFEASIBLE.
 */
import { describe, expect, it } from 'vitest';
import {
  ADMM_STATUS_MESSAGES,
  ADMM_STATUS_NAMES,
  admmIterate,
  admmStep,
  admmSolve,
  AdmmStatus,
  createAdmmProblem,
  createAdmmWorkspace,
  type AdmmWorkspace,
} from '../../src/admm/index.js';
import { createQ } from '../../src/fixed/q.js';
import { compileAdmm, type FloatQp } from '../../tools/admm/precompute.js';

const ONE = 1 << 16;

function oneDim(p: number, c: number, l = -1, u = 1): FloatQp {
  return { P: [[p]], q: [c], C: [[1]], l: [l], u: [u] };
}

function workspace(qp: FloatQp, rho: number, alpha: number): AdmmWorkspace {
  const q = createQ(16);
  return createAdmmWorkspace(q, createAdmmProblem(q, compileAdmm(16, qp, { rho, sigma: 2 ** -8, alpha })));
}

const state = (ws: AdmmWorkspace) => [...ws.x, ...ws.z, ...ws.y].join(',');

describe('ADMM termination codes', () => {
  it('CONVERGED: an exact quantized fixed point (x, z, y unchanged by an iteration)', () => {
    const ws = workspace(oneDim(2, -1), 0.5, 1);
    expect(admmSolve(ws, 1000, -1)).toBe(AdmmStatus.CONVERGED);
    expect(ws.x[0]).toBe(ONE / 2);
    expect(ws.z[0]).toBe(ONE / 2);
    expect(ws.y[0]).toBe(0);
    const before = state(ws);
    admmIterate(ws);
    expect(ws.moved).toBe(0);
    expect(state(ws)).toBe(before);
    expect(ws.q.flags).toBe(0);
  });

  it('SOLVED: residuals at most eps, before the exact fixed point', () => {
    const ws = workspace(oneDim(2, -1), 0.5, 1);
    const eps = ONE >> 6;
    expect(admmSolve(ws, 1000, eps)).toBe(AdmmStatus.SOLVED);
    expect(ws.primRes).toBeLessThanOrEqual(eps);
    expect(ws.dualRes).toBeGreaterThanOrEqual(0);
    expect(ws.dualRes).toBeLessThanOrEqual(eps);
    // Not yet a fixed point: another iteration still moves.
    admmIterate(ws);
    expect(ws.moved).toBeGreaterThan(0);
  });

  it('MAX_ITER: the cap comes first', () => {
    const ws = workspace(oneDim(2, -1), 0.5, 1);
    expect(admmSolve(ws, 3, -1)).toBe(AdmmStatus.MAX_ITER);
    expect(ws.iter).toBe(3);
  });

  it('CYCLE: over-relaxation makes the quantized iteration alternate (period 2)', () => {
    const ws = workspace(oneDim(2, -1), 1, 1.6);
    expect(admmSolve(ws, 1000, -1)).toBe(AdmmStatus.CYCLE);
    expect(ws.period).toBe(2);
    // The cycle is real: two iterations return to the same state, one does not.
    const s0 = state(ws);
    admmIterate(ws);
    const s1 = state(ws);
    admmIterate(ws);
    expect(s1).not.toBe(s0);
    expect(state(ws)).toBe(s0);
    expect(Math.abs(ws.x[0] - ONE / 2)).toBeLessThanOrEqual(2);
  });

  it('CYCLE: a period of 4 with the optimum on a bound', () => {
    const ws = workspace(oneDim(1, -3), 1, 1.6);
    expect(admmSolve(ws, 1000, -1)).toBe(AdmmStatus.CYCLE);
    expect(ws.period).toBe(4);
    const seen: string[] = [state(ws)];
    for (let k = 0; k < 4; k++) {
      admmIterate(ws);
      seen.push(state(ws));
    }
    expect(seen[4]).toBe(seen[0]);
    expect(new Set(seen.slice(0, 4)).size).toBe(4);
    expect(ws.z[0]).toBe(ONE); // pressed against u = 1
    expect(ws.y[0]).toBeGreaterThan(0); // with positive pressure (about 2)
  });

  it('CYCLE needs a ring long enough for the period', () => {
    const q = createQ(16);
    const spec = compileAdmm(16, oneDim(1, -3), { rho: 1, sigma: 2 ** -8, alpha: 1.6 });
    const ws = createAdmmWorkspace(q, createAdmmProblem(q, spec), { cycle: 3 });
    expect(admmSolve(ws, 1000, -1)).toBe(AdmmStatus.MAX_ITER);
  });

  it('INFEASIBLE: x <= 0 and x >= 1', () => {
    const qp: FloatQp = { P: [[1]], q: [0], C: [[1], [1]], l: [-Infinity, 1], u: [0, Infinity] };
    const ws = workspace(qp, 0.5, 1.6);
    expect(admmSolve(ws, 10_000, 2)).toBe(AdmmStatus.INFEASIBLE);
    // The change of y is the certificate: [+, -] with C'dy = dy_0 + dy_1 near 0.
    expect(ws.dy[0]).toBeGreaterThan(0);
    expect(ws.dy[1]).toBeLessThan(0);
    expect(Math.abs(ws.dy[0] + ws.dy[1])).toBeLessThanOrEqual((ws.epsPinf * ws.dy[0]) / ONE);
    expect(ws.q.flags).toBe(0);
  });

  it('the certificate never fires while a feasible problem cycles (every step tested)', () => {
    const ws = workspace(oneDim(1, -3), 1, 1.6);
    const seen = new Set<number>();
    for (let k = 0; k < 3000; k++) seen.add(admmStep(ws, -1));
    expect(seen.has(AdmmStatus.INFEASIBLE)).toBe(false);
    expect(seen.has(AdmmStatus.CYCLE)).toBe(true);
  });

  it('status values, names and messages are distinct', () => {
    const values = Object.values(AdmmStatus);
    expect(new Set(values).size).toBe(values.length);
    for (const [name, v] of Object.entries(AdmmStatus)) expect(ADMM_STATUS_NAMES[v]).toBe(name);
    expect(new Set(ADMM_STATUS_MESSAGES).size).toBe(values.length);
  });
});
