/**
 * SPEC 11: exact lattice finite differences, packed storage, validation,
 * the derivative helper.
 */
import { describe, expect, it } from 'vitest';
import {
  createQ,
  createTensorWork,
  differenceToDerivative,
  entryCount,
  Flag,
  finiteDifferences,
  packedIndex,
  pureIndex,
  stencilPoints,
  TensorStatus,
  type TensorWork,
} from '../../src/index.js';
import { Rng } from '../helpers/rng.js';
import { derive, evalPoly, forwardDifference, randomPoly, type Poly } from './poly.js';

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

function binomial(a: number, b: number): number {
  let r = 1;
  for (let i = 1; i <= b; i++) r = (r * (a - b + i)) / i;
  return r;
}

/** Every sorted multi-index of order d over K directions, in lexicographic order. */
function multisets(K: number, d: number): number[][] {
  if (d === 0) return [[]];
  const out: number[][] = [];
  for (const head of multisets(K, d - 1)) {
    const lo = head.length ? head[head.length - 1] : 0;
    for (let k = lo; k < K; k++) out.push([...head, k]);
  }
  return out;
}

describe('packed symmetric layout', () => {
  it('packedIndex is a bijection onto 0..entries-1 and a prefix per K', () => {
    for (const [kMax, orderMax] of [
      [1, 5],
      [3, 3],
      [4, 5],
      [7, 2],
      [16, 3],
    ]) {
      const w = createTensorWork(2, kMax, orderMax);
      expect(w.entries).toBe(binomial(kMax + orderMax, orderMax));
      const seen = new Set<number>();
      for (let d = 0; d <= orderMax; d++) {
        for (const ks of multisets(kMax, d)) {
          const p = packedIndex(w, ks, d);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThan(w.entries);
          expect(seen.has(p)).toBe(false);
          seen.add(p);
          // Round trip through the table.
          expect(w.entryOrder[p]).toBe(d);
          expect(w.entryDirs.slice(p * orderMax, p * orderMax + d)).toEqual(ks);
          // Prefix: valid for K directions iff its entries are all < K.
          for (let K = 1; K <= kMax; K++) {
            const valid = ks.every((k) => k < K);
            expect(p - w.offset[d] < entryCount(w, K, d)).toBe(valid);
          }
        }
        expect(entryCount(w, kMax, d)).toBe(binomial(kMax + d - 1, d));
      }
      expect(seen.size).toBe(w.entries);
      for (let K = 1; K <= kMax; K++) expect(stencilPoints(w, K, orderMax)).toBe(binomial(K + orderMax, orderMax));
    }
  });

  it('the largest workspace has C(21, 5) entries', () => {
    expect(createTensorWork(1, 16, 5).entries).toBe(20349);
  });

  it('pureIndex, the first-order block and bad multi-indices', () => {
    const w = createTensorWork(3, 4, 3);
    expect(packedIndex(w, [], 0)).toBe(0);
    for (let k = 0; k < 4; k++) {
      expect(packedIndex(w, [k], 1)).toBe(1 + k);
      expect(pureIndex(w, k, 1)).toBe(1 + k);
      expect(pureIndex(w, k, 3)).toBe(packedIndex(w, [k, k, k], 3));
    }
    expect(packedIndex(w, [2, 1], 2)).toBe(-1); // unsorted
    expect(packedIndex(w, [0, 4], 2)).toBe(-1); // direction out of range
    expect(packedIndex(w, [0, 0, 0, 0], 4)).toBe(-1); // order out of range
    expect(pureIndex(w, 4, 1)).toBe(-1);
    expect(entryCount(w, 5, 1)).toBe(0);
    expect(stencilPoints(w, 0, 1)).toBe(0);
  });
});

describe('createTensorWork validation', () => {
  it('names the argument and the allowed range', () => {
    expect(() => createTensorWork(0, 3, 3)).toThrow('tensor work: n must be an integer in 1..4096, got 0');
    expect(() => createTensorWork(4.5, 3, 3)).toThrow('tensor work: n must be an integer in 1..4096, got 4.5');
    expect(() => createTensorWork(8, 0, 3)).toThrow('tensor work: kMax must be an integer in 1..16, got 0');
    expect(() => createTensorWork(8, 17, 3)).toThrow('tensor work: kMax must be an integer in 1..16, got 17');
    expect(() => createTensorWork(8, 3, 0)).toThrow('tensor work: orderMax must be an integer in 1..5, got 0');
    expect(() => createTensorWork(8, 3, 6)).toThrow('tensor work: orderMax must be an integer in 1..5, got 6');
    expect(() => createTensorWork(4096, 16, 5)).toThrow(/exceeds 4194304; lower n, kMax or order/);
  });

  it('allocates every buffer at its documented size', () => {
    const w = createTensorWork(8, 3, 3);
    expect(w.entries).toBe(20);
    expect(w.values.length).toBe(20 * 8);
    expect(w.disp.length).toBe(3 * 8);
    expect(w.jacobian.length).toBe(3 * 8);
    expect(w.curvature.length).toBe(3);
    expect(w.series.length).toBe(4);
    expect([w.point.length, w.fout.length, w.steps.length]).toEqual([8, 8, 3]);
  });
});

