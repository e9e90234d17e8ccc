/**
 * The device-cost instrument: the ARM xsnap under qemu-arm with the
 * instruction-counting plugin (tools/devcost/). Needs the Debian packages of
 * tools/devcost/install-deps.sh; builds the instrument into .cache/ on first use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDevcost, PLUGIN_API_VERSION } from '../../tools/devcost/build.js';
import { countInstructions, runInstrumented } from '../../tools/devcost/count.js';

/** A program whose only variable part is a loop of `n` iterations. */
const loop = (n: number) => `
function work(n) {
  let s = 0;
  // Stays int32 (no overflow into a double), so every iteration costs the same.
  for (let i = 0; i < n; i++) s = (s + (i & 255) * 3) | 0;
  return s;
}
print('done', work(${n}) & 0); // the same output whatever n
`;

describe('device-cost instrument', () => {
  beforeAll(async () => {
    await ensureDevcost(() => {});
  }, 600_000);

  it('builds a plugin for QEMU plugin API v1', async () => {
    const d = await ensureDevcost();
    expect(PLUGIN_API_VERSION).toBe(1);
    expect(d.info.pluginApi).toBe(1);
    expect(d.xsnap).toMatch(/\.cache\/devcost\//);
  });

  it('runs a script in ARM XS and reports a count', async () => {
    const r = await runInstrumented('print(6 * 7)');
    expect(r.stdout).toBe('42\n');
    // XS start-up alone executes millions of instructions.
    expect(r.instructions).toBeGreaterThan(1_000_000);
    expect(Number.isSafeInteger(r.instructions)).toBe(true);
  });

  it('is deterministic: the same script counts the same twice', async () => {
    const script = loop(5000);
    const [a, b] = await Promise.all([countInstructions(script), countInstructions(script)]);
    const c = await countInstructions(script);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('a loop of 2N iterations costs twice N, by difference', async () => {
    const [c0, c1, c2, c3] = await Promise.all([0, 2000, 4000, 6000].map((n) => countInstructions(loop(n))));
    const perN = c1 - c0;
    expect(perN).toBeGreaterThan(2000 * 100); // hundreds of instructions per iteration
    expect(Math.abs((c2 - c0) / perN - 2)).toBeLessThan(0.01);
    // Same work per iteration, so equal steps give equal differences.
    expect(c3 - c2).toBe(c2 - c1);
  });

  it('reports an uncaught exception instead of hanging', async () => {
    await expect(runInstrumented('throw new Error("boom")')).rejects.toThrow(/boom/);
    await expect(runInstrumented('foo(')).rejects.toThrow(/SyntaxError/);
  });
});
