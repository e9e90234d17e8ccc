/**
 * The Node-vs-XS scenario for the higher-order terms (SPEC 11): one
 * JavaScript source run as-is in both engines against the core `M` (in XS
 * the bundle's global, in Node the src modules).
 *
 * Setup (once per engine): n = 8, K = 3 directions, order 3, Q16.16; F is a
 * gyroid-like flow plus a cubic term, built from core ops and created once.
 * Requests:
 * - `{ kind: 'digests', from, count }`: calls `from .. from + count - 1`,
 *   each = finiteDifferences at a point that depends on the call index, then
 *   jacobianOnDirections and one look-ahead; returns one CRC-32 per call over
 *   the packed differences, the boundary terms and the results.
 * - `{ kind: 'loop', n }`: n calls, nothing kept; returns an int digest.
 */
import * as core from '../../src/index.js';

export const TENSOR_SCENARIO_FACTORY = String.raw`(M) => {
  const n = 8, K = 3, ORDER = 3;
  const q = M.createQ(16);
  const one = q.one;
  const work = M.createTensorWork(n, K, ORDER);
  // F(x)_i = x_i + eps sin(x_i) cos(x_{i+1}) (binary angles from the low bits) + x_i^3 / 64: made once.
  const eps = one >> 3;
  const F = (out, x) => {
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      const g = M.mul(q, M.sin(q, xi << 6), M.cos(q, x[(i + 1) & 7] << 6));
      const cube = M.mul(q, M.mul(q, xi, xi), xi);
      out[i] = M.add(q, M.add(q, xi, M.mul(q, eps, g)), cube >> 6);
    }
  };
  const dirs = new Int32Array(K * n);
  for (let k = 0; k < K; k++) for (let j = 0; j < n; j++) dirs[k * n + j] = ((j * 7 + k * 3) % 5 - 2) * (one >> 2);
  const step = Int32Array.of(256, 512, 384);
  const x = new Int32Array(n);
  const points = M.stencilPoints(work, K, ORDER);

  const call = (c) => {
    for (let j = 0; j < n; j++) x[j] = (((c * 7919 + j * 104729) & 0x1ffff) - 0x10000) << 1;
    q.flags = 0;
    const status = M.finiteDifferences(q, work, F, x, dirs, null, K, step, ORDER);
    const jac = M.jacobianOnDirections(q, work, dirs, null);
    const look = M.taylorLookahead(q, work, dirs, (c % K) * n, one, x, c % K, one >> 6, 16);
    let crc = M.crc32Words(M.CRC32_INIT, work.values, points * n);
    crc = M.crc32Words(crc, work.jacobian, K * n);
    crc = M.crc32Words(crc, work.curvature, K);
    work.steps[0] = status; // scratch for the small results (steps are rewritten by every call)
    work.steps[1] = jac;
    work.steps[2] = look;
    crc = M.crc32Words(crc, work.steps, 3);
    work.steps[0] = q.flags;
    work.steps[1] = work.predictedSlack;
    work.steps[2] = work.predictedOffset;
    crc = M.crc32Words(crc, work.steps, 3);
    return M.crc32Final(crc);
  };

  return (r) => {
    if (r.kind === 'digests') {
      const out = [];
      for (let c = r.from; c < r.from + r.count; c++) out.push(call(c));
      return out;
    }
    // kind 'loop'
    let acc = 0;
    for (let c = 0; c < r.n; c++) acc ^= call(c);
    return acc;
  };
}`;

/** Installs the scenario in XS (the core is the global `M`). */
export const TENSOR_SCENARIO = `globalThis.scenario = (${TENSOR_SCENARIO_FACTORY})(M);`;

/** The same scenario in Node, against src/. */
export function nodeTensorScenario(): (request: unknown) => unknown {
  const factory = new Function(`return ${TENSOR_SCENARIO_FACTORY};`)() as (m: unknown) => (r: unknown) => unknown;
  return factory(core);
}
