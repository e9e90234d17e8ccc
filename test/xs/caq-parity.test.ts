/**
 * Node vs XS for windows (SPEC 4) and CAQ (SPEC 5): at least XS_PARITY_CASES
 * random cases per function give the same integers in both engines (results,
 * flags and the state after), and calling each function 100 or 10,000 times
 * leaves the XS heap at the same slot count (no allocation per call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XsWorker } from '../../tools/xs/runner.js';
import { startXs } from '../../tools/xs/runner.js';
import { randomWindowCase } from '../geometry/window-gen.js';
import { Rng } from '../helpers/rng.js';
import { params } from '../caq/fixtures.js';
import { CAQ_SCENARIO, nodeScenario } from './caq-scenario.js';

const CASES = 10_000;
const MAX = 0x7fffffff;

type Gen = (rng: Rng) => { requests: Record<string, unknown>[]; cases: number };

const bits = (rng: Rng, len: number, oneIn: number) => Array.from({ length: len }, () => (rng.range(0, oneIn - 1) === 0 ? 1 : 0));
const wides = (rng: Rng, len: number) => Array.from({ length: len }, () => rng.wide());

/** Splits `total` cases into requests of `per`, each built by `make(count)`. */
function split(total: number, per: number, make: (count: number) => Record<string, unknown>): { requests: Record<string, unknown>[]; cases: number } {
  const requests: Record<string, unknown>[] = [];
  for (let done = 0; done < total; done += per) requests.push(make(Math.min(per, total - done)));
  return { requests, cases: total };
}

