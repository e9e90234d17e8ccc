/**
 * The three larger scenarios of the engine (issue 5): a gyroid in a box
 * stack, a linear contraction to an interior fixed point, and an outward
 * drift that ends in EXTERIOR. Plain data, so the same model runs in Node
 * and, as JSON, in XS; `runScenario` uses only its `core` argument for the
 * same reason (it is sent to XS as source text).
 */
import type { ModelSpec } from '../../src/engine/model.js';
import { box, boxModel, ONE, Q, quietCaq, scale } from './fixtures.js';

export interface Scenario {
  name: string;
  model: ModelSpec;
  x0: number[];
}

const gyroidModel: ModelSpec = {
  ...boxModel([[4, 4, 4], [2, 2, 2], [1, 1, 1]], [
    { kind: 'gyroid', gain: Q(0.5), tangentGain: Q(0.05), frequency: Q(0.25) },
    scale(3, 0.97),
  ]),
  families: [{ index: 0, levels: [box([4, 4, 4]), box([2, 2, 2]), box([1, 1, 1])] }],
  gates: { omega: [Q(0.01), Q(0.01), Q(0.01)], theta: 0, epsPas: ONE, chi: [ONE, ONE, ONE] },
  caq: { ...quietCaq(256), stableVar: [0x7fffffff, 0x7fffffff, 0x7fffffff] },
  kMax: 3,
  tPromote: 50,
  tComm: 100,
  history: 8,
};

export const SCENARIOS: Scenario[] = [
  { name: 'gyroid in a box stack', model: gyroidModel, x0: [Q(0.5), Q(1), Q(-0.25)] },
  {
    name: 'linear contraction to an interior fixed point',
    model: boxModel([[2, 2, 2, 2]], [scale(4, 0.5, [0.25, -0.125, 0.5, 0])]),
    x0: [Q(1.5), Q(-1.5), Q(0.1), Q(1.9)],
  },
  {
    name: 'outward drift ending in EXTERIOR',
    model: boxModel([[8, 8], [4, 4]], [
      { kind: 'drift', P: [[Q(-0.01), 0], [0, Q(-0.02)]], q: [Q(-0.001), 0], eta: ONE },
    ], { tPromote: 10 }),
    x0: [Q(0.5), Q(0.25)],
  },
];

export interface ScenarioTrace {
  /** Per-step digest of the state (CRC-32 of x, alpha, level, u). */
  digests: number[];
  /** Count of each result code (index = code & 0xff). */
  counts: number[];
  /** Final state. */
  x: number[];
  level: number;
}

/** Runs `steps` steps; with `record` false only the final state is kept (the heap check). */
export function runScenario(core: any, model: ModelSpec, x0: number[], steps: number, record: boolean): ScenarioTrace {
  const e = core.createEngine(model);
  e.reset(x0);
  const digests = record ? new Int32Array(steps) : null;
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < steps; i++) {
    const code = e.step();
    counts[code & 0xff]++;
    if (digests !== null) digests[i] = e.digest();
  }
  return { digests: digests ? Array.from(digests) : [], counts, x: Array.from(e.x), level: e.level };
}
