/**
 * The `admm` operator (SPEC 6, 7): a factory with the engine's
 * `OperatorFactory` signature, whose apply runs the configured iterations
 * from the engine's x and writes the next iterate; z and the dual y (the
 * facet pressure) persist between calls.
 */
import { describe, expect, it } from 'vitest';
import {
  admmIterate,
  AdmmStatus,
  bindAdmmDual,
  createAdmmOperator,
  createAdmmProblem,
  createAdmmWorkspace,
} from '../../src/admm/index.js';
import type { OperatorFactory, StepContext } from '../../src/engine/operator.js';
import { createQ, type QContext } from '../../src/fixed/q.js';
import { compileAdmm } from '../../tools/admm/precompute.js';
import { Rng } from '../helpers/rng.js';
import { randomFeasibleQp } from './reference.js';

/** The part of the step context the operator reads. */
const context = (q: QContext, n: number) => ({ q, n, level: 0, activeCount: 0, chi: 0, step: 0 }) as unknown as StepContext;

const qp = randomFeasibleQp(new Rng(77), 5, 9);
const params = () => ({ kind: 'admm', ...compileAdmm(16, qp, { rho: 0.5, sigma: 2 ** -8, alpha: 1.6 }) });

describe('admm operator', () => {
  it('is an OperatorFactory', () => {
    const factory: OperatorFactory = createAdmmOperator;
    expect(factory(createQ(16), 5, params(), 'operators[0]').name).toBe('admm');
  });

  it('apply = one admmIterate from x, with z and y kept between calls', () => {
    const q = createQ(16);
    const op = createAdmmOperator(q, 5, params(), 'operators[0]');
    const ref = createAdmmWorkspace(q, createAdmmProblem(q, params()));
    const ctx = context(q, 5);
    let x = new Int32Array(5);
    const out = new Int32Array(5);
    for (let k = 0; k < 40; k++) {
      op.apply(out, x, ctx);
      admmIterate(ref);
      expect(Array.from(out)).toEqual(Array.from(ref.x));
      expect(Array.from(op.ws.y)).toEqual(Array.from(ref.y));
      expect(Array.from(op.ws.z)).toEqual(Array.from(ref.z));
      x = Int32Array.from(out);
    }
    expect(op.status).toBe(AdmmStatus.RUNNING);
  });

  it('runs `iterations` per apply, stops at a terminal status, and may write into x', () => {
    const q = createQ(16);
    const op = createAdmmOperator(q, 5, { ...params(), iterations: 20_000, eps: 2 }, 'operators[0]');
    const x = new Int32Array(5);
    op.apply(x, x, context(q, 5));
    expect(op.status).toBe(AdmmStatus.SOLVED);
    expect(Array.from(x)).toEqual(Array.from(op.ws.x));
    expect(op.ws.iter).toBeGreaterThan(1);
    expect(op.ws.iter).toBeLessThan(20_000);
    // Already solved: the next apply changes nothing.
    const again = Int32Array.from(x);
    op.apply(again, x, context(q, 5));
    expect(op.status).toBe(AdmmStatus.SOLVED);
    expect(Array.from(again)).toEqual(Array.from(x));
  });

  it('on INFEASIBLE writes x unchanged (no garbage number)', () => {
    const q = createQ(16);
    const spec = compileAdmm(16, { P: [[1]], q: [0], C: [[1], [1]], l: [-Infinity, 1], u: [0, Infinity] }, { rho: 0.5, sigma: 2 ** -8, alpha: 1.6 });
    const op = createAdmmOperator(q, 1, { ...spec, iterations: 1000 }, 'operators[0]');
    const x = Int32Array.of(12345);
    const out = new Int32Array(1);
    op.apply(out, x, context(q, 1));
    expect(op.status).toBe(AdmmStatus.INFEASIBLE);
    expect(out[0]).toBe(12345);
  });

  it('writes the dual into the engine buffer once bound', () => {
    const q = createQ(16);
    const op = createAdmmOperator(q, 5, params(), 'operators[0]');
    const u = new Int32Array(9);
    bindAdmmDual(op.ws, u);
    const x = new Int32Array(5);
    for (let k = 0; k < 30; k++) op.apply(x, x, context(q, 5));
    expect(op.ws.y).toBe(u);
    expect(u.some((v) => v !== 0)).toBe(true);
  });

  it('refuses unknown or bad parameters by JSON path', () => {
    const q = createQ(16);
    expect(() => createAdmmOperator(q, 5, { ...params(), gain: 1 }, 'operators[3]')).toThrow(/^operators\[3\]\.gain: unknown parameter/);
    expect(() => createAdmmOperator(q, 5, { ...params(), iterations: 0 }, 'operators[3]')).toThrow(/^operators\[3\]\.iterations: must be an integer in 1\.\.65536/);
    expect(() => createAdmmOperator(q, 5, { ...params(), eps: 1.5 }, 'operators[3]')).toThrow(/^operators\[3\]\.eps/);
    expect(() => createAdmmOperator(q, 4, params(), 'operators[3]')).toThrow(/^operators\[3\]\.P: has 5 rows, n is 4/);
    expect(() => createAdmmOperator(q, 5, { ...params(), cycle: 100 }, 'operators[3]')).toThrow(/^operators\[3\]\.cycle/);
  });
});