const GENS: Record<string, Gen> = {
  window: (rng) =>
    split(2 * CASES, 1000, (k) => ({ kind: 'window', cases: Array.from({ length: k }, () => randomWindowCase(rng)) })),

  stats: (rng) =>
    split(CASES, 500, (k) => {
      const f = rng.range(8, 24);
      const m = rng.range(1, 8);
      const p = params(m, 1, { f, rateShift: rng.range(1, Math.min(15, 31 - f)) });
      return {
        kind: 'stats',
        m,
        params: p,
        cases: Array.from({ length: k }, () => ({
          primed: rng.range(0, 9) === 0 ? 0 : 1,
          mean: Array.from({ length: m }, () => (rng.range(0, 1) ? rng.wide() : rng.range(-(1 << 29), 1 << 29))),
          variance: Array.from({ length: m }, () => (rng.range(0, 2) ? rng.range(0, 1 << 22) : rng.wide() & MAX)),
          z: Array.from({ length: m }, () => (rng.range(0, 1) ? rng.wide() : rng.range(-(1 << 29), 1 << 29))),
          near: Array.from({ length: m }, () => (rng.range(0, 2) === 0 ? rng.range(-47000, 47000) : null)),
        })).map((c) => ({ ...c, z: c.z.map((v, i) => (c.near[i] === null ? v : Math.max(-MAX - 1, Math.min(MAX, c.mean[i] + (c.near[i] as number))))) })),
      };
    }),

  bind: (rng) => {
    const paramsFor: Record<number, unknown> = {};
    for (let m = 1; m <= 12; m++) paramsFor[m] = params(m, 1);
    return split(CASES, 1000, (k) => ({
      kind: 'bind',
      paramsFor,
      cases: Array.from({ length: k }, () => {
        const m = rng.range(1, 12);
        const n = rng.range(1, 6);
        const pool = [0, 1, -1, 7, -7, MAX, -MAX, -MAX - 1, rng.wide()];
        return { m, n, A: Array.from({ length: m * n }, () => pool[rng.range(0, pool.length - 1)]) };
      }),
    }));
  },

  facets: (rng) =>
    split(CASES, 1000, (k) => {
      const m = 16;
      const trustVar = rng.range(0, 1 << 20);
      const p = params(m, 1, { trustVar, volatileVar: rng.range(trustVar, MAX), trustPressure: rng.range(0, 1 << 22) });
      return {
        kind: 'facets',
        m,
        params: p,
        cases: Array.from({ length: k }, () => ({
          variance: Array.from({ length: m }, () => (rng.range(0, 1) ? rng.range(0, 1 << 21) : rng.wide() & MAX)),
          fossil: bits(rng, m, 8),
          u: wides(rng, m),
          mask: rng.range(0, 1) ? bits(rng, m, 5) : null,
        })),
      };
    }),

  axes: (rng) =>
    split(CASES, 1000, (k) => {
      const m = 6;
      const n = 10;
      return {
        kind: 'axes',
        m,
        n,
        params: params(m, 1),
        cases: Array.from({ length: k }, () => ({
          axisFacet: Array.from({ length: n }, () => rng.range(-1, m - 1)),
          facetClass: Array.from({ length: m }, () => rng.range(0, 3)),
          mask: rng.range(0, 1) ? bits(rng, n, 3) : null,
        })),
      };
    }),

  steps: (rng) =>
    split(CASES, 1000, (k) => {
      const m = 5;
      const n = 8;
      const levels = rng.range(1, 6);
      const p = params(m, levels, {
        deltaMin: rng.range(1, 100),
        deltaMid: rng.range(100, 10_000),
        deltaMax: rng.range(10_000, MAX),
        scheduleShift: rng.range(0, 9),
        stableVar: Array.from({ length: levels }, () => rng.range(0, 1 << 20)),
      });
      return {
        kind: 'steps',
        m,
        n,
        levels,
        params: p,
        cases: Array.from({ length: k }, () => ({
          axisFacet: Array.from({ length: n }, () => rng.range(-1, m - 1)),
          axisClass: Array.from({ length: n }, () => rng.range(0, 3)),
          variance: Array.from({ length: m }, () => rng.range(0, 1 << 20)),
          level: rng.range(0, 9) === 0 ? rng.range(-3, levels + 3) : rng.range(0, levels - 1),
        })),
      };
    }),

  schedule: (rng) =>
    split(CASES, 5000, (k) => ({
      kind: 'schedule',
      cases: Array.from({ length: k }, () => {
        const s = rng.range(0, 31);
        return [rng.range(1, MAX), s, rng.range(0, s === 0 ? 31 : Math.min(31, Math.ceil(34 / s)))];
      }),
    })),

  fossil: (rng) =>
    split(CASES, 1000, (k) => {
      const m = 6;
      const T = rng.range(1, 6);
      let step = rng.int32();
      return {
        kind: 'fossil',
        m,
        ringCapacity: rng.range(1, 5),
        params: params(m, 1, { fossilSteps: T, fossilVar: 1000, fossilPressure: rng.range(0, 100) }),
        cases: Array.from({ length: k }, () => ({
          variance: Array.from({ length: m }, () => rng.range(0, 1100)),
          fossil: bits(rng, m, 6),
          count: Array.from({ length: m }, () => rng.range(0, T - 1)),
          u: Array.from({ length: m }, () => (rng.range(0, 1) ? rng.range(-150, 150) : rng.wide())),
          step: (step = (step + 1) | 0),
          useRing: rng.range(0, 7) !== 0,
          take: rng.range(0, 2) === 0,
        })),
      };
    }),

  garden: (rng) =>
    split(CASES, 1000, (k) => {
      const m = 6;
      const lo: number[] = [];
      const hi: number[] = [];
      for (let i = 0; i < m; i++) {
        const a = rng.wide();
        const c = rng.wide();
        lo.push(Math.min(a, c));
        hi.push(Math.max(a, c));
      }
      const period = rng.range(1, 4);
      return {
        kind: 'garden',
        m,
        params: params(m, 1, { gardenPeriod: period, gardenGain: rng.wide(), gardenShift: rng.range(0, 31), bMin: lo, bMax: hi }),
        cases: Array.from({ length: k }, () => ({
          fossil: bits(rng, m, 4),
          countdown: rng.range(1, period),
          b: wides(rng, m),
          u: wides(rng, m),
          apply: rng.range(0, 1) === 0,
        })),
      };
    }),

  step: (rng) =>
    split(CASES, 1000, (k) => {
      // A fresh state per request: a run of k steps with slowly varying inputs.
      const m = rng.range(1, 12);
      const n = rng.range(1, 8);
      const levels = rng.range(1, 4);
      const p = params(m, levels, {
        rateShift: rng.range(1, 6),
        varInit: rng.range(0, 1 << 20),
        fossilSteps: rng.range(1, 20),
        fossilVar: rng.range(0, 1 << 16),
        fossilPressure: rng.range(0, 1 << 16),
        gardenPeriod: rng.range(1, 5),
      });
      const A = Array.from({ length: m * n }, () => rng.range(-(1 << 17), 1 << 17));
      const base = Array.from({ length: m }, () => rng.range(-(1 << 20), 1 << 20));
      const spread = Array.from({ length: m }, () => (rng.range(0, 2) === 0 ? 0 : rng.range(0, 1 << rng.range(0, 20))));
      const ubase = Array.from({ length: m }, () => rng.range(-(1 << 19), 1 << 19));
      return {
        kind: 'step',
        m,
        n,
        levels,
        params: p,
        A,
        b: Array.from({ length: m }, () => rng.range(-(1 << 20), 1 << 20)),
        cases: Array.from({ length: k }, (_, t) => ({
          z: base.map((v, i) => v + (spread[i] ? rng.range(-spread[i], spread[i]) : 0)),
          u: ubase.map((v) => v + rng.range(-1000, 1000)),
          garden: rng.range(0, 9) !== 0,
          level: rng.range(0, levels - 1),
          step: t,
          facetMask: rng.range(0, 4) === 0 ? bits(rng, m, 4) : null,
          axisMask: rng.range(0, 4) === 0 ? bits(rng, n, 4) : null,
        })),
      };
    }),
};

