/**
 * The exact matrix-vector kernel against a BigInt reference: the exact sum,
 * offset, rounded once (RNE) and saturated, with the flag. Random and edge
 * entries (the whole int32 range, INT32_MIN included), every shift 0..63,
 * every Q format's f, long rows (several 16-term blocks), aliasing.
 */
import { describe, expect, it } from 'vitest';
import { createQ, Flag, F_MAX, F_MIN } from '../../src/fixed/q.js';
import { createMatrix, dot, dotAffine, LINALG_N_MAX, matVec, matVecAffine, refreshMatrix } from '../../src/linalg/matvec.js';
import { PURITY } from '../helpers/budget.js';
import { INT32_EDGES } from '../helpers/edges.js';
import { rneShift, sat } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

/** Reference: sat(RNE(c + sign * sum / 2^s)) with its flags. */
function refRow(a: ArrayLike<number>, aOff: number, x: ArrayLike<number>, xOff: number, n: number, s: number, c: number, sign: number) {
  let sum = 0n;
  for (let j = 0; j < n; j++) sum += BigInt(a[aOff + j]) * BigInt(x[xOff + j]);
  return sat(rneShift(BigInt(c) * (1n << BigInt(s)) + BigInt(sign) * sum, s));
}

const MIN = -0x7fffffff - 1;
const MAX = 0x7fffffff;

/** An entry: full-range, wide-magnitude, an edge, or an extreme, so that sums reach saturation. */
function entry(rng: Rng): number {
  const k = rng.range(0, 9);
  if (k < 3) return rng.int32();
  if (k < 6) return rng.wide();
  if (k < 8) return INT32_EDGES[rng.range(0, INT32_EDGES.length - 1)];
  return rng.range(0, 1) ? MAX : MIN;
}

describe('matVec / matVecAffine', () => {
  it('equals the BigInt reference on random matrices, every s in 0..63', () => {
    const rng = new Rng(0x1234567);
    const q = createQ(16);
    const cases = PURITY ? 300 : 4000;
    for (let t = 0; t < cases; t++) {
      const m = rng.range(1, 6);
      const n = t % 50 === 0 ? rng.range(17, 80) : rng.range(1, 20);
      const a = new Int32Array(m * n).map(() => entry(rng));
      const x = new Int32Array(n).map(() => entry(rng));
      const c = new Int32Array(m).map(() => entry(rng));
      const M = createMatrix(m, n, a);
      const s = rng.range(0, 63);
      const sign = rng.range(0, 1) ? 1 : -1;
      const out = new Int32Array(m);
      q.flags = 0;
      matVecAffine(q, out, M, x, s, c, sign);
      let flags = 0;
      for (let i = 0; i < m; i++) {
        const r = refRow(a, i * n, x, 0, n, s, c[i], sign);
        flags |= r.flags;
        if (out[i] !== r.value) expect({ t, i, m, n, s, sign, got: out[i] }).toEqual({ t, i, m, n, s, sign, got: r.value });
      }
      expect(q.flags).toBe(flags);
      // matVec is the affine form with no offset.
      q.flags = 0;
      matVec(q, out, M, x, s);
      for (let i = 0; i < m; i++) expect(out[i]).toBe(refRow(a, i * n, x, 0, n, s, 0, 1).value);
    }
  });

  it('is exact at the extremes: all entries INT32_MIN or INT32_MAX, max length', () => {
    const q = createQ(16);
    for (const n of [1, 15, 16, 17, 31, 32, 33, 255, 256, 257, LINALG_N_MAX]) {
      for (const [av, xv] of [
        [MIN, MIN],
        [MIN, MAX],
        [MAX, MAX],
        [MAX, MIN],
      ]) {
        const a = new Int32Array(n).fill(av);
        const x = new Int32Array(n).fill(xv);
        const M = createMatrix(1, n, a);
        const out = new Int32Array(1);
        for (const s of [0, 1, 31, 62, 63]) {
          for (const sign of [1, -1]) {
            q.flags = 0;
            matVecAffine(q, out, M, x, s, Int32Array.of(av), sign);
            const r = refRow(a, 0, x, 0, n, s, av, sign);
            expect([n, av, xv, s, sign, out[0], q.flags]).toEqual([n, av, xv, s, sign, r.value, r.flags]);
          }
        }
      }
    }
  });

  it('rounds ties to even and crosses zero without -0', () => {
    const q = createQ(16);
    // 1 x 1 products: a * x / 2^s with exact halves.
    const M = createMatrix(1, 1, Int32Array.of(1));
    const out = new Int32Array(1);
    const cases: [number, number, number][] = [
      [1, 1, 0], [3, 1, 2], [5, 1, 2], [-1, 1, 0], [-3, 1, 2], [-5, 1, 2], [1, 0, 0], [-1, 0, 0],
      [0, 0, 0], [0, 5, 1], [-2, -3, 0],
    ];
    for (const [xv, cv, s] of cases) {
      for (const sign of [1, -1]) {
        matVecAffine(q, out, M, Int32Array.of(xv), s, Int32Array.of(cv), sign);
        const r = refRow([1], 0, [xv], 0, 1, s, cv, sign);
        expect(out[0]).toBe(r.value);
        expect(Object.is(out[0], -0)).toBe(false);
      }
    }
  });

  it('every Q format: A x / 2^f against the reference', () => {
    const rng = new Rng(99);
    for (let f = F_MIN; f <= F_MAX; f++) {
      const q = createQ(f);
      for (let t = 0; t < (PURITY ? 10 : 100); t++) {
        const m = rng.range(1, 8);
        const n = rng.range(1, 16);
        const a = new Int32Array(m * n).map(() => rng.wide());
        const x = new Int32Array(n).map(() => rng.wide());
        const M = createMatrix(m, n, a);
        const out = new Int32Array(m);
        matVec(q, out, M, x, f);
        for (let i = 0; i < m; i++) expect(out[i]).toBe(refRow(a, i * n, x, 0, n, f, 0, 1).value);
      }
    }
  });

  it('allows out to alias x and c', () => {
    const rng = new Rng(5);
    const q = createQ(16);
    for (let t = 0; t < 50; t++) {
      const n = rng.range(1, 20);
      const a = new Int32Array(n * n).map(() => rng.wide());
      const x = new Int32Array(n).map(() => rng.wide());
      const c = new Int32Array(n).map(() => rng.wide());
      const M = createMatrix(n, n, a);
      const sep = new Int32Array(n);
      matVecAffine(q, sep, M, x, 16, c, -1);
      const xa = x.slice();
      matVecAffine(q, xa, M, xa, 16, c, -1);
      expect(xa).toEqual(sep);
      const ca = c.slice();
      matVecAffine(q, ca, M, x, 16, ca, -1);
      expect(ca).toEqual(sep);
    }
  });

  it('refreshMatrix tracks edited entries; createMatrix names bad fields', () => {
    const q = createQ(16);
    const M = createMatrix(2, 3);
    M.a.set([1 << 16, 2 << 16, MIN, MAX, -5, 7]);
    refreshMatrix(M);
    const x = Int32Array.of(3 << 16, -(1 << 16), 12345);
    const out = new Int32Array(2);
    matVec(q, out, M, x, 16);
    for (let i = 0; i < 2; i++) expect(out[i]).toBe(refRow(M.a, i * 3, x, 0, 3, 16, 0, 1).value);
    expect(() => createMatrix(0, 3)).toThrow(/m must be/);
    expect(() => createMatrix(2, LINALG_N_MAX + 1)).toThrow(/n must be/);
    expect(() => createMatrix(2, 3, new Int32Array(5))).toThrow(/a must be an Int32Array of m \* n = 6/);
  });
});

