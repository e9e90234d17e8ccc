/**
 * The `admm` operator inside the step (SPEC 7, 8): a safety filter projects
 * a requested command onto a safe polytope; an infeasible request ends in a
 * boundary record INFEASIBLE with the state unchanged.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, Reason, Result } from '../../src/engine/index.js';
import { compileAdmm } from '../../tools/admm/precompute.js';
import { boxModel, ONE, Q } from './fixtures.js';

/** min 1/2 |x - r|^2 subject to l <= C x <= u, as an `admm` operator that iterates `iterations` times per step. */
function filter(r: number[], C: number[][], l: number[], u: number[], iterations: number) {
  const spec = compileAdmm(16, { P: [[1, 0], [0, 1]], q: r.map((v) => -v), C, l, u }, { rho: 1, sigma: 1 / 256, alpha: 1 });
  return { kind: 'admm', ...spec, iterations, eps: 4 };
}

describe('engine step with the admm operator', () => {
  it('projects a request onto the safe set x0 + x1 <= 1 and settles there', () => {
    const op = filter([1, 1], [[1, 1]], [-Infinity], [1], 50);
    const e = createEngine(boxModel([[4, 4]], [op], { levels: [{ beta: Q(1 / 16), tol: 2, tau: Q(1) }] }));
    e.reset([0, 0]);
    let code = 0;
    for (let k = 0; k < 40; k++) code = e.step();
    expect([Result.CONVERGED, Result.FIXED, Result.MOVED]).toContain(code);
    // The projection of (1, 1) onto x0 + x1 <= 1 is (0.5, 0.5).
    expect(Math.abs(e.x[0] - Q(0.5))).toBeLessThanOrEqual(64);
    expect(Math.abs(e.x[1] - Q(0.5))).toBeLessThanOrEqual(64);
  });

  it("takes ADMM's dual y as the facet pressure u when the constraints are the polytope's facets", () => {
    // P = { x0 + x1 <= 1, |x0| <= 4, |x1| <= 4 }; C = the same rows.
    const A = [[ONE, ONE], [ONE, 0], [-ONE, 0], [0, ONE], [0, -ONE]];
    const b = [ONE, 4 * ONE, 4 * ONE, 4 * ONE, 4 * ONE];
    const op = filter([1, 1], A.map((r) => r.map((v) => v / ONE)), A.map(() => -Infinity), b.map((v) => v / ONE), 50);
    const model = boxModel([[4, 4]], [op], { levels: [{ beta: Q(1 / 16), tol: 2, tau: Q(1) }] });
    model.families[0].levels[0] = { A, b };
    const e = createEngine(model);
    e.reset([0, 0]);
    for (let k = 0; k < 40; k++) e.step();
    const y = (e.operators[0] as unknown as { ws: { y: Int32Array } }).ws.y;
    expect(Array.from(e.u)).toEqual(Array.from(y));
    // The active constraint x0 + x1 <= 1 carries the pressure: y_0 = 0.5 (the KKT multiplier).
    expect(Math.abs(e.u[0] - Q(0.5))).toBeLessThanOrEqual(64);
    expect(Array.from(e.u.subarray(1))).toEqual([0, 0, 0, 0]);
  });

  it('refuses an infeasible safe set (x0 <= 0 and x0 >= 1) with a boundary record INFEASIBLE', () => {
    const op = filter([0.5, 0], [[1, 0], [1, 0]], [-Infinity, 1], [0, Infinity], 1000);
    const e = createEngine(boxModel([[4, 4]], [op]));
    e.reset([Q(0.25), 0]);
    expect(e.step()).toBe(Result.BOUNDARY);
    expect(e.record.reason).toBe(Reason.INFEASIBLE);
    expect(Array.from(e.x)).toEqual([Q(0.25), 0]);
  });
});