const LOOP_OPS = [
  'inWindowDiagonal',
  'inWindowFull',
  'distanceDiagonal',
  'distanceFull',
  'stats',
  'bind',
  'facets',
  'axes',
  'steps',
  'stable',
  'schedule',
  'fossil',
  'ring',
  'garden',
  'step',
];

describe('windows and CAQ: Node and XS agree bit for bit, without heap growth', () => {
  let xs: XsWorker;
  const node = nodeScenario();
  beforeAll(async () => {
    xs = await startXs(CAQ_SCENARIO);
  });
  afterAll(async () => {
    await xs?.close();
  });

  for (const [kind, gen] of Object.entries(GENS)) {
    it(`${kind}: >= ${CASES} random cases give identical integers`, async () => {
      const rng = new Rng(0x7a11 ^ (kind.length * 0x01000193) ^ kind.charCodeAt(0));
      const { requests, cases } = gen(rng);
      expect(cases).toBeGreaterThanOrEqual(CASES);
      for (const [r, request] of requests.entries()) {
        const want = node(request) as number[];
        const { reply } = await xs.call<number[]>(request);
        expect(reply.length, `${kind} request ${r}: output length`).toBe(want.length);
        for (let i = 0; i < want.length; i++) {
          if (!Object.is(reply[i], want[i])) {
            throw new Error(`${kind} request ${r}: first difference at output ${i}: node ${want[i]}, xs ${reply[i]}`);
          }
        }
      }
    });
  }

  for (const op of LOOP_OPS) {
    it(`${op}: 100 and 10,000 calls leave the same XS heap, and the digests match Node`, async () => {
      await xs.call({ kind: 'prepare' });
      node({ kind: 'prepare' });
      await xs.gc();
      const small = await xs.call<number>({ kind: 'loop', op, n: 100 });
      await xs.gc();
      const large = await xs.call<number>({ kind: 'loop', op, n: 10_000 });
      expect(large.meter.heapCount).toBe(small.meter.heapCount);
      // The same sequence in Node (the states carry over from one loop to the next).
      expect(small.reply).toBe(node({ kind: 'loop', op, n: 100 }));
      expect(large.reply).toBe(node({ kind: 'loop', op, n: 10_000 }));
    });
  }
});
