/**
 * Accuracy of the fixed-point ADMM against a float64 reference (issue 6,
 * item 4): on random well-scaled feasible QPs (n <= 12, m <= 24) the Q16.16
 * solution is within 2^-10 of the float64 optimum, relative to the problem
 * scale max(1, ||x*||_inf); it never returns a point outside the
 * constraints by more than the facet band; on random infeasible QPs it
 * returns INFEASIBLE.
 *
 * Settings: rho = 0.5, sigma = 2^-8, alpha = 1.6, residual tolerance eps =
 * 2 Q units, at most 20,000 iterations. The problems are drawn on the
 * Q16.16 grid, so the float and the fixed-point problem are the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { ADMM_STATUS_NAMES, admmSolve, AdmmStatus, createAdmmProblem, createAdmmWorkspace } from '../../src/admm/index.js';
import { createQ } from '../../src/fixed/q.js';
import { compileAdmm, fromQ, type FloatQp } from '../../tools/admm/precompute.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { kktError, osqpReference, randomFeasibleQp, randomInfeasibleQp } from './reference.js';

const F = 16;
const SETTINGS = { rho: 0.5, sigma: 2 ** -8, alpha: 1.6 };
const EPS = 2; // Q units
const MAX_ITER = 20_000;
/** The accuracy bound, relative to max(1, ||x*||_inf). */
const BOUND = 2 ** -10;
/** The facet band: how far outside [l, u] a returned C x may lie (Q16.16: 64 units). */
const BAND = 2 ** -10;
// The integer-purity run checks every arithmetic result and is several times slower: half the problems there.
const FEASIBLE = PURITY ? 50 : 100;
const INFEASIBLE = PURITY ? 20 : 40;

function solveFixed(qp: FloatQp) {
  const q = createQ(F);
  const spec = compileAdmm(F, qp, SETTINGS);
  const ws = createAdmmWorkspace(q, createAdmmProblem(q, spec));
  const status = admmSolve(ws, MAX_ITER, EPS);
  return { status, x: Array.from(ws.x, (v) => fromQ(v, F)), iter: ws.iter, flags: q.flags };
}

/** How far C x lies outside [l, u] (0 inside), in decimals. */
function violation(qp: FloatQp, x: number[]): number {
  let worst = 0;
  qp.C.forEach((row, i) => {
    const cx = row.reduce((s, c, j) => s + c * x[j], 0);
    worst = Math.max(worst, qp.l[i] - cx, cx - qp.u[i]);
  });
  return worst;
}

describe('ADMM in Q16.16 against float64', () => {
  it(`${FEASIBLE} random feasible QPs (n <= 12, m <= 24): within 2^-10 of the float64 optimum, inside the facet band`, () => {
    const rng = new Rng(0xadd1);
    let maxErr = 0;
    let maxAbs = 0;
    let maxViolation = 0;
    let maxIter = 0;
    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    for (let k = 0; k < FEASIBLE; k++) {
      const n = rng.range(1, 12);
      const m = rng.range(1, 24);
      const qp = randomFeasibleQp(rng, n, m);
      const ref = osqpReference(qp);
      // The reference is a certified optimum.
      expect(ref.status, `problem ${k}: reference status`).toBe('solved');
      expect(ref.kkt, `problem ${k}: reference KKT error`).toBeLessThan(1e-8);
      const got = solveFixed(qp);
      const name = ADMM_STATUS_NAMES[got.status];
      statuses[name] = (statuses[name] ?? 0) + 1;
      const scale = Math.max(1, ...ref.x.map(Math.abs));
      const abs = Math.max(...ref.x.map((v, i) => Math.abs(got.x[i] - v)));
      const err = abs / scale;
      const viol = violation(qp, got.x);
      maxErr = Math.max(maxErr, err);
      maxAbs = Math.max(maxAbs, abs);
      maxViolation = Math.max(maxViolation, viol);
      maxIter = Math.max(maxIter, got.iter);
      if (got.status !== AdmmStatus.SOLVED && got.status !== AdmmStatus.CONVERGED) failures.push(`problem ${k} (n ${n}, m ${m}): ${name} after ${got.iter} iterations`);
      if (err > BOUND) failures.push(`problem ${k} (n ${n}, m ${m}): error ${err} > 2^-10`);
      if (viol > BAND) failures.push(`problem ${k} (n ${n}, m ${m}): C x outside [l, u] by ${viol}`);
      if (got.flags !== 0) failures.push(`problem ${k}: status flags ${got.flags}`);
    }
    console.log(
      `ADMM accuracy over ${FEASIBLE} feasible QPs: max error ${maxErr.toExponential(3)} = 2^${Math.log2(maxErr).toFixed(2)} ` +
        `(relative to max(1, ||x*||)), max absolute ${maxAbs.toExponential(3)}, max constraint violation ` +
        `${maxViolation.toExponential(3)} (${(maxViolation * 2 ** F).toFixed(2)} units), max iterations ${maxIter}, ` +
        `statuses ${JSON.stringify(statuses)}`,
    );
    expect(failures).toEqual([]);
    expect(maxErr).toBeLessThanOrEqual(BOUND);
  });

  it(`${INFEASIBLE} random infeasible QPs: INFEASIBLE, never a number`, () => {
    const rng = new Rng(0x1f5ea5);
    let detected = 0;
    let maxIter = 0;
    const failures: string[] = [];
    for (let k = 0; k < INFEASIBLE; k++) {
      const n = rng.range(1, 12);
      const m = rng.range(3, 24);
      const qp = randomInfeasibleQp(rng, n, m);
      // The float reference finds the same certificate (the generator is right).
      expect(osqpReference(qp, { rho: 0.5, epsPinf: 1e-4 }).status, `problem ${k}: reference`).toBe('infeasible');
      const got = solveFixed(qp);
      maxIter = Math.max(maxIter, got.iter);
      if (got.status === AdmmStatus.INFEASIBLE) detected++;
      else failures.push(`problem ${k} (n ${n}, m ${m}): ${ADMM_STATUS_NAMES[got.status]} after ${got.iter} iterations`);
    }
    console.log(`ADMM infeasibility: ${detected} of ${INFEASIBLE} infeasible QPs returned INFEASIBLE (max ${maxIter} iterations)`);
    expect(failures).toEqual([]);
  });

  it('the reference KKT check accepts the optimum and rejects a perturbed point', () => {
    const qp = randomFeasibleQp(new Rng(5), 4, 6);
    const ref = osqpReference(qp);
    expect(kktError(qp, ref.x, ref.y)).toBeLessThan(1e-8);
    expect(kktError(qp, ref.x.map((v) => v + 1e-3), ref.y)).toBeGreaterThan(1e-4);
  });
});
