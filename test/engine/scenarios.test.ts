/** The three larger scenarios in Node: the behaviour each is meant to show. */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import { Result } from '../../src/engine/index.js';
import { Q } from './fixtures.js';
import { runScenario, SCENARIOS } from './scenarios.js';

const STEPS = 10_000;

describe('engine scenarios (10^4 steps each)', () => {
  it('the gyroid flux is promoted into the middle shell and slides along its facets, deterministically', () => {
    const s = SCENARIOS[0];
    const a = runScenario(core, s.model, s.x0, STEPS, true);
    const b = runScenario(core, s.model, s.x0, STEPS, true);
    expect(a.digests).toEqual(b.digests);
    expect(a.counts[Result.BOUNDARY]).toBe(0);
    expect(a.counts[Result.MOVED]).toBeGreaterThan(1000);
    expect(a.counts[Result.GRAZING]).toBeGreaterThan(1000);
    expect(a.counts[Result.MOVED] + a.counts[Result.GRAZING]).toBe(STEPS);
    expect(a.level).toBe(1);
    for (const v of a.x) expect(Math.abs(v)).toBeLessThanOrEqual(Q(2));
  });

  it('the linear contraction reaches its interior fixed point exactly and stays FIXED', () => {
    const s = SCENARIOS[1];
    const t = runScenario(core, s.model, s.x0, STEPS, false);
    expect(t.x).toEqual([Q(0.5), Q(-0.25), Q(1), 0]);
    expect(t.counts[Result.FIXED]).toBeGreaterThan(STEPS - 40);
    expect(t.counts[Result.MOVED]).toBeLessThan(40);
  });

  it('the outward drift pops out of the inner shell, then ends in EXTERIOR and keeps its state', () => {
    const s = SCENARIOS[2];
    const t = runScenario(core, s.model, s.x0, STEPS, false);
    expect(t.level).toBe(0);
    expect(t.counts[Result.BOUNDARY]).toBeGreaterThan(STEPS / 2);
    const e = core.createEngine(s.model);
    e.reset(s.x0);
    let code = 0;
    while ((code = e.step()) !== Result.BOUNDARY);
    expect(e.record.reason).toBe(core.Reason.EXTERIOR);
    const x = Array.from(e.x);
    expect(e.step()).toBe(Result.BOUNDARY);
    expect(Array.from(e.x)).toEqual(x);
  });
});
