/**
 * Projection onto polytopes (SPEC 3): exact clamps for box facets, Dykstra
 * for general ones, against a float64 reference (active-set enumeration of
 * the QP, Euclidean and diagonal metric). Every OK result is checked with
 * exact slacks: never exterior for the band.
 */
import { describe, expect, it } from 'vitest';
import { createQ, Flag } from '../../src/fixed/q.js';
import { createPolytope, PointKind } from '../../src/geometry/polytope.js';
import { createMetric, projectDykstra, ProjectStatus } from '../../src/geometry/project.js';
import { createGeometryWork } from '../../src/geometry/work.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { randomPolytope, refProject, refSlack } from './gen.js';

const f = 16;
const one = 2 ** f;

function quantile(v: number[], p: number): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(p * (s.length - 1))];
}

describe('projectDykstra', () => {
  it('returns a point of P unchanged, without a sweep', () => {
    const q = createQ(f);
    const rng = new Rng(3);
    for (let t = 0; t < 50; t++) {
      const n = rng.range(1, 4);
      const m = rng.range(1, 6);
      const rp = randomPolytope(rng, n, m, f);
      const P = createPolytope(m, n, rp.A, rp.b);
      const w = createGeometryWork(m, n, m);
      const x = Int32Array.from(rp.center);
      const out = new Int32Array(n);
      expect(projectDykstra(q, out, P, x, null, 10, 0, w)).toBe(ProjectStatus.OK);
      expect(out).toEqual(x);
      expect(w.sweeps).toBe(0);
    }
  });

  it('clamps box facets exactly (floor/ceil of b 2^f / a), whatever the coefficient', () => {
    const q = createQ(f);
    const rng = new Rng(4);
    for (let t = 0; t < (PURITY ? 100 : 1000); t++) {
      const n = rng.range(1, 4);
      // Per axis an upper and a lower facet: a x_j <= b (a > 0), a' x_j <= b' (a' < 0).
      const A = new Int32Array(2 * n * n);
      const b = new Int32Array(2 * n);
      const lo: bigint[] = [];
      const hi: bigint[] = [];
      for (let j = 0; j < n; j++) {
        const au = rng.range(1, 5 * one);
        const al = -rng.range(1, 5 * one);
        const u = rng.range(0, 4 * one);
        const l = -rng.range(0, 4 * one);
        A[2 * j * n + j] = au;
        A[(2 * j + 1) * n + j] = al;
        b[2 * j] = Math.round((u / one) * (au / one) * one);
        b[2 * j + 1] = Math.round((l / one) * (al / one) * one);
        const nu = BigInt(b[2 * j]) << BigInt(f);
        hi.push(nu >= 0n ? nu / BigInt(au) : -((-nu + BigInt(au) - 1n) / BigInt(au)));
        const nl = -(BigInt(b[2 * j + 1]) << BigInt(f)); // x >= nl / |al|
        const d = BigInt(-al);
        lo.push(nl >= 0n ? (nl + d - 1n) / d : -(-nl / d));
      }
      const P = createPolytope(2 * n, n, A, b);
      const w = createGeometryWork(2 * n, n, 2 * n);
      const x = new Int32Array(n).map(() => rng.range(-8 * one, 8 * one));
      const out = new Int32Array(n);
      const st = projectDykstra(q, out, P, x, null, 3, 0, w);
      expect(st).toBe(ProjectStatus.OK);
      for (let j = 0; j < n; j++) {
        const v = BigInt(x[j]);
        const want = v > hi[j] ? hi[j] : v < lo[j] ? lo[j] : v;
        expect(BigInt(out[j])).toBe(want);
      }
      expect(w.sweeps).toBeLessThanOrEqual(2);
    }
  });

  for (const useMetric of [false, true]) {
    it(`is within the band and close to the float64 projection on random polytopes (${useMetric ? 'diagonal metric' : 'Euclidean'})`, () => {
      const q = createQ(f);
      const rng = new Rng(useMetric ? 8 : 7);
      const cases = PURITY ? 150 : 3000;
      const beta = 256;
      const iters = 200;
      const errs: number[] = [];
      const converged: number[] = [];
      let undefinedCount = 0;
      let outside = 0;
      for (let t = 0; t < cases; t++) {
        const n = rng.range(1, 4);
        const m = rng.range(1, 8);
        const rp = randomPolytope(rng, n, m, f);
        const P = createPolytope(m, n, rp.A, rp.b);
        const w = createGeometryWork(m, n, m);
        const diag = useMetric ? new Int32Array(n).map(() => rng.range(one / 4, 4 * one)) : null;
        const metric = diag ? createMetric(P, diag) : null;
        const x = new Int32Array(n).map((_, j) => rp.center[j] + rng.range(-8 * one, 8 * one));
        const out = new Int32Array(n).fill(0x5a5a5a5);
        q.flags = 0;
        const st = projectDykstra(q, out, P, x, metric, iters, beta, w);
        expect(q.flags & Flag.SATURATED).toBe(0);
        if (st !== ProjectStatus.OK) {
          undefinedCount += 1;
          expect(Array.from(out).every((v) => v === 0x5a5a5a5)).toBe(true); // untouched
          continue;
        }
        // Never exterior: exact slacks >= -beta; the classification in work agrees.
        let minSlack = Infinity;
        for (let i = 0; i < m; i++) minSlack = Math.min(minSlack, refSlack(P, i, out, f));
        expect(minSlack).toBeGreaterThanOrEqual(-beta);
        expect(w.cls.kind).not.toBe(PointKind.EXTERIOR);
        if (minSlack < 0) outside += 1;
        const Ar = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => rp.A[i * n + j] / one));
        const ref = refProject(Ar, Array.from(rp.b, (v) => v / one), Array.from(x, (v) => v / one), diag ? Array.from(diag, (v) => v / one) : null);
        expect(ref).not.toBeNull();
        let e = 0;
        for (let j = 0; j < n; j++) e = Math.max(e, Math.abs(out[j] - ref![j] * one));
        errs.push(e);
        if (w.sweeps < iters) converged.push(e);
      }
      const stats = {
        cases,
        undefined: undefinedCount,
        outsideWithinBand: outside,
        p50: quantile(errs, 0.5),
        p99: quantile(errs, 0.99),
        convergedMax: Math.max(...converged),
        capped: errs.length - converged.length,
      };
      console.log(`projection ${useMetric ? 'metric' : 'euclidean'}: ${JSON.stringify(stats)}`);
      // Error in Q units (2^-16) of the largest coordinate difference.
      expect(undefinedCount).toBeLessThanOrEqual(Math.ceil(cases * 0.005));
      expect(stats.p50).toBeLessThanOrEqual(1);
      expect(stats.p99).toBeLessThanOrEqual(8);
      // An exact fixed point of the integer iteration is within rounding of
      // the projection (amplified at acute vertices: up to 1/sin of the angle).
      expect(stats.convergedMax).toBeLessThanOrEqual(32);
      expect(outside).toBeLessThanOrEqual(Math.ceil(cases * 0.01));
    });
  }

  it('allows out to alias x', () => {
    const q = createQ(f);
    const rng = new Rng(9);
    for (let t = 0; t < 100; t++) {
      const n = rng.range(1, 4);
      const m = rng.range(1, 8);
      const rp = randomPolytope(rng, n, m, f);
      const P = createPolytope(m, n, rp.A, rp.b);
      const w = createGeometryWork(m, n, m);
      const x = new Int32Array(n).map((_, j) => rp.center[j] + rng.range(-8 * one, 8 * one));
      const sep = new Int32Array(n);
      const s1 = projectDykstra(q, sep, P, x, null, 50, 64, w);
      const xa = x.slice();
      const s2 = projectDykstra(q, xa, P, xa, null, 50, 64, w);
      expect(s2).toBe(s1);
      if (s1 === ProjectStatus.OK) expect(xa).toEqual(sep);
      else expect(xa).toEqual(x);
    }
  });

  it('is UNDEFINED (out untouched) when still exterior after the cap, or P is empty', () => {
    const q = createQ(f);
    // Two half-planes far apart from the start; 0 sweeps cannot reach them.
    const A = Int32Array.of(one, one, -one, 2 * one);
    const P = createPolytope(2, 2, A, Int32Array.of(one, one));
    const w = createGeometryWork(2, 2, 2);
    const out = Int32Array.of(7, 7);
    expect(projectDykstra(q, out, P, Int32Array.of(50 * one, 50 * one), null, 0, 0, w)).toBe(ProjectStatus.UNDEFINED);
    expect(Array.from(out)).toEqual([7, 7]);
    expect(projectDykstra(q, out, P, Int32Array.of(50 * one, 50 * one), null, 100, 0, w)).toBe(ProjectStatus.OK);
    // Empty: x <= -1 and -x <= -1.
    const E = createPolytope(2, 1, Int32Array.of(one, -one), Int32Array.of(-one, -one));
    const we = createGeometryWork(2, 1, 2);
    const o1 = Int32Array.of(3);
    expect(projectDykstra(q, o1, E, Int32Array.of(0), null, 1000, 16, we)).toBe(ProjectStatus.UNDEFINED);
    expect(o1[0]).toBe(3);
    // Empty, general facets: x + y <= -1 and -x - y <= -1.
    const E2 = createPolytope(2, 2, Int32Array.of(one, one, -one, -one), Int32Array.of(-one, -one));
    const o2 = Int32Array.of(3, 4);
    expect(projectDykstra(q, o2, E2, Int32Array.of(0, 0), null, 1000, 16, w)).toBe(ProjectStatus.UNDEFINED);
    expect(Array.from(o2)).toEqual([3, 4]);
  });

  it('refuses unusable arguments with Flag.DOMAIN', () => {
    const q = createQ(f);
    const P = createPolytope(2, 2, Int32Array.of(one, 0, one, one), Int32Array.of(one, one));
    const P2 = createPolytope(2, 2, Int32Array.of(one, 0, one, one), Int32Array.of(one, one));
    const out = new Int32Array(2);
    q.flags = 0;
    expect(projectDykstra(q, out, P, Int32Array.of(0, 0), null, 10, 0, createGeometryWork(2, 3, 2))).toBe(ProjectStatus.UNDEFINED);
    expect(q.flags & Flag.DOMAIN).toBe(Flag.DOMAIN);
    q.flags = 0;
    const metric = createMetric(P2, Int32Array.of(one, one));
    expect(projectDykstra(q, out, P, Int32Array.of(0, 0), metric, 10, 0, createGeometryWork(2, 2, 2))).toBe(ProjectStatus.UNDEFINED);
    expect(q.flags & Flag.DOMAIN).toBe(Flag.DOMAIN);
    expect(() => createMetric(P, Int32Array.of(one, 0))).toThrow(/metric: diag\[1\] must be > 0/);
    expect(() => createMetric(P, Int32Array.of(one))).toThrow(/metric: diag must be an Int32Array of n = 2/);
  });

  it('takes large steps for tiny normals and saturates a coordinate with the flag, never wrapping', () => {
    const q = createQ(f);
    // a = (1 ulp, 1 ulp), b = -2^14 (real): x + y <= -2^14 * 2^16 ... far beyond int32 from the origin.
    const P = createPolytope(1, 2, Int32Array.of(1, 1), Int32Array.of(-(1 << 30)));
    const w = createGeometryWork(1, 2, 1);
    const out = new Int32Array(2);
    q.flags = 0;
    const st = projectDykstra(q, out, P, Int32Array.of(0, 0), null, 5, 0, w);
    expect(st).toBe(ProjectStatus.UNDEFINED);
    expect(q.flags & Flag.SATURATED).toBe(Flag.SATURATED);
  });
});
