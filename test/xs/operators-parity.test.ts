/**
 * Node vs XS for the operators (SPEC 6) and gates (SPEC 8): at least
 * CASES random inputs per operator and gate give the same integers in both
 * engines (outputs and status word), and calling each 100 or 10,000 times
 * leaves the XS heap at the same slot count (no allocation per call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XsWorker } from '../../tools/xs/runner.js';
import { startXs } from '../../tools/xs/runner.js';
import { randomPolytope } from '../geometry/gen.js';
import { Rng } from '../helpers/rng.js';
import { nodeScenario, OPS_SCENARIO } from './operators-scenario.js';

const CASES = 10_000;
const PER = 500;

type Request = Record<string, unknown>;

/** `total` cases in requests of `PER`, each made by `make(count)`. */
function split(total: number, make: (count: number) => Request): Request[] {
  const out: Request[] = [];
  for (let done = 0; done < total; done += PER) out.push(make(Math.min(PER, total - done)));
  return out;
}

const square = (rng: Rng, n: number, lo: number, hi: number) => Array.from({ length: n }, () => Array.from({ length: n }, () => rng.range(lo, hi)));
const vec = (rng: Rng, n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.range(lo, hi));
const wide = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.wide());

/** A random polytope (as plain arrays) and a random active set per case, points near it. */
function traversalRequest(rng: Rng, count: number): Request {
  const f = rng.range(10, 24);
  const one = 2 ** f;
  const n = rng.range(1, 7);
  const m = rng.range(1, 10);
  const R = randomPolytope(rng, n, m, f);
  const params: Request = { gain: rng.range(-2 * one, 2 * one) };
  if (rng.range(0, 1)) params.phases = Array.from({ length: rng.range(0, m) }, () => rng.int32());
  if (rng.range(0, 1)) params.phase = rng.int32();
  return {
    kind: 'op',
    op: 'traversal',
    f,
    n,
    params,
    poly: { m, A: Array.from(R.A), b: Array.from(R.b) },
    cases: Array.from({ length: count }, () => {
      const K = rng.range(0, Math.min(m, 6));
      const active: number[] = [];
      while (active.length < K) {
        const k = rng.range(0, m - 1);
        if (active.indexOf(k) < 0) active.push(k);
      }
      if (rng.range(0, 19) === 0) active.push(rng.range(-2, m + 2)); // a bad id, skipped
      return { x: R.center.map((v) => v + rng.range(-one, one)), chi: rng.range(0, one), active };
    }),
  };
}