/** A lattice-polynomial scenario: x = Delta z (Delta = 2^s), F_i(x) = P_i(z) (raw int32). */
interface PolyCase {
  n: number;
  s: number;
  polys: Poly[];
  z0: number[];
  v: number[][];
}

function polyF(c: PolyCase) {
  return (out: Int32Array, x: Int32Array): void => {
    const z = Array.from(x, (xi) => BigInt(xi >> c.s));
    for (let i = 0; i < c.n; i++) out[i] = Number(evalPoly(c.polys[i], z));
  };
}

function runPoly(c: PolyCase, work: TensorWork, K: number, order: number) {
  const q = createQ(16);
  const x = Int32Array.from(c.z0, (z) => z << c.s);
  const dirs = new Int32Array(K * c.n);
  for (let k = 0; k < K; k++) for (let j = 0; j < c.n; j++) dirs[k * c.n + j] = c.v[k][j] * q.one;
  const step = new Int32Array(K).fill(1 << c.s);
  const status = finiteDifferences(q, work, polyF(c), x, dirs, null, K, step, order);
  return { q, x, status };
}

describe('finiteDifferences: exactness on polynomials', () => {
  it('every entry equals the BigInt forward difference; order d equals the analytic derivative; higher orders are 0', () => {
    const rng = new Rng(0x7e50a);
    const n = 4;
    const work = createTensorWork(n, 4, 5);
    let checked = 0;
    for (let deg = 1; deg <= 5; deg++) {
      for (let trial = 0; trial < 12; trial++) {
        const K = rng.range(1, 4);
        const v = Array.from({ length: K }, (_, k): number[] => {
          // Axis directions first, then random integer vectors (entries -1..1, nonzero).
          if (trial < 4) return Array.from({ length: n }, (_, j) => (j === (k + trial) % n ? 1 : 0));
          const r = Array.from({ length: n }, () => rng.range(-1, 1));
          if (!r.some((e) => e !== 0)) r[k % n] = 1;
          return r;
        });
        const c: PolyCase = {
          n,
          s: 8,
          polys: Array.from({ length: n }, () => randomPoly(rng, n, deg, 6, 20)),
          z0: Array.from({ length: n }, () => rng.range(-3, 3)),
          v,
        };
        const { q, x, status } = runPoly(c, work, K, 5);
        expect(status).toBe(TensorStatus.OK);
        expect(q.flags).toBe(0);
        expect(work.evaluations).toBe(binomial(K + 5, 5));
        expect(Array.from(x)).toEqual(c.z0.map((z) => z << 8)); // x untouched
        const z0 = c.z0.map(BigInt);
        for (let d = 0; d <= 5; d++) {
          for (const ks of multisets(K, d)) {
            const p = packedIndex(work, ks, d);
            for (let i = 0; i < n; i++) {
              const got = work.values[p * n + i];
              const want = forwardDifference((z) => evalPoly(c.polys[i], z), z0, v, ks);
              expect(got, `deg ${deg} K ${K} entry [${ks}] component ${i}`).toBe(Number(want));
              if (d === deg) {
                // Analytic: D_{v_k1} ... D_{v_kd} P_i, a constant.
                let dp = c.polys[i];
                for (const k of ks) dp = derive(dp, v[k]);
                expect(got).toBe(Number(evalPoly(dp, z0)));
              }
              if (d > deg) expect(got).toBe(0);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('c z^d along an axis gives d! c at order d (h^d in real units), for d = 1..5', () => {
    const work = createTensorWork(2, 2, 5);
    for (let d = 1; d <= 5; d++) {
      const cz = -7;
      const poly: Poly = { terms: [{ c: BigInt(cz), e: [d, 0] }, { c: 3n, e: [0, 1] }] };
      const c: PolyCase = { n: 2, s: 8, polys: [poly, poly], z0: [2, -1], v: [[1, 0]] };
      const { status } = runPoly(c, work, 1, 5);
      expect(status).toBe(TensorStatus.OK);
      let fact = 1;
      for (let i = 2; i <= d; i++) fact *= i;
      expect(work.values[pureIndex(work, 0, d) * 2]).toBe(fact * cz);
      for (let e = d + 1; e <= 5; e++) expect(work.values[pureIndex(work, 0, e) * 2]).toBe(0);
    }
  });

  it('is exact for F values over the whole int32 range (no intermediate overflow)', () => {
    // F = (2^30 + 1000 z^3, -2^30 - 2^27 z_1): partial sums of the stencil exceed int32, the differences do not.
    const work = createTensorWork(2, 2, 4);
    const q = createQ(16);
    const F = (out: Int32Array, x: Int32Array) => {
      const z = x[0] >> 8;
      out[0] = (1 << 30) + 1000 * z * z * z;
      out[1] = -(1 << 30) - (1 << 27) * (x[1] >> 8);
    };
    const x = Int32Array.of(0, 0);
    const dirs = Int32Array.of(q.one, 0, 0, q.one);
    expect(finiteDifferences(q, work, F, x, dirs, null, 2, Int32Array.of(256, 256), 4)).toBe(TensorStatus.OK);
    expect(q.flags).toBe(0);
    const at = (ks: number[], i: number) => work.values[packedIndex(work, ks, ks.length) * 2 + i];
    expect(at([], 0)).toBe(1 << 30);
    expect(at([0], 0)).toBe(1000);
    expect(at([0, 0, 0], 0)).toBe(6000);
    expect(at([0, 0, 0, 0], 0)).toBe(0);
    expect(at([1], 1)).toBe(-(1 << 27));
    expect(at([1, 1], 1)).toBe(0);
  });

  it('saturates a difference that leaves int32, with the flag and status', () => {
    const work = createTensorWork(1, 1, 2);
    const q = createQ(16);
    q.flags = Flag.DIV_ZERO; // an earlier flag is kept
    const F = (out: Int32Array, x: Int32Array) => {
      out[0] = x[0] === 0 ? INT32_MIN : INT32_MAX;
    };
    const status = finiteDifferences(q, work, F, Int32Array.of(0), Int32Array.of(q.one), null, 1, Int32Array.of(256), 2);
    expect(status).toBe(TensorStatus.SATURATED);
    expect(q.flags).toBe(Flag.DIV_ZERO | Flag.SATURATED);
    expect(work.values[1]).toBe(INT32_MAX); // 2^32 - 1
    expect(work.values[2]).toBe(INT32_MIN); // INT32_MAX - 2 INT32_MAX + INT32_MIN = -2^32 + 1
  });

  it('saturates stencil points that leave int32', () => {
    const work = createTensorWork(1, 1, 1);
    const q = createQ(16);
    const seen: number[] = [];
    const F = (out: Int32Array, x: Int32Array) => {
      seen.push(x[0]);
      out[0] = 0;
    };
    const status = finiteDifferences(q, work, F, Int32Array.of(INT32_MAX - 10), Int32Array.of(q.one), null, 1, Int32Array.of(256), 1);
    expect(status).toBe(TensorStatus.SATURATED);
    expect(seen).toEqual([INT32_MAX - 10, INT32_MAX]);
  });

  it('refuses K or order out of range without writing anything', () => {
    const work = createTensorWork(2, 2, 3);
    const q = createQ(16);
    const F = () => {
      throw new Error('F must not be called');
    };
    const x = new Int32Array(2);
    const dirs = new Int32Array(6);
    const step = Int32Array.of(1, 1, 1);
    for (const [K, order] of [
      [0, 1],
      [3, 1],
      [1, 0],
      [1, 4],
      [1.5, 1],
    ]) {
      expect(finiteDifferences(q, work, F, x, dirs, null, K, step, order)).toBe(TensorStatus.BAD_ARGUMENT);
    }
    expect(q.flags).toBe(0);
    expect(work.lastK).toBe(0);
  });

  it('rows select directions from a facet table (the same result as gathered rows)', () => {
    const rng = new Rng(77);
    const n = 5;
    const q = createQ(16);
    const A = Int32Array.from({ length: 4 * n }, () => rng.range(-q.one, q.one));
    const F = (out: Int32Array, x: Int32Array) => {
      for (let i = 0; i < n; i++) out[i] = ((x[i] >> 4) * ((x[(i + 1) % n] >> 12) | 1)) | 0;
    };
    const x = Int32Array.from({ length: n }, () => rng.range(-1 << 18, 1 << 18));
    const step = Int32Array.of(300, 500);
    const a = createTensorWork(n, 3, 3);
    const b = createTensorWork(n, 3, 3);
    const rows = Int32Array.of(3, 1);
    const gathered = Int32Array.from([...A.subarray(3 * n, 4 * n), ...A.subarray(n, 2 * n)]);
    expect(finiteDifferences(q, a, F, x, A, rows, 2, step, 3)).toBe(TensorStatus.OK);
    expect(finiteDifferences(q, b, F, x, gathered, null, 2, step, 3)).toBe(TensorStatus.OK);
    expect(Array.from(a.values.subarray(0, stencilPoints(a, 2, 3) * n))).toEqual(Array.from(b.values.subarray(0, stencilPoints(b, 2, 3) * n)));
    expect(a.evaluations).toBe(10);
  });

  it('hands F the same two workspace buffers on every call (nothing made per call)', () => {
    const work = createTensorWork(3, 3, 3);
    const q = createQ(16);
    const outs = new Set<Int32Array>();
    const xs = new Set<Int32Array>();
    const F = (out: Int32Array, x: Int32Array) => {
      outs.add(out);
      xs.add(x);
      out.fill(1);
    };
    const dirs = new Int32Array(9).fill(q.one);
    for (let r = 0; r < 5; r++) finiteDifferences(q, work, F, new Int32Array(3), dirs, null, 3, Int32Array.of(1, 2, 3), 3);
    expect([...outs]).toEqual([work.fout]);
    expect([...xs]).toEqual([work.point]);
  });
});

describe('differenceToDerivative', () => {
  /** RNE(num / den) for BigInt, den > 0. */
  function rne(num: bigint, den: bigint): bigint {
    const neg = num < 0n;
    const a = neg ? -num : num;
    let qt = a / den;
    const r2 = 2n * (a % den);
    if (r2 > den || (r2 === den && (qt & 1n) === 1n)) qt += 1n;
    return neg ? -qt : qt;
  }

  it('matches RNE(diff 2^(f d) / prod h) exactly (BigInt reference) or flags', () => {
    const rng = new Rng(0xd1ff);
    const n = 3;
    let compared = 0;
    for (let trial = 0; trial < 60; trial++) {
      const f = [8, 12, 16, 20, 24][trial % 5];
      const q = createQ(f);
      const K = rng.range(1, 3);
      const work = createTensorWork(n, 3, 5);
      const F = (out: Int32Array, x: Int32Array) => {
        for (let i = 0; i < n; i++) {
          const t = (x[i] >> 3) ^ (x[(i + 1) % n] >> 7);
          out[i] = ((t * 2654435761) | 0) >> rng.range(0, 20);
        }
      };
      const dirs = Int32Array.from({ length: K * n }, () => rng.range(-q.one, q.one));
      const step = Int32Array.from({ length: K }, () => (rng.range(0, 1) ? rng.range(1, 1 << 18) : 1 << rng.range(0, 20)));
      const x = Int32Array.from({ length: n }, () => rng.range(-1 << 20, 1 << 20));
      finiteDifferences(q, work, F, x, dirs, null, K, step, 5);
      for (let d = 0; d <= 5; d++) {
        for (const ks of multisets(K, d)) {
          const p = packedIndex(work, ks, d);
          for (let j = 0; j < n; j++) {
            q.flags = 0;
            const got = differenceToDerivative(q, work, p, j);
            const diff = BigInt(work.values[p * n + j]);
            const den = ks.reduce((acc, k) => acc * BigInt(step[k]), 1n);
            const exact = rne(diff << BigInt(f * d), den);
            if (q.flags & Flag.DOMAIN) {
              expect(got).toBe(0);
            } else if (exact > BigInt(INT32_MAX) || exact < BigInt(INT32_MIN)) {
              expect(q.flags).toBe(Flag.SATURATED);
              expect(got).toBe(exact > 0n ? INT32_MAX : INT32_MIN);
            } else {
              expect(q.flags, `f ${f} [${ks}] diff ${diff} den ${den}`).toBe(0);
              expect(got).toBe(Number(exact));
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('gives the Q derivative of a lattice polynomial: F = c X^2 (real) has F" = 2c', () => {
    // x = 2^8 z in Q16, so X = z / 2^8 and F(x) = c z^2 (raw) = c 2^16 X^2 / 2^16... in Q16: value c X^2 * 2^16 / 2^16.
    const work = createTensorWork(1, 1, 3);
    const q = createQ(16);
    const c = 5;
    const F = (out: Int32Array, x: Int32Array) => {
      const z = x[0] >> 8;
      out[0] = c * z * z;
    };
    finiteDifferences(q, work, F, Int32Array.of(3 << 8), Int32Array.of(q.one), null, 1, Int32Array.of(256), 3);
    expect(work.values[pureIndex(work, 0, 2)]).toBe(2 * c);
    expect(differenceToDerivative(q, work, pureIndex(work, 0, 2), 0)).toBe(2 * c * q.one);
    expect(differenceToDerivative(q, work, pureIndex(work, 0, 3), 0)).toBe(0);
    expect(q.flags).toBe(0);
    // An entry beyond the last call's order, or no call at all: DOMAIN.
    const fresh = createTensorWork(1, 1, 3);
    expect(differenceToDerivative(q, fresh, 1, 0)).toBe(0);
    expect(q.flags).toBe(Flag.DOMAIN);
  });
});
