/**
 * The higher-order terms in the step (SPEC 9, 11): a level's `order` fills
 * the boundary record's Jacobian / curvature along the active facet normals
 * (exact lattice differences, worked out by hand), and a GRAZING step at
 * such a level predicts its next facet crossing (`crossingIn`), which holds
 * back promotion.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, EngineEvent, Reason, Result } from '../../src/engine/index.js';
import type { ModelSpec } from '../../src/engine/model.js';
import type { Operator, OperatorTable } from '../../src/engine/operator.js';
import { builtinOperators } from '../../src/engine/operators/index.js';
import { eventCount, eventTake } from '../../src/caq/fossil.js';
import { boxModel, ONE, Q, quietCaq, scale } from './fixtures.js';

/** One level, box |x_j| <= 4, steps of 256 Q units, the given order and operators. */
function model256(order: number | undefined, operators: ModelSpec['operators']): ModelSpec {
  const caq = quietCaq(256);
  caq.stableVar = caq.stableVar.slice(0, 1);
  const m = boxModel([[4, 4]], operators, { caq });
  if (order !== undefined) m.levels[0].order = order;
  return m;
}

/** x' = M x with M = [[2, 0], [1, 1]] (column 0 = (2, 1), column 1 = (0, 1)). */
const linear = { kind: 'linear', M: [[Q(2), 0], [Q(1), Q(1)]], c: [0, 0] };

/**
 * A test-side quadratic: out_0 = 2 x_0 + 256 t^2 with t = (x_0 - 4.0) >> 8,
 * out_1 = x_1. On the 256-lattice every value stays on the lattice, so the
 * quantization between operators keeps it exact.
 */
const quadTable: OperatorTable = {
  ...builtinOperators,
  quad: (): Operator => ({
    name: 'quad',
    apply(out: Int32Array, x: Int32Array): void {
      const t = (x[0] - Q(4)) >> 8;
      out[0] = 2 * x[0] + 256 * t * t;
      out[1] = x[1];
    },
  }),
};

function events(ring: Int32Array): number[][] {
  const out: number[][] = [];
  const e = new Int32Array(3);
  while (eventCount(ring) > 0 && eventTake(ring, e)) out.push(Array.from(e));
  return out;
}

describe('engine step: higher-order terms in the boundary record', () => {
  it('order 1, linear F: each Jacobian row is h times the column of M along the facet normal', () => {
    const e = createEngine(model256(1, [linear]));
    // The corner (4, 4): facets +e_0 (id 0) and +e_1 (id 2) active; F = (8, 8) is exterior.
    e.reset([Q(4), Q(4)]);
    expect(e.step()).toBe(Result.BOUNDARY);
    const rec = e.record;
    expect(rec.reason).toBe(Reason.EXTERIOR);
    expect(rec.activeCount).toBe(2);
    const ids = Array.from(rec.active.subarray(0, 2)).sort();
    expect(ids).toEqual([0, 2]);
    // F(x + 256 e_0) - F(x) = 256 (2, 1); F(x + 256 e_1) - F(x) = 256 (0, 1).
    const rowOf: Record<number, number[]> = { 0: [512, 256], 2: [0, 256] };
    expect(Array.from(rec.jacobian.subarray(0, 2))).toEqual(rowOf[rec.active[0]]);
    expect(Array.from(rec.jacobian.subarray(2, 4))).toEqual(rowOf[rec.active[1]]);
    expect(Array.from(rec.jacobianSteps)).toEqual([256, 256]);
    expect(Array.from(rec.curvature)).toEqual([0, 0]);
    expect(Array.from(e.x)).toEqual([Q(4), Q(4)]);
    expect(e.status).toBe(0);
  });

  it('order 2, quadratic F: Jacobian 768 and curvature 512 along +e_0, exactly', () => {
    const e = createEngine(model256(2, [{ kind: 'quad' }]), quadTable);
    // x = (4, 1): only facet +e_0 is within the band; F = (8, 1) is exterior.
    e.reset([Q(4), Q(1)]);
    expect(e.step()).toBe(Result.BOUNDARY);
    const rec = e.record;
    expect(rec.activeCount).toBe(1);
    expect(rec.active[0]).toBe(0);
    // F_0(x + 256 e_0) - F_0(x) = 512 + 256; F_0(x + 512 e_0) - 2 F_0(x + 256 e_0) + F_0(x) = 2048 - 1536.
    expect(Array.from(rec.jacobian)).toEqual([768, 0, 0, 0]);
    // curvature = RNE(<e_0 (Q 1.0), (512, 0)> / 2^16) = 512.
    expect(Array.from(rec.curvature)).toEqual([512, 0]);
    expect(Array.from(rec.jacobianSteps)).toEqual([256, 0]);
  });

  it('order 0 (and no order): the terms are zero', () => {
    for (const order of [0, undefined]) {
      const e = createEngine(model256(order, [{ kind: 'quad' }]), quadTable);
      e.reset([Q(4), Q(1)]);
      expect(e.step()).toBe(Result.BOUNDARY);
      expect(e.record.activeCount).toBe(1);
      expect(Array.from(e.record.jacobian)).toEqual([0, 0, 0, 0]);
      expect(Array.from(e.record.curvature)).toEqual([0, 0]);
      expect(Array.from(e.record.jacobianSteps)).toEqual([0, 0]);
    }
  });

  it('an order above 5 is refused at setup, naming the level', () => {
    const m = boxModel([[4, 4], [2, 2], [1, 1]], [linear]);
    m.levels[2].order = 7;
    expect(() => createEngine(m)).toThrow('levels[2].order: must be in 0..5, got 7');
  });
});

