/**
 * Tier 2 of SPEC 15 for the engine: the three larger scenarios run 10^4
 * steps in Node and in XS with identical per-step state digests, and the
 * XS heap does not grow with the number of steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import { startXs, type XsWorker } from '../../tools/xs/runner.js';
import { runScenario, SCENARIOS, type ScenarioTrace } from '../engine/scenarios.js';

const STEPS = 10_000;
let xs: XsWorker;

beforeAll(async () => {
  xs = await startXs(`globalThis.scenario = (r) => (${runScenario.toString()})(M, r.model, r.x0, r.steps, r.record);`);
});
afterAll(async () => {
  await xs?.close();
});

describe('engine: Node vs XS', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: identical per-step digests over ${STEPS} steps`, async () => {
      const node = runScenario(core, s.model, s.x0, STEPS, true);
      const { reply } = await xs.call<ScenarioTrace>({ model: s.model, x0: s.x0, steps: STEPS, record: true });
      const first = node.digests.findIndex((d, i) => d !== reply.digests[i]);
      expect(first, `first diverging step: ${first}`).toBe(-1);
      expect(reply.counts).toEqual(node.counts);
      expect(reply.x).toEqual(node.x);
    });

    it(`${s.name}: zero heap growth over ${STEPS} steps`, async () => {
      const heap = async (steps: number) => {
        await xs.gc();
        return (await xs.call({ model: s.model, x0: s.x0, steps, record: false })).meter.heapCount;
      };
      // Engine creation is a constant; the steps must add nothing. The first
      // call after a large reply is a warm-up (XS keeps some of its buffers).
      await heap(100);
      const short = await heap(100);
      const long = await heap(STEPS);
      expect(long).toBe(short);
    });
  }
});
