/**
 * The demonstration's kernel: rotate (x, y) by a fixed binary angle `steps`
 * times with the core's sin/cos and Q multiply, digesting every state. It
 * uses only its `core` argument, so the same source runs in Node and, sent
 * as text, in XS (where `core` is the bundle's global `M`).
 */
export interface DemoResult {
  x: number;
  y: number;
  digest: number;
  saturated: number;
  samples: number[][];
}

export function rotateKernel(core: any, f: number, steps: number): DemoResult {
  const q = core.createQ(f);
  const angle = 1 << 17; // 1/128 of a turn (a turn is 2^24)
  const c = core.cos(q, angle);
  const s = core.sin(q, angle);
  const state = new Int32Array(2);
  state[0] = q.one; // start at (1, 0)
  state[1] = 0;
  let crc = core.CRC32_INIT;
  const samples: number[][] = [];
  const every = steps >= 8 ? (steps / 8) | 0 : 1;
  for (let i = 1; i <= steps; i++) {
    const x = state[0];
    const y = state[1];
    state[0] = core.sub(q, core.mul(q, c, x), core.mul(q, s, y));
    state[1] = core.add(q, core.mul(q, s, x), core.mul(q, c, y));
    crc = core.crc32Words(crc, state, 2);
    if (i % every === 0 || i === steps) samples.push([i, state[0], state[1]]);
  }
  return { x: state[0], y: state[1], digest: core.crc32Final(crc) >>> 0, saturated: q.flags & core.Flag.SATURATED, samples };
}
