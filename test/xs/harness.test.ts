import { describe, expect, it } from 'vitest';
import { startXs } from '../../tools/xs/runner.js';

describe('XS harness', () => {
  it('loads the core bundle and runs a scenario with metering', async () => {
    const xs = await startXs(`globalThis.scenario = (r) => ({ max: M.INT32_MAX, f: M.createQ(r.f).one });`);
    try {
      const { reply, meter } = await xs.call<{ max: number; f: number }>({ f: 12 });
      expect(reply).toEqual({ max: 0x7fffffff, f: 4096 });
      expect(meter.compute).toBeGreaterThan(0);
      expect(meter.heapCount).toBeGreaterThan(0);
    } finally {
      await xs.close();
    }
  });
});
