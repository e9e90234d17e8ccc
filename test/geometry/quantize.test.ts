/**
 * Quantization (SPEC 3, 5): lattice rounding against a BigInt reference, and
 * the facet-aware Q_P against brute force over the lattice neighbourhood on
 * thousands of random polytopes (n <= 4): never outside P, nearest in at
 * least 99.9% of cases, the rest within one lattice step.
 */
import { describe, expect, it } from 'vitest';
import { createQ, Flag } from '../../src/fixed/q.js';
import { createPolytope } from '../../src/geometry/polytope.js';
import {
  QP_DELTA_MAX, QP_X_MAX, quantizeAxis, quantizeInPolytope, quantizeLattice, QuantizeStatus,
} from '../../src/geometry/quantize.js';
import { createGeometryWork } from '../../src/geometry/work.js';
import { PURITY } from '../helpers/budget.js';
import { INT32_EDGES } from '../helpers/edges.js';
import { rneDiv } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';
import { randomPolytope, refSlack } from './gen.js';

const MIN = -0x7fffffff - 1;
const MAX = 0x7fffffff;

/** Reference: RNE(x/d) d, or the next multiple toward 0 when that leaves int32 (flag). */
function refAxis(x: number, d: number): { value: number; sat: boolean } {
  const k = rneDiv(BigInt(x), BigInt(d));
  let v = k * BigInt(d);
  let sat = false;
  if (v > BigInt(MAX)) {
    v -= BigInt(d);
    sat = true;
  } else if (v < BigInt(MIN)) {
    v += BigInt(d);
    sat = true;
  }
  return { value: Number(v), sat };
}

const step = (rng: Rng) => {
  const k = rng.range(0, 5);
  if (k === 0) return 1 << rng.range(0, 30);
  if (k === 1) return [1, 2, 3, 5, 7, 0xffff, 0x10001, MAX, MAX - 1, 1 << 30][rng.range(0, 9)];
  if (k === 2) return rng.range(1, 1 << 20);
  return (rng.int32() >>> rng.range(1, 31)) || 1;
};

describe('quantizeAxis / quantizeLattice', () => {
  it('rounds to the nearest multiple (ties to even), saturating to a lattice point', () => {
    const rng = new Rng(55);
    const q = createQ(16);
    for (let t = 0; t < (PURITY ? 3000 : 100_000); t++) {
      const x = rng.range(0, 4) === 0 ? INT32_EDGES[rng.range(0, INT32_EDGES.length - 1)] : rng.range(0, 1) ? rng.int32() : rng.wide();
      const d = step(rng);
      q.flags = 0;
      const got = quantizeAxis(q, x, d);
      const r = refAxis(x, d);
      if (got !== r.value || (q.flags === Flag.SATURATED) !== r.sat) expect({ x, d, got, flags: q.flags }).toEqual({ x, d, got: r.value, flags: r.sat ? 1 : 0 });
    }
    // Ties: 3 * 2 = 6 -> index 3 is odd: 6 rounds? 7 / 2 = 3.5 -> 4 (even) -> 8.
    expect(quantizeAxis(q, 7, 2)).toBe(8);
    expect(quantizeAxis(q, 5, 2)).toBe(4);
    expect(quantizeAxis(q, -5, 2)).toBe(-4);
    expect(quantizeAxis(q, 15, 6)).toBe(12); // 2.5 -> 2
    expect(quantizeAxis(q, 21, 6)).toBe(24); // 3.5 -> 4
    q.flags = 0;
    expect(quantizeAxis(q, MAX, 1 << 16)).toBe(MAX - 0xffff); // 32768 * 2^16 does not fit
    expect(q.flags).toBe(Flag.SATURATED);
    q.flags = 0;
    expect(quantizeAxis(q, 5, 0)).toBe(5);
    expect(q.flags).toBe(Flag.DOMAIN);
  });

  it('quantizeLattice rounds each axis with its own step; out may alias x', () => {
    const rng = new Rng(56);
    const q = createQ(16);
    for (let t = 0; t < (PURITY ? 200 : 5000); t++) {
      const n = rng.range(1, 8);
      const x = new Int32Array(n).map(() => (rng.range(0, 1) ? rng.int32() : rng.wide()));
      const d = new Int32Array(n).map(() => step(rng));
      const out = new Int32Array(n);
      q.flags = 0;
      quantizeLattice(q, out, x, d);
      let sat = false;
      for (let j = 0; j < n; j++) {
        const r = refAxis(x[j], d[j]);
        expect(out[j]).toBe(r.value);
        sat ||= r.sat;
      }
      expect(q.flags).toBe(sat ? Flag.SATURATED : 0);
      const xa = x.slice();
      quantizeLattice(q, xa, xa, d, n);
      expect(xa).toEqual(out);
    }
  });
});

