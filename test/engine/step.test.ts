/**
 * One small hand-designed model per result code and boundary reason
 * (SPEC 8, 9), each asserting the exact code and the exact state values
 * worked out by hand in Q16.16.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, EngineEvent, Reason, Result, Summary } from '../../src/engine/index.js';
import { eventCount, eventTake } from '../../src/caq/fossil.js';
import { box, boxModel, ONE, Q, scale } from './fixtures.js';

function events(ring: Int32Array): number[][] {
  const out: number[][] = [];
  const e = new Int32Array(3);
  while (eventCount(ring) > 0 && eventTake(ring, e)) out.push(Array.from(e));
  return out;
}

describe('engine step: result codes', () => {
  it('MOVED halves the state; RNE sends 1 unit * 0.5 to 0 (ties to even), then FIXED', () => {
    const e = createEngine(boxModel([[1, 1]], [scale(2, 0.5)]));
    e.reset([Q(0.5), 0]);
    for (let k = 1; k <= 16; k++) {
      expect(e.step()).toBe(Result.MOVED);
      expect(Array.from(e.x)).toEqual([(1 << 15) >> k, 0]);
    }
    expect(e.step()).toBe(Result.FIXED);
    expect(Array.from(e.x)).toEqual([0, 0]);
    expect(e.stepIndex).toBe(17);
  });

  it('FIXED at the origin of a contraction: Q(F(Q(x))) = x', () => {
    const e = createEngine(boxModel([[1, 1]], [scale(2, 0.5)]));
    e.reset([0, 0]);
    expect(e.step()).toBe(Result.FIXED);
    expect(Array.from(e.x)).toEqual([0, 0]);
  });

  it('GRAZING lands exactly on the facet x0 <= 1; the next push is a BOUNDARY EXTERIOR with the record filled', () => {
    const e = createEngine(boxModel([[1, 1]], [scale(2, 1, [0.25, 0])]));
    e.reset([Q(0.75), Q(0.5)]);
    expect(e.step()).toBe(Result.GRAZING);
    expect(Array.from(e.x)).toEqual([ONE, Q(0.5)]);

    expect(e.step()).toBe(Result.BOUNDARY);
    expect(Array.from(e.x)).toEqual([ONE, Q(0.5)]); // unchanged: lawful silence
    const r = e.record;
    expect(r.reason).toBe(Reason.EXTERIOR);
    expect(r.step).toBe(2);
    expect(Array.from(r.x)).toEqual([ONE, Q(0.5)]);
    expect(r.activeCount).toBe(1);
    expect(r.active[0]).toBe(0); // facet x0 <= 1
    // Pressure of facet 0: F pushed 0.25 past it in step 2 (none in step 1).
    expect(e.u[0]).toBe(Q(0.25));
    expect(Array.from(r.stress.subarray(0, 2))).toEqual([Q(0.25), 0]);
    expect(Array.from(r.stress.subarray(2, 4))).toEqual([0, 0]);
    // History: the state before the one committed step.
    expect(r.historyCount).toBe(1);
    expect(Array.from(r.history.subarray(0, 2))).toEqual([Q(0.75), Q(0.5)]);
  });

  it('pops outward when the inner shell refuses, with a POPPED event', () => {
    const e = createEngine(boxModel([[2, 2], [1, 1]], [scale(2, 1, [0.5, 0])]));
    e.reset([Q(0.75), 0], undefined, 1);
    expect(e.step()).toBe(Result.MOVED);
    expect(e.level).toBe(0);
    expect(Array.from(e.x)).toEqual([Q(1.25), 0]);
    expect(events(e.events)).toEqual([[EngineEvent.POPPED, 0, 1]]);
  });

  it('promotes one level deeper after T_promote stable steps, with a PROMOTED event', () => {
    const e = createEngine(boxModel([[2, 2], [1, 1]], [scale(2, 0.5)], { tPromote: 2 }));
    e.reset([Q(1.5), 0]);
    expect(e.step()).toBe(Result.MOVED); // 0.75 at level 0, stable 1
    expect(e.step()).toBe(Result.MOVED); // 0.375 at level 0, stable 2
    expect(e.level).toBe(0);
    expect(e.step()).toBe(Result.MOVED); // tried level 1 first: admitted
    expect(e.level).toBe(1);
    expect(Array.from(e.x)).toEqual([Q(0.1875), 0]);
    expect(events(e.events)).toEqual([[EngineEvent.PROMOTED, 1, 3]]);
  });

  it('SWITCHED: grazing a facet that names an adjacent family moves the CRT index', () => {
    const model = boxModel([[1, 1]], [scale(2, 1, [0.25, 0])]);
    // Facet 0 (x0 <= 1) shifts the residues by (1, 0, 0): index 0 -> 70 (70 = 1 mod 3, 0 mod 5, 0 mod 7).
    model.families = [
      { index: 0, levels: [box([1, 1], [[1, 0, 0], null, null, null])] },
      { index: 70, levels: [box([3, 3])] },
    ];
    const e = createEngine(model);
    e.reset([Q(0.75), 0]);
    expect(e.step()).toBe(Result.SWITCHED);
    expect(Array.from(e.alpha)).toEqual([1, 0, 0]);
    expect(Array.from(e.x)).toEqual([ONE, 0]);
    expect(events(e.events)).toEqual([[EngineEvent.SWITCHED, 70, 1]]);
    // Family 70's box is wider: the next push is an ordinary MOVED.
    expect(e.step()).toBe(Result.MOVED);
    expect(Array.from(e.x)).toEqual([Q(1.25), 0]);
  });

  it('SILENT when the phase gate is closed: no update', () => {
    const model = boxModel([[1, 1]], [scale(2, 0.5)], {
      gates: { omega: [ONE, ONE], theta: ONE + 1, epsPas: ONE, chi: [0, 0] },
    });
    const e = createEngine(model);
    e.reset([Q(0.5), 0]);
    expect(e.step()).toBe(Result.SILENT);
    expect(Array.from(e.x)).toEqual([Q(0.5), 0]);
  });

  it('SILENT when PAS jumps by more than eps_pas, open again once it settles', () => {
    // omega = 1 turn per unit on axis 0 only: phi_0 = x0 turns, phi_1 = 0.
    const model = boxModel([[1, 1]], [scale(2, 0.5)], {
      gates: { omega: [ONE, 0], theta: 0, epsPas: Q(0.01), chi: [0, 0] },
    });
    const e = createEngine(model);
    e.reset([Q(0.5), 0]); // phases half a turn apart: PAS = 0
    expect(e.step()).toBe(Result.MOVED); // PAS 0 -> 0: open; x0 = 0.25
    expect(e.step()).toBe(Result.SILENT); // PAS 0 -> |1 + j| / 2 = 0.707: a jump
    expect(Array.from(e.x)).toEqual([Q(0.25), 0]);
    expect(e.pasPrev).toBe(46341); // 0.70711 in Q16, correctly rounded
    expect(e.step()).toBe(Result.MOVED); // settled: open again
    expect(Array.from(e.x)).toEqual([Q(0.125), 0]);
  });
});

describe('engine step: boundary reasons', () => {
  it('EXTERIOR when the state starts outside every shell (x kept, record filled)', () => {
    const e = createEngine(boxModel([[1, 1]], [scale(2, 0.5)]));
    e.reset([Q(3), 0]);
    expect(e.step()).toBe(Result.BOUNDARY);
    expect(e.record.reason).toBe(Reason.EXTERIOR);
    expect(Array.from(e.x)).toEqual([Q(3), 0]);
    expect(e.record.activeCount).toBe(1);
    expect(e.record.active[0]).toBe(0);
  });

  it('PROJECTION_UNDEFINED when no lattice point of the steps lies in the polytope', () => {
    // 0.3 <= x0 <= 0.4 with steps of 0.5: no admissible lattice point.
    const model = boxModel([[1, 1]], [scale(2, 1)], { caq: { ...boxModel([[1, 1]], []).caq, deltaMin: Q(0.5), deltaMid: Q(0.5), deltaMax: Q(0.5) } });
    model.families[0].levels[0] = { A: [[ONE, 0], [-ONE, 0], [0, ONE], [0, -ONE]], b: [Q(0.4), Q(-0.3), ONE, ONE] };
    model.levels[0].beta = Q(0.125);
    const e = createEngine(model);
    e.reset([Q(0.35), 0]);
    expect(e.step()).toBe(Result.BOUNDARY);
    expect(e.record.reason).toBe(Reason.PROJECTION_UNDEFINED);
    expect(Array.from(e.x)).toEqual([Q(0.35), 0]);
    expect(Array.from(e.record.delta)).toEqual([Q(0.5), Q(0.5)]);
  });

  it('UNDEFINED_INDEX when a grazed facet names an index with no family', () => {
    const model = boxModel([[1, 1]], [scale(2, 1, [0.25, 0])]);
    model.families = [{ index: 0, levels: [box([1, 1], [[1, 0, 0], null, null, null])] }];
    const e = createEngine(model);
    e.reset([Q(0.75), 0]);
    expect(e.step()).toBe(Result.BOUNDARY);
    expect(e.record.reason).toBe(Reason.UNDEFINED_INDEX);
    expect(Array.from(e.alpha)).toEqual([0, 0, 0]);
    expect(Array.from(e.x)).toEqual([Q(0.75), 0]);
  });

  it('EXTERIOR when the adjacent family does not admit the grazing point', () => {
    const model = boxModel([[1, 1]], [scale(2, 1, [0.25, 0])]);
    model.families = [
      { index: 0, levels: [box([1, 1], [[1, 0, 0], null, null, null])] },
      { index: 70, levels: [box([0.5, 0.5])] },
    ];
    const e = createEngine(model);
    e.reset([Q(0.75), 0]);
    expect(e.step()).toBe(Result.BOUNDARY);
    expect(e.record.reason).toBe(Reason.EXTERIOR);
    expect(Array.from(e.alpha)).toEqual([0, 0, 0]);
  });

  it('SATURATED: a clamped value is refused, never committed, and the result says so', () => {
    const e = createEngine(boxModel([[2, 2]], [scale(2, 32767)]));
    e.reset([Q(1.5), 0]);
    const code = e.step();
    expect(code & 0xff).toBe(Result.BOUNDARY);
    expect(code & Result.SATURATED_BIT).toBe(Result.SATURATED_BIT);
    expect(e.record.reason).toBe(Reason.SATURATED);
    expect(Array.from(e.x)).toEqual([Q(1.5), 0]);
  });
});

describe('engine: summaries and setup', () => {
  it('gives the energy inside a window and REFUSED outside every window', () => {
    const model = boxModel([[4, 4]], [scale(2, 1)]);
    model.levels[0].windows = [{ metric: 'diagonal', mu: [0, 0], S: [ONE, ONE], eps: ONE }];
    const e = createEngine(model);
    e.reset([Q(0.5), Q(0.5)]);
    expect(e.summarize()).toBe(Summary.OK);
    expect(e.energy).toBe(Q(0.5));
    e.reset([Q(3), 0]);
    expect(e.summarize()).toBe(Summary.REFUSED);
  });

  it('refuses malformed models with a message naming the path', () => {
    const good = boxModel([[1, 1]], [scale(2, 0.5)]);
    const bad: [Partial<typeof good>, RegExp][] = [
      [{ n: 0 }, /^n: must be in 1\.\.64, got 0$/],
      [{ levels: [] }, /^levels: must have at least one level$/],
      [{ families: [{ index: 0, levels: [{ A: [[ONE, 0, 0]], b: [ONE] }] }] }, /^families\[0\]\.levels\[0\]\.A\[0\]: row has 3 entries, n is 2$/],
      [{ families: [{ index: 0, levels: [{ A: [[ONE, 0]], b: [ONE, ONE] }] }] }, /^families\[0\]\.levels\[0\]\.b: has 2 entries, A has 1 rows$/],
      [{ operators: [{ kind: 'warp' }] }, /^operators\[0\]\.kind: unknown operator 'warp'/],
      [{ operators: [{ kind: 'linear', M: [[1, 2]] }] }, /^operators\[0\]\.M/],
      [{ gates: { omega: [1], theta: 0, epsPas: 0, chi: [0, 0] } }, /^gates\.omega: has 1 entries, n is 2$/],
      [{ history: 0 }, /^history: must be in 1\.\.1024, got 0$/],
    ];
    for (const [patch, message] of bad) expect(() => createEngine({ ...good, ...patch })).toThrow(message);
    const e = createEngine(good);
    expect(() => e.reset([0])).toThrow(/reset: x0 has 1 entries, n is 2/);
    expect(() => e.reset([0, 0.5])).toThrow(/reset: x0\[1\] = 0\.5 is not an int32/);
    expect(() => e.reset([0, 0], [3, 0, 0])).toThrow(/reset: alpha \[3, 0, 0\] is not a residue vector/);
  });
});