describe('engine step: crossing look-ahead', () => {
  const drift = Q(0.01); // 655 Q units per step along x_0

  it('a GRAZING step predicts the steps until it reaches the facet', () => {
    const m = boxModel([[1, 1]], [scale(2, 1, [0.01, 0])], { tPromote: 100 });
    m.levels[0].order = 1;
    const e = createEngine(m);
    e.reset([ONE - 6 * drift - 100, 0]);
    expect(e.step()).toBe(Result.GRAZING);
    // slack 6 * 655 + 100 - 655 = 3375 (within the band 4096); it shrinks by 655 a step: 6 steps.
    expect(e.x[0]).toBe(ONE - 3375);
    expect(e.crossingIn).toBe(6);
    expect(e.status).toBe(0);
    // Same model without an order: no look-ahead.
    const e0 = createEngine(boxModel([[1, 1]], [scale(2, 1, [0.01, 0])], { tPromote: 100 }));
    e0.reset([ONE - 6 * drift - 100, 0]);
    expect(e0.step()).toBe(Result.GRAZING);
    expect(e0.crossingIn).toBe(0);
  });

  it('beyond T_promote steps no crossing is predicted (0)', () => {
    const m = boxModel([[1, 1]], [scale(2, 1, [0.01, 0])], { tPromote: 5 });
    m.levels[0].order = 1;
    const e = createEngine(m);
    e.reset([ONE - 6 * drift - 100, 0]);
    expect(e.step()).toBe(Result.GRAZING);
    expect(e.crossingIn).toBe(0);
  });

  it('a predicted crossing within T_promote holds back promotion', () => {
    // Two identical shells, so the state could be promoted; T_promote = 2.
    const make = (order: number) => {
      const m = boxModel([[2, 2], [2, 2]], [scale(2, 1, [0.01, 0])], { tPromote: 2 });
      m.levels[0].order = order;
      const e = createEngine(m);
      e.reset([Q(2) - 2 * drift - 545, 0]);
      return e;
    };
    const plain = make(0);
    const ahead = make(1);
    for (let k = 0; k < 2; k++) {
      expect(plain.step()).toBe(Result.GRAZING);
      expect(ahead.step()).toBe(Result.GRAZING);
      expect(ahead.crossingIn).toBe(2 - k);
    }
    expect(plain.stableSteps).toBe(2);
    expect(ahead.stableSteps).toBe(0);
    // Without the look-ahead the third step is tried one level deeper first and lands there.
    expect(plain.step()).toBe(Result.GRAZING);
    expect(plain.level).toBe(1);
    expect(events(plain.events)).toEqual([[EngineEvent.PROMOTED, 1, 3]]);
    expect(ahead.step()).toBe(Result.GRAZING);
    expect(ahead.level).toBe(0);
    expect(events(ahead.events)).toEqual([]);
  });
});
