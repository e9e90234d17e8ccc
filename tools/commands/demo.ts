/**
 * `matrioshka demo`: the stand-in main job until `sim` exists. Rotates a
 * point in fixed point in Node and in the XS engine and shows that both
 * computed the same bits.
 */
import * as core from '../../src/index.js';
import type { Parsed } from '../args.js';
import { startXs } from '../xs/runner.js';
import { rotateKernel, type DemoResult } from './demo-kernel.js';

export async function run(parsed: Parsed): Promise<number> {
  const steps = parsed.options.steps as number;
  const f = parsed.options.f as number;
  const engine = parsed.options.engine as string;
  const results: Record<string, DemoResult> = {};

  if (engine !== 'xs') results.node = timed('node', () => rotateKernel(core, f, steps));
  if (engine !== 'node') {
    const xs = await startXs(`globalThis.scenario = (r) => (${rotateKernel.toString()})(M, r.f, r.steps);`);
    try {
      const t0 = performance.now();
      const { reply } = await xs.call<DemoResult>({ f, steps });
      console.log(`xs: ${steps} steps in ${(performance.now() - t0).toFixed(0)} ms`);
      results.xs = reply;
    } finally {
      await xs.close();
    }
  }

  const first = Object.values(results)[0];
  const scale = 2 ** f;
  console.log(`\nQ${31 - f}.${f} rotation by 1/128 turn per step, from (1, 0):`);
  console.log('     step            x            y       radius');
  for (const [i, x, y] of first.samples) {
    const r = Math.hypot(x / scale, y / scale); // host-side display only
    console.log(`${String(i).padStart(9)} ${(x / scale).toFixed(6).padStart(12)} ${(y / scale).toFixed(6).padStart(12)} ${r.toFixed(6).padStart(12)}`);
  }
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(4)} digest ${r.digest.toString(16).padStart(8, '0')}${r.saturated ? ' (saturated)' : ''}`);
  }
  if (results.node && results.xs) {
    const same = results.node.digest === results.xs.digest && results.node.x === results.xs.x && results.node.y === results.xs.y;
    console.log(same ? 'node and xs computed identical bits' : 'MISMATCH between node and xs');
    return same ? 0 : 1;
  }
  return 0;
}

function timed<T>(name: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${name}: done in ${(performance.now() - t0).toFixed(0)} ms`);
  return out;
}
