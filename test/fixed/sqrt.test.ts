import { describe, expect, it } from 'vitest';
import { isqrt, sqrt } from '../../src/fixed/sqrt.js';
import { createQ, F_MAX, F_MIN, Flag, INT32_MAX } from '../../src/fixed/q.js';
import { RANDOM_CASES } from '../helpers/budget.js';
import { INT32_EDGES } from '../helpers/edges.js';
import { Mismatches, ref } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

/** Values where rounding flips: k^2, k^2 + k (last one down), k^2 + k + 1 (first one up), +-1. */
function aroundSquares(k: number): number[] {
  const s = k * k;
  return [s - 1, s, s + 1, s + k, s + k + 1].filter((v) => v >= 0 && v <= INT32_MAX);
}

describe('isqrt: round(sqrt(n)) against BigInt', () => {
  it('edges, every rounding boundary up to 46341^2, and random cases', () => {
    const q = createQ();
    const m = new Mismatches();
    const xs = [...INT32_EDGES];
    for (let k = 0; k <= 46341; k++) xs.push(...aroundSquares(k));
    const rng = new Rng(0x5e7);
    for (let i = 0; i < RANDOM_CASES; i++) xs.push(i & 1 ? rng.wide() : rng.int32());
    for (const n of xs) {
      q.flags = 0;
      m.check('isqrt', [n], isqrt(q, n), q.flags, ref.isqrt(n));
    }
    expect(m.first).toEqual([]);
  });

  it('n < 0 is a DOMAIN error returning 0', () => {
    const q = createQ();
    expect(isqrt(q, -1)).toBe(0);
    expect(q.flags).toBe(Flag.DOMAIN);
    expect(isqrt(createQ(), INT32_MAX)).toBe(46341);
  });
});

describe('sqrt: round(sqrt(a * 2^f)) against BigInt, every f', () => {
  it('edges and rounding boundaries for every f in 8..24', () => {
    const m = new Mismatches();
    const rng = new Rng(0x5e8);
    for (let f = F_MIN; f <= F_MAX; f++) {
      const q = createQ(f);
      const xs = [...INT32_EDGES];
      // a * 2^f just below / at / above r^2 + r (the last radicand rounding down).
      for (let i = 0; i < 5000; i++) {
        const r = rng.range(0, 189812531); // up to sqrt(2^55)
        const t = r * r + r; // exact in a double (< 2^56 only for r < 2^27.5)
        const a = Math.floor(t / 2 ** f);
        for (const v of [a - 1, a, a + 1]) if (v >= 0 && v <= INT32_MAX) xs.push(v);
      }
      for (const a of xs) {
        q.flags = 0;
        m.check(`sqrt f=${f}`, [a], sqrt(q, a), q.flags, ref.sqrt(f, a));
      }
    }
    expect(m.first).toEqual([]);
  });

  it(`${RANDOM_CASES} random cases over every f`, () => {
    const qs = [];
    for (let f = F_MIN; f <= F_MAX; f++) qs.push(createQ(f));
    const m = new Mismatches();
    const rng = new Rng(0x5e9);
    for (let i = 0; i < RANDOM_CASES; i++) {
      const q = qs[i % qs.length];
      const a = i & 1 ? rng.wide() : rng.int32();
      q.flags = 0;
      m.check(`sqrt f=${q.f}`, [a], sqrt(q, a), q.flags, ref.sqrt(q.f, a));
    }
    expect(m.first).toEqual([]);
  });

  it('exact squares and DOMAIN', () => {
    const q = createQ(16);
    expect(sqrt(q, 4 << 16)).toBe(2 << 16);
    expect(sqrt(q, 1 << 16)).toBe(1 << 16);
    expect(sqrt(q, -1)).toBe(0);
    expect(q.flags).toBe(Flag.DOMAIN);
  });
});