/** Brute force over offsets o_j in [-R_j, R_j] around the rounded point: the nearest lattice point of P. */
function bruteForce(A: Int32Array, b: Int32Array, m: number, n: number, f: number, x: Int32Array, d: Int32Array, R: number[]) {
  const k = Array.from(x, (v, j) => Number(rneDiv(BigInt(v), BigInt(d[j]))));
  const e = k.map((kj, j) => kj * d[j] - x[j]);
  // Slack numerators N_i(o) = b_i 2^f - sum_j a_ij (k_j + o_j) d_j, exact integers below 2^53 here.
  const scale = 2 ** f;
  const base = Array.from({ length: m }, (_, i) => {
    let s = b[i] * scale;
    for (let j = 0; j < n; j++) s -= A[i * n + j] * k[j] * d[j];
    return s;
  });
  const half = scale / 2; // admissible iff RNE(N / 2^f) >= 0 iff N >= -2^(f-1)
  let best = Infinity;
  let bestOff: number[] | null = null;
  let ties = 0;
  const o = R.map((r) => -r);
  for (;;) {
    let ok = true;
    for (let i = 0; i < m && ok; i++) {
      let s = base[i];
      for (let j = 0; j < n; j++) s -= A[i * n + j] * o[j] * d[j];
      if (s < -half) ok = false;
    }
    if (ok) {
      let dist = 0;
      for (let j = 0; j < n; j++) dist += (e[j] + o[j] * d[j]) ** 2;
      if (dist < best) {
        best = dist;
        bestOff = o.slice();
        ties = 1;
      } else if (dist === best) ties += 1;
    }
    let j = 0;
    while (j < n && o[j] === R[j]) {
      o[j] = -R[j];
      j += 1;
    }
    if (j === n) break;
    o[j] += 1;
  }
  return { best, bestOff, ties, k, e };
}

/**
 * A point near the boundary of P: from a point inside, along a random
 * direction to about where the ray leaves P (0.6 .. 1.4 of the way), then
 * moved by up to `jitter` steps per axis: within a few lattice steps of P,
 * where the engine quantizes (y = F(xq) near its polytope).
 */
function nearBoundary(rng: Rng, rp: ReturnType<typeof randomPolytope>, d: Int32Array, jitter: number): Int32Array {
  const { m, n, A, b, center } = rp;
  const dir = Array.from({ length: n }, () => rng.range(-1000, 1000) / 1000);
  let tMax = Infinity;
  for (let i = 0; i < m; i++) {
    let ad = 0;
    let ac = 0;
    for (let j = 0; j < n; j++) {
      ad += A[i * n + j] * dir[j];
      ac += A[i * n + j] * center[j];
    }
    if (ad > 0) tMax = Math.min(tMax, (b[i] * 65536 - ac) / ad);
  }
  if (!Number.isFinite(tMax)) tMax = 4 * 65536;
  const t = tMax * (0.6 + rng.range(0, 800) / 1000);
  return Int32Array.from(center, (c, j) => Math.round(c + t * dir[j] + (rng.range(-1000, 1000) / 1000) * jitter * d[j]));
}

interface QpStats {
  cases: number;
  counted: number;
  skipped: number;
  optimal: number;
  proved: number;
  noPoint: number;
  maxGapSteps: number;
}

