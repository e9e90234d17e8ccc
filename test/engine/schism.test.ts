/**
 * Schism (SPEC 7): a facet pressed hard while its statistics do not settle
 * (so it cannot fossilize) moves the CRT index to the adjacent family; a
 * settled one fossilizes instead and never splits.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, EngineEvent, Result } from '../../src/index.js';
import { eventTake } from '../../src/caq/fossil.js';
import { box, boxModel, ONE, Q, scale } from './fixtures.js';

function model(varInit: number) {
  const m = boxModel([[1, 1]], [scale(2, 1, [0.25, 0])]);
  m.families = [
    { index: 0, levels: [box([1, 1], [[1, 0, 0], null, null, null])] },
    { index: 70, levels: [box([3, 3])] },
  ];
  m.caq = { ...m.caq, rateShift: 8, varInit, fossilVar: ONE, fossilPressure: Q(0.1), fossilSteps: 5 };
  return m;
}

function events(ring: Int32Array): number[][] {
  const out: number[][] = [];
  const e = new Int32Array(3);
  while (eventTake(ring, e)) out.push(Array.from(e));
  return out;
}

describe('schism', () => {
  it('moves the index after fossilSteps pressed, unsettled steps, then the wider family admits the push', () => {
    const e = createEngine(model(Q(100)));
    e.reset([Q(0.875), 0]); // each push lands 0.125 past facet 0, beyond the band
    for (let k = 1; k <= 5; k++) expect(e.step()).toBe(Result.BOUNDARY);
    expect(Array.from(e.alpha)).toEqual([1, 0, 0]);
    expect(events(e.events)).toEqual([[EngineEvent.SCHISM, 70, 5]]);
    expect(e.step()).toBe(Result.MOVED);
    expect(Array.from(e.x)).toEqual([Q(1.125), 0]);
  });

  it('a settled facet fossilizes instead and the index stays', () => {
    const e = createEngine(model(0));
    e.reset([Q(0.875), 0]);
    for (let k = 1; k <= 12; k++) expect(e.step()).toBe(Result.BOUNDARY);
    expect(Array.from(e.alpha)).toEqual([0, 0, 0]);
    const seen = events(e.events);
    expect(seen.some(([type]) => type === EngineEvent.FOSSILIZED)).toBe(true);
    expect(seen.some(([type]) => type === EngineEvent.SCHISM)).toBe(false);
  });
});
