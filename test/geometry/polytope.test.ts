/**
 * Polytope tables and classification (SPEC 3) against an exact reference:
 * slacks as BigInt (one RNE of the exact value, saturated), kind by the
 * band rule, and the bounded, sorted active list.
 */
import { describe, expect, it } from 'vitest';
import { createQ, Flag, F_MAX, F_MIN } from '../../src/fixed/q.js';
import {
  boxBound, classify, createClassifyResult, createPolytope, DIR_MAX, DIR_NONE, PointKind, refreshPolytope,
} from '../../src/geometry/polytope.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { randomPolytope, refSlack } from './gen.js';

const MIN = -0x7fffffff - 1;
const MAX = 0x7fffffff;

function refClassify(P: { m: number; n: number; A: Int32Array; b: Int32Array }, x: Int32Array, f: number, beta: number, kMax: number) {
  const slack = Array.from({ length: P.m }, (_, i) => refSlack(P, i, x, f));
  const min = Math.min(...slack);
  const kind = min < -beta ? PointKind.EXTERIOR : min <= beta ? PointKind.FACET : PointKind.INTERIOR;
  const within = slack.map((s, i) => [s, i]).filter(([s]) => s <= beta).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { slack, kind, count: within.length, active: within.slice(0, kMax).map(([, i]) => i), minSlack: min, minFacet: slack.indexOf(min) };
}

describe('createPolytope', () => {
  it('validates sizes and tables, naming the field', () => {
    expect(() => createPolytope(0, 2)).toThrow(/polytope: m must be/);
    expect(() => createPolytope(2, 0)).toThrow(/polytope: n must be/);
    expect(() => createPolytope(2, 2, new Int32Array(3))).toThrow(/polytope: A must be an Int32Array of m \* n = 4 entries, got 3/);
    expect(() => createPolytope(2, 2, new Int32Array(4), new Int32Array(3))).toThrow(/polytope: b must be an Int32Array of m = 2/);
    expect(() => createPolytope(2, 2, [1, 2, 3, 4] as unknown as Int32Array)).toThrow(/A must be an Int32Array/);
    expect(() => createClassifyResult(3, 4)).toThrow(/kMax must be/);
  });

  it('copies the tables and derives box facets, L1 norms and directions', () => {
    const A = Int32Array.of(1 << 16, 0, 0, -(3 << 15), 1 << 16, 1 << 16, 0, 0);
    const P = createPolytope(4, 2, A, Int32Array.of(1, 2, 3, 4));
    A[0] = 99; // a copy
    expect(P.A[0]).toBe(1 << 16);
    expect(Array.from(P.boxAxis)).toEqual([0, 1, -1, -1]);
    expect(P.dirShift[3]).toBe(DIR_NONE);
    expect(P.l1[2]).toBe(2 << 16);
    // Facet 2: a = (1, 1): G = a 2^P / ||a||^2, largest component in [2^27, 2^29].
    const g = P.dir[4];
    expect(g).toBe(P.dir[5]);
    expect(g).toBeGreaterThanOrEqual(1 << 27);
    expect(g).toBeLessThanOrEqual(DIR_MAX);
    expect(g).toBe(Number(((1n << 16n) << BigInt(P.dirShift[2])) / (2n << 32n)));
  });

  it('directions are RNE(a_j 2^P / ||a||^2) with the largest in [2^27, 2^29], for random and extreme rows', () => {
    const rng = new Rng(404);
    for (let t = 0; t < (PURITY ? 30 : 300); t++) {
      const n = rng.range(2, 8);
      const A = new Int32Array(n).map(() => (rng.range(0, 5) === 0 ? [MIN, MAX, 1, -1][rng.range(0, 3)] : rng.wide()));
      if (A.filter((v) => v !== 0).length < 2) continue;
      const P = createPolytope(1, n, A, Int32Array.of(0));
      const N = A.reduce((s, v) => s + BigInt(v) * BigInt(v), 0n);
      const sh = BigInt(P.dirShift[0]);
      let max = 0;
      for (let j = 0; j < n; j++) {
        const num = BigInt(A[j]) << sh;
        const neg = num < 0n;
        const mag = neg ? -num : num;
        let qv = mag / N;
        const r2 = 2n * (mag % N);
        if (r2 > N || (r2 === N && (qv & 1n) === 1n)) qv += 1n;
        expect(P.dir[j]).toBe(Number(neg ? -qv : qv));
        max = Math.max(max, Math.abs(P.dir[j]));
      }
      expect(max).toBeGreaterThanOrEqual(1 << 27);
      expect(max).toBeLessThanOrEqual(DIR_MAX);
    }
  });

  it('boxBound is the exact inward bound, cached and following b and f', () => {
    const rng = new Rng(11);
    for (let t = 0; t < (PURITY ? 100 : 2000); t++) {
      const f = rng.range(F_MIN, F_MAX);
      const q = createQ(f);
      const a = rng.range(0, 3) === 0 ? [MIN, MAX, 1, -1, 1 << f, -(1 << f), 3 << f][rng.range(0, 6)] : rng.wide() || 1;
      const P = createPolytope(1, 2, Int32Array.of(0, a), Int32Array.of(rng.wide()));
      for (let rep = 0; rep < 2; rep++) {
        const bound = boxBound(q, P, 0);
        const num = BigInt(P.b[0]) << BigInt(f);
        const A = BigInt(a);
        // a > 0: largest u with a u <= num; a < 0: smallest l with a l <= num.
        let want: bigint;
        if (A > 0n) want = num >= 0n ? num / A : -((-num + A - 1n) / A);
        else {
          const d = -A;
          const nn = -num; // l >= nn / d
          want = nn >= 0n ? (nn + d - 1n) / d : -(-nn / d);
        }
        const clamped = want > BigInt(MAX) ? MAX : want < BigInt(MIN) ? MIN : Number(want);
        expect([t, rep, bound]).toEqual([t, rep, clamped]);
        P.b[0] = rng.wide(); // the cache must follow b
      }
    }
  });
});