/** Runs Q_P on random cases and compares with brute force; asserts safety on every case. */
function runQp(seed: number, cases: number, makeX: (rng: Rng, rp: ReturnType<typeof randomPolytope>, d: Int32Array) => Int32Array, cap: number): QpStats {
  const q = createQ(16);
  const one = 1 << 16;
  const rng = new Rng(seed);
  const st0: QpStats = { cases, counted: 0, skipped: 0, optimal: 0, proved: 0, noPoint: 0, maxGapSteps: 0 };
  for (let t = 0; t < cases; t++) {
    const n = rng.range(1, 4);
    const m = rng.range(1, 8);
    const rp = randomPolytope(rng, n, m, 16, { radius: 2 });
    const P = createPolytope(m, n, rp.A, rp.b);
    const work = createGeometryWork(m, n, m, cap);
    const d = new Int32Array(n).map(() => (rng.range(0, 1) ? 1 << rng.range(13, 16) : rng.range(one >> 3, one)));
    const x = makeX(rng, rp, d);
    const out = new Int32Array(n).fill(0x1234567);
    const st = quantizeInPolytope(q, out, P, x, d, cap, work);
    // The neighbourhood: +-R steps, widened to hold the answer (plus one).
    const k = Array.from(x, (v, j) => Number(rneDiv(BigInt(v), BigInt(d[j]))));
    const R = Array.from({ length: n }, (_, j) => {
      const r0 = [0, 10, 8, 5, 4][n];
      return st === QuantizeStatus.OK ? Math.max(r0, Math.abs(out[j] / d[j] - k[j]) + 1) : r0;
    });
    const bf = bruteForce(P.A, P.b, m, n, 16, x, d, R);
    if (st === QuantizeStatus.OK) {
      // Never outside P (exact slacks >= 0), always on the lattice.
      for (let i = 0; i < m; i++) expect(refSlack(P, i, out, 16)).toBeGreaterThanOrEqual(0);
      for (let j = 0; j < n; j++) expect(Math.abs(out[j] % d[j])).toBe(0);
    } else {
      expect(Array.from(out).every((v) => v === 0x1234567)).toBe(true); // untouched
    }
    if (bf.bestOff === null || bf.bestOff.some((v, j) => Math.abs(v) >= R[j])) {
      st0.skipped += 1; // nothing admissible well inside the neighbourhood: not comparable
      continue;
    }
    st0.counted += 1;
    if (st !== QuantizeStatus.OK) {
      st0.noPoint += 1;
      continue;
    }
    let dist = 0;
    for (let j = 0; j < n; j++) dist += (out[j] - x[j]) ** 2;
    if (work.proved) {
      st0.proved += 1;
      expect(dist).toBe(bf.best); // a proved answer is the nearest
    }
    if (dist === bf.best) st0.optimal += 1;
    else st0.maxGapSteps = Math.max(st0.maxGapSteps, (Math.sqrt(dist) - Math.sqrt(bf.best)) / Math.max(...d));
  }
  return st0;
}

