/**
 * The ADMM (SPEC 7) in XS (issue 6, item 6): scenarios of at least 1,000
 * iterations give per-iteration state digests (CRC-32 over x, z, y), status
 * codes and status flags identical to Node's, bit for bit; and running 100
 * or 1,000 iterations leaves the XS heap at the same slot count (no
 * allocation per iteration, termination tests and the operator included).
 *
 * The scenario is one JavaScript source, run as is in Node against src/ and
 * in XS against the bundled core `M`, so the only difference is the engine.
 * The problems are compiled on the host (tools/admm/precompute.ts) and sent
 * as integer tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import { startXs, type XsWorker } from '../../tools/xs/runner.js';
import { compileAdmm, type FloatQp } from '../../tools/admm/precompute.js';
import { randomFeasibleQp, randomInfeasibleQp } from '../admm/reference.js';
import { Rng } from '../helpers/rng.js';

/**
 * Requests:
 * - `{ kind: 'prepare', name, spec, settings, operator }`: builds a problem
 *   and a workspace (or an `admm` operator with `spec` as its parameters).
 * - `{ kind: 'trace', name, n, eps }`: cold start, then n `admmStep`s (n
 *   operator applies); per iteration [digest, status, flags].
 * - `{ kind: 'loop', name, n, eps }`: the same n iterations folded into
 *   one integer, nothing kept (the heap check).
 */
const ADMM_SCENARIO_FACTORY = String.raw`(M) => {
  const keep = {};
  const digest = (ws) => {
    let c = M.crc32Words(M.CRC32_INIT, ws.x, ws.prob.n);
    c = M.crc32Words(c, ws.z, ws.prob.m);
    c = M.crc32Words(c, ws.y, ws.prob.m);
    return M.crc32Final(c);
  };
  const prepare = (r) => {
    const q = M.createQ(r.f);
    if (r.operator) {
      const op = M.createAdmmOperator(q, r.spec.P.length, r.spec, 'operators[0]');
      const n = op.ws.prob.n;
      keep[r.name] = { q, ws: op.ws, op, x: new Int32Array(n), ctx: { q, n, level: 0, activeCount: 0, chi: 0, step: 0 } };
    } else {
      keep[r.name] = { q, ws: M.createAdmmWorkspace(q, M.createAdmmProblem(q, r.spec), r.settings) };
    }
    return 0;
  };
  // One iteration: admmStep on the workspace, or one apply of the operator (x fed back).
  const once = (k, eps) => {
    if (k.op) {
      k.op.apply(k.x, k.x, k.ctx);
      return k.op.status;
    }
    return M.admmStep(k.ws, eps);
  };
  const start = (k) => {
    M.admmReset(k.ws);
    if (k.op) k.x.fill(0);
    k.q.flags = 0;
  };
  const trace = (r) => {
    const k = keep[r.name];
    start(k);
    const out = [];
    for (let i = 0; i < r.n; i++) {
      const s = once(k, r.eps);
      out.push(digest(k.ws), s, k.q.flags);
    }
    return out;
  };
  const loop = (r) => {
    const k = keep[r.name];
    start(k);
    let acc = 0;
    for (let i = 0; i < r.n; i++) acc = acc ^ once(k, r.eps) ^ digest(k.ws);
    return acc ^ k.q.flags;
  };
  return (r) => (r.kind === 'prepare' ? prepare(r) : r.kind === 'trace' ? trace(r) : loop(r));
}`;

const SCENARIO = `globalThis.scenario = (${ADMM_SCENARIO_FACTORY})(M);`;

function nodeScenario(): (r: unknown) => unknown {
  const factory = new Function(`return ${ADMM_SCENARIO_FACTORY};`)() as (m: unknown) => (r: unknown) => unknown;
  return factory(core);
}

const SETTINGS = { rho: 0.5, sigma: 2 ** -8, alpha: 1.6 };
const ITERATIONS = 1200;

interface Case {
  name: string;
  spec: unknown;
  eps: number;
  settings?: unknown;
  operator?: boolean;
  /** What the trace must show, so the scenario exercises what it claims. */
  expect: (statuses: number[], flags: number) => void;
}