describe('dot / dotAffine', () => {
  it('equals the BigInt reference with offsets, random and edge entries', () => {
    const rng = new Rng(777);
    const q = createQ(16);
    const cases = PURITY ? 1000 : 20000;
    for (let t = 0; t < cases; t++) {
      const n = t % 100 === 0 ? rng.range(17, 300) : rng.range(1, 24);
      const aOff = rng.range(0, 3);
      const xOff = rng.range(0, 3);
      const a = new Int32Array(n + aOff).map(() => entry(rng));
      const x = new Int32Array(n + xOff).map(() => entry(rng));
      const s = rng.range(0, 63);
      const c = entry(rng);
      const sign = rng.range(0, 1) ? 1 : -1;
      q.flags = 0;
      const got = dotAffine(q, a, aOff, x, xOff, n, s, c, sign);
      const r = refRow(a, aOff, x, xOff, n, s, c, sign);
      if (got !== r.value || q.flags !== r.flags) expect({ t, got, flags: q.flags }).toEqual({ t, got: r.value, flags: r.flags });
      q.flags = 0;
      expect(dot(q, a, aOff, x, xOff, n, s)).toBe(refRow(a, aOff, x, xOff, n, s, 0, 1).value);
    }
  });

  it('saturates with the flag and returns INT32_MIN exactly when representable', () => {
    const q = createQ(16);
    // (-2^31) * 1 / 2^0 = INT32_MIN, no flag; (-2^31) * (-1) = 2^31, saturated.
    q.flags = 0;
    expect(dot(q, Int32Array.of(MIN), 0, Int32Array.of(1), 0, 1, 0)).toBe(MIN);
    expect(q.flags).toBe(0);
    expect(dot(q, Int32Array.of(MIN), 0, Int32Array.of(-1), 0, 1, 0)).toBe(MAX);
    expect(q.flags).toBe(Flag.SATURATED);
  });
});
