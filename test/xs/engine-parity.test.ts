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

/** The gyroid stack again, with higher-order terms at every level (look-ahead, record Jacobians). */
const withOrders = {
  ...SCENARIOS[0],
  name: 'gyroid with orders 1, 2, 3',
  model: { ...SCENARIOS[0].model, levels: SCENARIOS[0].model.levels.map((lv, l) => ({ ...lv, order: l + 1 })) },
};

describe('engine: Node vs XS', () => {
  it(`${withOrders.name}: identical per-step digests over 2000 steps, zero heap growth`, async () => {
    const node = runScenario(core, withOrders.model, withOrders.x0, 2000, true);
    const { reply } = await xs.call<ScenarioTrace>({ model: withOrders.model, x0: withOrders.x0, steps: 2000, record: true });
    expect(node.digests.findIndex((d, i) => d !== reply.digests[i])).toBe(-1);
    expect(reply.counts).toEqual(node.counts);
    const heap = async (steps: number) => {
      await xs.gc();
      return (await xs.call({ model: withOrders.model, x0: withOrders.x0, steps, record: false })).meter.heapCount;
    };
    await heap(100);
    expect(await heap(2000)).toBe(await heap(100));
  });

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
