/**
 * The engine's fossil record (SPEC 5, 12): a facet the dynamics keep
 * pressing fossilizes; its record survives into an updated model that keeps
 * the facet, and is dropped where the facet's normal changed.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, EngineEvent, FossilStatus, Result } from '../../src/index.js';
import { eventTake } from '../../src/caq/fossil.js';
import { boxModel, ONE, Q, scale } from './fixtures.js';

function pressingModel() {
  const model = boxModel([[1, 1]], [scale(2, 1, [0.25, 0])]);
  model.caq = { ...model.caq, fossilVar: ONE, fossilPressure: Q(0.1), fossilSteps: 5 };
  return model;
}

describe('engine fossil record', () => {
  it('fossilizes a pressed facet, saves it, and restores it into an updated model that keeps the facet', () => {
    const e = createEngine(pressingModel());
    e.reset([Q(0.75), 0]);
    expect(e.step()).toBe(Result.GRAZING); // on the facet x0 <= 1
    for (let k = 0; k < 8; k++) expect(e.step()).toBe(Result.BOUNDARY); // pushed through it
    const ev = new Int32Array(3);
    const seen: number[][] = [];
    while (eventTake(e.events, ev)) seen.push(Array.from(ev));
    expect(seen).toContainEqual([EngineEvent.FOSSILIZED, 0, 7]);
    const blob = e.saveFossils();

    // An update: another operator, same facets.
    const updated = pressingModel();
    updated.operators = [scale(2, 0.5)];
    const e2 = createEngine(updated);
    e2.reset([0, 0]);
    const r = e2.restoreFossils(blob);
    expect(r.status).toBe(FossilStatus.OK);
    expect(r.restored).toBe(4);
    expect(r.dropped).toBe(0);
    expect(e2.saveFossils()).toEqual(blob);

    // A model whose facet 0 turned: that facet's fossil is not restored.
    const turned = pressingModel();
    turned.families[0].levels[0].A[0] = [ONE, Q(0.25)];
    const e3 = createEngine(turned);
    e3.reset([0, 0]);
    const r3 = e3.restoreFossils(blob);
    expect(r3.status).toBe(FossilStatus.OK);
    expect(r3.restored).toBe(3);
    expect(r3.dropped).toBe(1);
    expect(e3.saveFossils()).not.toEqual(blob);
  });

  it('refuses a corrupted record and writes nothing', () => {
    const e = createEngine(pressingModel());
    e.reset([Q(0.75), 0]);
    const blob = e.saveFossils();
    const bad = blob.slice();
    bad[20] ^= 1;
    const before = e.saveFossils();
    expect(e.restoreFossils(bad).status).toBe(FossilStatus.BAD_CRC);
    expect(e.saveFossils()).toEqual(before);
  });
});
