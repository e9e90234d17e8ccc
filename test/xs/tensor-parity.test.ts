/**
 * Node vs XS for the higher-order terms (SPEC 11, SPEC 15 tier 2): 1000
 * calls of finiteDifferences (n = 8, K = 3, order 3) with the boundary
 * terms and a look-ahead give the same per-call CRC-32 digests in both
 * engines, and 100 or 1000 calls leave the XS heap at the same slot count
 * (no allocation per call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XsWorker } from '../../tools/xs/runner.js';
import { startXs } from '../../tools/xs/runner.js';
import { nodeTensorScenario, TENSOR_SCENARIO } from './tensor-scenario.js';

describe('tensor terms: Node and XS agree bit for bit, without heap growth', () => {
  let xs: XsWorker;
  const node = nodeTensorScenario();
  beforeAll(async () => {
    xs = await startXs(TENSOR_SCENARIO);
  });
  afterAll(async () => {
    await xs?.close();
  });

  it('1000 calls: identical per-call CRC-32 digests', async () => {
    const per = 250;
    const all: number[] = [];
    for (let from = 0; from < 1000; from += per) {
      const want = node({ kind: 'digests', from, count: per }) as number[];
      const { reply } = await xs.call<number[]>({ kind: 'digests', from, count: per });
      expect(reply.length).toBe(per);
      for (let i = 0; i < per; i++) {
        if (reply[i] !== want[i]) throw new Error(`call ${from + i}: node digest ${want[i]}, xs ${reply[i]}`);
      }
      all.push(...want);
    }
    // The digests differ from call to call (the scenario is not degenerate).
    expect(new Set(all).size).toBeGreaterThan(990);
  });

  it('100 and 1000 calls leave the same XS heap, and the loop digests match Node', async () => {
    await xs.gc();
    const small = await xs.call<number>({ kind: 'loop', n: 100 });
    await xs.gc();
    const large = await xs.call<number>({ kind: 'loop', n: 1000 });
    expect(large.meter.heapCount).toBe(small.meter.heapCount);
    expect(small.reply).toBe(node({ kind: 'loop', n: 100 }));
    expect(large.reply).toBe(node({ kind: 'loop', n: 1000 }));
  });
});