describe('quantizeInPolytope (Q_P)', () => {
  it('near P: the nearest lattice point of P in >= 99.9% of random cases, never outside, else within one step', () => {
    const cases = PURITY ? 300 : 20_000;
    const s = runQp(2718, cases, (rng, rp, d) => nearBoundary(rng, rp, d, 2), 256);
    const rate = s.optimal / s.counted;
    console.log(`Q_P near P: ${JSON.stringify({ ...s, rate })}`);
    expect(s.counted).toBeGreaterThan(cases * 0.9);
    expect(s.noPoint).toBe(0);
    expect(rate).toBeGreaterThanOrEqual(0.999);
    expect(s.maxGapSteps).toBeLessThanOrEqual(1);
  });

  it('far from P (up to 3.0 off, steps down to 1/8): never outside; answers within one step of the nearest', () => {
    const cases = PURITY ? 100 : 3000;
    const one = 1 << 16;
    const s = runQp(3141, cases, (rng, rp) => Int32Array.from(rp.center, (c) => c + rng.range(-3 * one, 3 * one)), 256);
    console.log(`Q_P far from P: ${JSON.stringify({ ...s, rate: s.optimal / s.counted })}`);
    expect(s.noPoint).toBe(0);
    expect(s.maxGapSteps).toBeLessThanOrEqual(1);
  });

  it('returns the rounded point when it lies in P, examining one candidate', () => {
    const q = createQ(16);
    const one = 1 << 16;
    const P = createPolytope(2, 2, Int32Array.of(one, 0, 0, one), Int32Array.of(10 * one, 10 * one));
    const work = createGeometryWork(2, 2, 2);
    const out = new Int32Array(2);
    expect(quantizeInPolytope(q, out, P, Int32Array.of(one + 5, 2 * one + (one >> 1)), Int32Array.of(one, one), 8, work)).toBe(QuantizeStatus.OK);
    expect(Array.from(out)).toEqual([one, 2 * one]); // 2.5 -> 2 (even)
    expect([work.examined, work.proved]).toEqual([1, 1]);
  });

  it('never crosses a facet: rounding outward is repaired to the nearest point inside', () => {
    const q = createQ(16);
    const one = 1 << 16;
    // x + y <= 1.0: (0.45, 0.6) rounds (step 0.5) to (0.5, 0.5)... which is on
    // the facet (slack 0, inside); (0.3, 0.8) rounds to (0.5, 1.0): outside.
    const P = createPolytope(1, 2, Int32Array.of(one, one), Int32Array.of(one));
    const work = createGeometryWork(1, 2, 1);
    const out = new Int32Array(2);
    const d = Int32Array.of(one >> 1, one >> 1);
    expect(quantizeInPolytope(q, out, P, Int32Array.of(Math.round(0.3 * one), Math.round(0.8 * one)), d, 16, work)).toBe(QuantizeStatus.OK);
    // Candidates: (0, 1.0) at distance^2 0.09 + 0.04; (0.5, 0.5) at 0.04 + 0.09: a tie, both inside.
    expect([[0, one], [one >> 1, one >> 1]]).toContainEqual(Array.from(out));
    expect(work.proved).toBe(1);
  });

  it('reports NO_LATTICE_POINT (out untouched) when P holds no lattice point within reach', () => {
    const q = createQ(16);
    const one = 1 << 16;
    // 0.2 <= x <= 0.4 holds no multiple of 1.0.
    const P = createPolytope(2, 1, Int32Array.of(one, -one), Int32Array.of(Math.round(0.4 * one), -Math.round(0.2 * one)));
    const work = createGeometryWork(2, 1, 2, 16);
    const out = Int32Array.of(99);
    expect(quantizeInPolytope(q, out, P, Int32Array.of(Math.round(0.3 * one)), Int32Array.of(one), 16, work)).toBe(QuantizeStatus.NO_LATTICE_POINT);
    expect(out[0]).toBe(99);
  });

  it('falls back to a greedy repair past the cap, still never outside', () => {
    const q = createQ(16);
    const one = 1 << 16;
    const rng = new Rng(99);
    for (let t = 0; t < (PURITY ? 50 : 500); t++) {
      const n = rng.range(2, 6);
      const m = rng.range(2, 10);
      const rp = randomPolytope(rng, n, m, 16, { radius: 3 });
      const P = createPolytope(m, n, rp.A, rp.b);
      const work = createGeometryWork(m, n, m, 4);
      const d = new Int32Array(n).fill(one >> 2);
      const x = new Int32Array(n).map((_, j) => rp.center[j] + rng.range(-3 * one, 3 * one));
      const out = new Int32Array(n);
      const st = quantizeInPolytope(q, out, P, x, d, 4, work);
      if (st === QuantizeStatus.OK) for (let i = 0; i < m; i++) expect(refSlack(P, i, out, 16)).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses inputs outside its domain with Flag.DOMAIN; out may alias x', () => {
    const q = createQ(16);
    const one = 1 << 16;
    const P = createPolytope(1, 2, Int32Array.of(one, one), Int32Array.of(one));
    const work = createGeometryWork(1, 2, 1);
    const out = new Int32Array(2);
    for (const [x, d] of [
      [[QP_X_MAX + 1, 0], [one, one]],
      [[0, 0], [0, one]],
      [[0, 0], [one, QP_DELTA_MAX + 1]],
    ]) {
      q.flags = 0;
      expect(quantizeInPolytope(q, out, P, Int32Array.from(x), Int32Array.from(d), 8, work)).toBe(QuantizeStatus.NO_LATTICE_POINT);
      expect(q.flags).toBe(Flag.DOMAIN);
    }
    q.flags = 0;
    expect(quantizeInPolytope(q, out, P, Int32Array.of(0, 0), Int32Array.of(one, one), 8, createGeometryWork(1, 3, 1))).toBe(QuantizeStatus.NO_LATTICE_POINT);
    expect(q.flags).toBe(Flag.DOMAIN);
    const x = Int32Array.of(Math.round(0.7 * one), Math.round(0.6 * one));
    const sep = new Int32Array(2);
    quantizeInPolytope(q, sep, P, x, Int32Array.of(one >> 2, one >> 2), 32, work);
    quantizeInPolytope(q, x, P, x, Int32Array.of(one >> 2, one >> 2), 32, work);
    expect(x).toEqual(sep);
  });
});
