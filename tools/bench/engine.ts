/**
 * Bench cases for the engine step (SPEC 8), in the format of
 * tools/bench/cases.ts: one unit = one `step()` of each of the three larger
 * scenarios of test/engine/scenarios.ts, continuing from the previous step
 * (each run resets to x0 first, so the difference of the N and 2N runs is
 * the cost of steps 64N+1 .. 128N).
 *
 * floorMacs: the multiply-accumulates of the step's matrix work at minimum —
 * three classifications (x, F(x), Q_P(F(x))) of m x n each plus n x n per
 * linear-algebra operator — so the ratio says how far a whole step is from
 * bare multiply-accumulates over the same data.
 */
import type { ModelSpec } from '../../src/engine/model.js';
import { SCENARIOS } from '../../test/engine/scenarios.js';
import type { BenchCase } from './cases.js';

function floorMacs(model: ModelSpec): number {
  const n = model.n;
  const m = model.families[0].levels[0].A.length;
  return 3 * m * n + model.operators.length * n * n;
}

export const ENGINE_CASES: readonly BenchCase[] = SCENARIOS.map((s) => ({
  name: `engine step: ${s.name}`,
  group: 'engine' as const,
  needs: ['createEngine'],
  setup: `const e = M.createEngine(${JSON.stringify(s.model)}); const x0 = ${JSON.stringify(s.x0)}; const q = e.q;`,
  // Each run starts from x0 (once per run: it cancels out in the difference).
  body: 'if ((r | i) === 0) e.reset(x0); s ^= e.step();',
  floorMacs: floorMacs(s.model),
  reps: 2,
}));