const GENS: Record<string, (rng: Rng) => Request[]> = {
  linear: (rng) =>
    split(CASES, (k) => {
      const f = rng.range(8, 24);
      const n = rng.range(1, 8);
      return { kind: 'op', op: 'linear', f, n, params: { M: square(rng, n, -(2 << f), 2 << f), c: wide(rng, n) }, poly: null, cases: Array.from({ length: k }, () => ({ x: wide(rng, n), chi: 0 })) };
    }),
  drift: (rng) =>
    split(CASES, (k) => {
      const f = rng.range(8, 24);
      const n = rng.range(1, 8);
      const params = { P: square(rng, n, -(4 << f), 4 << f), q: wide(rng, n), eta: rng.range(-(1 << f), 1 << f) };
      return { kind: 'op', op: 'drift', f, n, params, poly: null, cases: Array.from({ length: k }, () => ({ x: wide(rng, n), chi: 0 })) };
    }),
  anisotropy: (rng) =>
    split(CASES, (k) => {
      const f = rng.range(8, 24);
      const n = rng.range(1, 8);
      const alpha = Array.from({ length: n }, (_, i) => ((rng.range(-(1 << f), 1 << f) & ~7) | i) | 0);
      const params = { alpha, P: square(rng, n, -(4 << f), 4 << f), q: wide(rng, n) };
      return { kind: 'op', op: 'anisotropy', f, n, params, poly: null, cases: Array.from({ length: k }, () => ({ x: wide(rng, n), chi: 0 })) };
    }),
  gyroid: (rng) =>
    split(CASES, (k) => {
      const f = rng.range(8, 24);
      const one = 2 ** f;
      const n = rng.range(1, 8);
      const params: Request = { gain: rng.range(-2 * one, 2 * one), tangentGain: rng.range(-2 * one, 2 * one) };
      if (rng.range(0, 1)) params.frequency = rng.range(1, 4 * one);
      else params.period = rng.range(one >> 4, 8 * one);
      const cases = Array.from({ length: k }, () => ({ x: rng.range(0, 3) ? vec(rng, n, -16 * one, 16 * one) : wide(rng, n), chi: rng.range(0, one) }));
      return { kind: 'op', op: 'gyroid', f, n, params, poly: null, cases };
    }),
  traversal: (rng) => split(CASES, (k) => traversalRequest(rng, k)),
  phase: (rng) =>
    split(4 * CASES, (k) => ({ kind: 'phase', f: rng.range(8, 24), cases: Array.from({ length: k }, () => [rng.range(0, 1) ? rng.int32() : rng.wide(), rng.range(0, 1) ? rng.int32() : rng.wide()]) })),
  pas: (rng) =>
    split(CASES, (k) => {
      const f = rng.range(8, 24);
      const n = rng.range(0, 4) === 0 ? rng.range(33, 64) : rng.range(1, 12);
      return {
        kind: 'pas',
        f,
        n,
        cases: Array.from({ length: k }, () => {
          const x = wide(rng, n);
          const w = Array.from({ length: n }, () => (rng.range(0, 3) ? rng.range(-(2 << f), 2 << f) : rng.int32()));
          if (rng.range(0, 3) === 0) for (let i = 1; i < n; i++) if (rng.range(0, 1)) [x[i], w[i]] = [x[0], w[0]];
          return { x, w };
        }),
      };
    }),
  chiral: (rng) =>
    split(CASES, (k) => {
      const f = rng.range(8, 24);
      const n = rng.range(1, 8);
      return { kind: 'chiral', f, n, cases: Array.from({ length: k }, () => ({ x: wide(rng, n), w: rng.range(0, 1) ? wide(rng, n) : vec(rng, n, -(1 << f), 1 << f) })) };
    }),
  noncomm: (rng) =>
    split(CASES, (k) => {
      const f = rng.range(10, 20);
      const one = 2 ** f;
      const n = rng.range(2, 5);
      const m = rng.range(1, 6);
      const R = randomPolytope(rng, n, m, f);
      const ops = [
        { op: 'linear', params: { M: square(rng, n, -one, one), c: vec(rng, n, -one, one) } },
        { op: 'drift', params: { P: square(rng, n, -one, one), eta: rng.range(0, one) } },
        { op: 'gyroid', params: { gain: rng.range(0, one), tangentGain: rng.range(-one, one), frequency: rng.range(1, one) } },
        { op: 'traversal', params: { gain: rng.range(0, one) } },
      ].slice(0, rng.range(2, 4));
      return {
        kind: 'noncomm',
        f,
        n,
        ops,
        poly: { m, A: Array.from(R.A), b: Array.from(R.b) },
        cases: Array.from({ length: k }, () => ({ x: R.center.map((v) => v + rng.range(-one, one)), chi: rng.range(0, one), active: rng.range(0, 1) ? [0] : [], tau: rng.range(0, 64) })),
      };
    }),
};

const LOOPS = ['linear', 'drift', 'anisotropy', 'gyroid', 'traversal', 'phase', 'pas', 'chiral', 'noncomm'];

describe('operators and gates: Node and XS agree bit for bit, without heap growth', () => {
  let xs: XsWorker;
  const node = nodeScenario();
  beforeAll(async () => {
    xs = await startXs(OPS_SCENARIO);
  });
  afterAll(async () => {
    await xs?.close();
  });

  for (const [kind, gen] of Object.entries(GENS)) {
    it(`${kind}: >= ${CASES} random inputs give identical integers`, async () => {
      const rng = new Rng(0x0be7 ^ (kind.length * 0x01000193) ^ (kind.charCodeAt(0) << 8));
      const requests = gen(rng);
      let cases = 0;
      for (const [r, request] of requests.entries()) {
        cases += (request.cases as unknown[]).length;
        const want = node(request) as number[];
        const { reply } = await xs.call<number[]>(request);
        expect(reply.length, `${kind} request ${r}: output length`).toBe(want.length);
        for (let i = 0; i < want.length; i++) {
          if (!Object.is(reply[i], want[i])) throw new Error(`${kind} request ${r}: first difference at output ${i}: node ${want[i]}, xs ${reply[i]}`);
        }
      }
      expect(cases).toBeGreaterThanOrEqual(CASES);
    });
  }

  for (const op of LOOPS) {
    it(`${op}: 100 and 10,000 calls leave the same XS heap, and the digests match Node`, async () => {
      await xs.call({ kind: 'prepare' });
      node({ kind: 'prepare' });
      await xs.gc();
      const small = await xs.call<number>({ kind: 'loop', op, n: 100 });
      await xs.gc();
      const large = await xs.call<number>({ kind: 'loop', op, n: 10_000 });
      expect(large.meter.heapCount).toBe(small.meter.heapCount);
      expect(small.reply).toBe(node({ kind: 'loop', op, n: 100 }));
      expect(large.reply).toBe(node({ kind: 'loop', op, n: 10_000 }));
    });
  }
});