function cases(): Case[] {
  const rng = new Rng(0x5ca1e);
  const feasible = randomFeasibleQp(rng, 12, 24);
  const infeasible = randomInfeasibleQp(rng, 8, 16);
  const period4: FloatQp = { P: [[1]], q: [-3], C: [[1]], l: [-1], u: [1] };
  // Wide integer data: saturation on most iterations (the flags must agree too).
  const wide = compileAdmm(16, randomFeasibleQp(rng, 4, 6), SETTINGS);
  wide.K = wide.K.map((row) => row.map((v, j) => (j === 0 ? 0x7fffff00 : v)));
  wide.kShift = 16;
  return [
    {
      name: 'feasible n=12 m=24, no residual test (runs all iterations)',
      spec: compileAdmm(16, feasible, SETTINGS),
      eps: -1,
      expect: (s) => expect(s.filter((v) => v === core.AdmmStatus.RUNNING).length).toBeGreaterThan(100),
    },
    {
      name: 'infeasible n=8 m=16 (certificate on every iteration)',
      spec: compileAdmm(16, infeasible, SETTINGS),
      eps: 2,
      expect: (s) => expect(s).toContain(core.AdmmStatus.INFEASIBLE),
    },
    {
      name: 'period-4 cycle (hash ring)',
      spec: compileAdmm(16, period4, { rho: 1, sigma: 2 ** -8, alpha: 1.6 }),
      eps: -1,
      expect: (s) => expect(s).toContain(core.AdmmStatus.CYCLE),
    },
    {
      name: 'saturating',
      spec: wide,
      eps: -1,
      expect: (_s, flags) => expect(flags & core.Flag.SATURATED).toBe(core.Flag.SATURATED),
    },
    {
      name: 'operator, 3 iterations per apply, residual test on',
      spec: { ...compileAdmm(16, feasible, SETTINGS), iterations: 3, eps: 2 },
      eps: 2,
      operator: true,
      expect: (s) => expect(s).toContain(core.AdmmStatus.SOLVED),
    },
  ];
}

describe('ADMM: Node and XS agree bit for bit, without heap growth', () => {
  let xs: XsWorker;
  const node = nodeScenario();
  const all = cases();
  beforeAll(async () => {
    xs = await startXs(SCENARIO);
    for (const c of all) {
      const req = { kind: 'prepare', name: c.name, f: 16, spec: c.spec, settings: c.settings ?? {}, operator: c.operator ?? false };
      node(req);
      await xs.call(req);
    }
  });
  afterAll(async () => {
    await xs?.close();
  });

  for (const c of all) {
    it(`${c.name}: ${ITERATIONS} iterations, identical per-iteration digests`, async () => {
      const req = { kind: 'trace', name: c.name, n: ITERATIONS, eps: c.eps };
      const want = node(req) as number[];
      const { reply } = await xs.call<number[]>(req);
      expect(reply.length).toBe(3 * ITERATIONS);
      for (let i = 0; i < want.length; i++) {
        if (!Object.is(reply[i], want[i])) {
          const field = ['digest', 'status', 'flags'][i % 3];
          throw new Error(`${c.name}: first difference at iteration ${Math.floor(i / 3)}, ${field}: node ${want[i]}, xs ${reply[i]}`);
        }
      }
      const statuses = want.filter((_, i) => i % 3 === 1);
      c.expect(statuses, want[want.length - 1]);
      // The state keeps changing in the long runs (not a trivial trace).
      expect(new Set(want.filter((_, i) => i % 3 === 0)).size).toBeGreaterThan(3);
    });

    it(`${c.name}: 100 and 1,000 iterations leave the same XS heap`, async () => {
      await xs.gc();
      const small = await xs.call<number>({ kind: 'loop', name: c.name, n: 100, eps: c.eps });
      await xs.gc();
      const large = await xs.call<number>({ kind: 'loop', name: c.name, n: 1000, eps: c.eps });
      expect(large.meter.heapCount).toBe(small.meter.heapCount);
      expect(small.reply).toBe(node({ kind: 'loop', name: c.name, n: 100, eps: c.eps }));
      expect(large.reply).toBe(node({ kind: 'loop', name: c.name, n: 1000, eps: c.eps }));
    });
  }
});