describe('classify', () => {
  it('matches the exact reference: slacks, kind, sorted bounded active list', () => {
    const rng = new Rng(2024);
    const cases = PURITY ? 400 : 5000;
    for (let t = 0; t < cases; t++) {
      const f = rng.range(0, 3) === 0 ? rng.range(F_MIN, F_MAX) : 16;
      const q = createQ(f);
      const n = rng.range(1, 6);
      const m = rng.range(1, 12);
      const rp = randomPolytope(rng, n, m, f > 20 ? 12 : f);
      const P = createPolytope(m, n, rp.A, rp.b);
      const kMax = rng.range(0, m);
      const out = createClassifyResult(m, m);
      // Points near facets (grazing), inside, outside; sometimes huge.
      const x = new Int32Array(n).map((_, j) => rp.center[j] + rng.range(-6, 6) * (1 << Math.min(f, 16)) + rng.range(-3, 3));
      if (t % 10 === 0) x[rng.range(0, n - 1)] = [MIN, MAX][rng.range(0, 1)];
      const beta = [0, 1, 3, 1 << 8, 1 << 12][rng.range(0, 4)];
      q.flags = 0;
      classify(q, out, P, x, beta, kMax);
      const ref = refClassify(P, x, f, beta, kMax);
      expect(Array.from(out.slack)).toEqual(ref.slack);
      expect([t, out.kind, out.count, out.listed, out.minSlack, out.minFacet]).toEqual([
        t, ref.kind, ref.count, Math.min(ref.count, kMax), ref.minSlack, ref.minFacet,
      ]);
      expect(Array.from(out.active.subarray(0, out.listed))).toEqual(ref.active);
      const saturated = ref.slack.some((s) => s === MIN || s === MAX);
      if (!saturated) expect(q.flags & Flag.SATURATED).toBe(0);
    }
  });

  it('reports grazing exactly at the band edges and flags a negative band', () => {
    const q = createQ(16);
    // x <= 1.0 and -x <= 1.0 in one dimension.
    const P = createPolytope(2, 1, Int32Array.of(1 << 16, -(1 << 16)), Int32Array.of(1 << 16, 1 << 16));
    const out = createClassifyResult(2, 2);
    const at = (x: number, beta: number) => {
      classify(q, out, P, Int32Array.of(x), beta, 2);
      return out.kind;
    };
    const one = 1 << 16;
    expect(at(0, 10)).toBe(PointKind.INTERIOR);
    expect(at(one - 10, 10)).toBe(PointKind.FACET); // slack 10 = beta
    expect(at(one - 11, 10)).toBe(PointKind.INTERIOR);
    expect(at(one + 10, 10)).toBe(PointKind.FACET); // slack -10
    expect(at(one + 11, 10)).toBe(PointKind.EXTERIOR);
    expect(at(one, 0)).toBe(PointKind.FACET);
    q.flags = 0;
    expect(at(one + 1, -5)).toBe(PointKind.EXTERIOR);
    expect(q.flags & Flag.DOMAIN).toBe(Flag.DOMAIN);
  });

  it('lists at most kMax facets, most binding first, and counts the rest', () => {
    const q = createQ(16);
    // Five copies of x <= 0 with decreasing offsets: slacks b_i - x.
    const m = 5;
    const A = new Int32Array(m).fill(1 << 16);
    const b = Int32Array.of(5, 1, 4, 2, 3);
    const P = createPolytope(m, 1, A, b);
    const out = createClassifyResult(m, 3);
    classify(q, out, P, Int32Array.of(0), 4, 3);
    expect(out.count).toBe(4);
    expect(out.listed).toBe(3);
    expect(Array.from(out.active)).toEqual([1, 3, 4]);
    expect(out.kind).toBe(PointKind.FACET);
    refreshPolytope(P); // idempotent
    classify(q, out, P, Int32Array.of(0), 4, 0);
    expect([out.count, out.listed]).toEqual([4, 0]);
  });
});
