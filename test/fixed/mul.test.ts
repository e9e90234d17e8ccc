import { describe, expect, it } from 'vitest';
import { mul, mulShift } from '../../src/fixed/mul.js';
import { createQ, F_MAX, F_MIN } from '../../src/fixed/q.js';
import { RANDOM_CASES } from '../helpers/budget.js';
import { INT32_EDGES, tiesFor } from '../helpers/edges.js';
import { Mismatches, ref } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

/** Random operand: half by bit length (`wide`), half uniform int32. */
function operand(rng: Rng, i: number): number {
  return i & 1 ? rng.wide() : rng.int32();
}

describe('mulShift: RNE(a * b / 2^s) against BigInt', () => {
  it('all pairs of edge inputs, every s in 0..31', () => {
    const q = createQ();
    const m = new Mismatches();
    for (let s = 0; s <= 31; s++) {
      for (const a of INT32_EDGES) {
        for (const b of INT32_EDGES) {
          q.flags = 0;
          m.check('mulShift', [a, b, s], mulShift(q, a, b, s), q.flags, ref.mulShift(a, b, s));
        }
      }
    }
    expect(m.first).toEqual([]);
    expect(m.cases).toBe(32 * INT32_EDGES.length ** 2);
  });

  it('exact ties: products whose discarded bits are exactly one half', () => {
    const q = createQ();
    const m = new Mismatches();
    const rng = new Rng(0x51ed);
    for (let s = 1; s <= 31; s++) {
      // a with low s bits = 2^(s-1), times small odd factors.
      for (const a of tiesFor(s)) {
        for (const b of [1, -1, 3, -3, 5, -5]) {
          q.flags = 0;
          m.check('mulShift', [a, b, s], mulShift(q, a, b, s), q.flags, ref.mulShift(a, b, s));
        }
      }
      // b = odd * 2^(s-1), a odd: the product is an odd multiple of 2^(s-1).
      for (let i = 0; i < 2000; i++) {
        const a = operand(rng, i) | 1;
        const b = ((rng.int32() | 1) << (s - 1)) | 0;
        q.flags = 0;
        m.check('mulShift', [a, b, s], mulShift(q, a, b, s), q.flags, ref.mulShift(a, b, s));
      }
    }
    expect(m.first).toEqual([]);
  });

  it('the boundary near -2^31: exactly INT32_MIN is not saturation', () => {
    const q = createQ();
    expect(mulShift(q, -0x7fffffff - 1, 1, 0)).toBe(-0x7fffffff - 1);
    expect(mulShift(q, 0x10000, -0x8000, 0)).toBe(-0x7fffffff - 1);
    expect(mulShift(q, -0x7fffffff - 1, -0x7fffffff - 1, 31)).toBe(0x7fffffff);
    expect(q.flags).toBe(1);
    q.flags = 0;
    expect(mulShift(q, -0x7fffffff - 1, 0x7fffffff, 31)).toBe(-0x7fffffff); // exactly -(2^31 - 1)
    expect(mulShift(q, -0x7fffffff - 1, 0x7fffffff, 30)).toBe(-0x7fffffff - 1);
    expect(q.flags).toBe(1);
    expect(Object.is(mulShift(createQ(), 0, -5, 3), 0)).toBe(true);
  });

  it(`${RANDOM_CASES} random cases (wide and uniform operands, random s)`, () => {
    const q = createQ();
    const m = new Mismatches();
    const rng = new Rng(0x6d756c);
    for (let i = 0; i < RANDOM_CASES; i++) {
      const a = operand(rng, i);
      const b = operand(rng, i >> 1);
      const s = rng.range(0, 31);
      q.flags = 0;
      m.check('mulShift', [a, b, s], mulShift(q, a, b, s), q.flags, ref.mulShift(a, b, s));
    }
    expect(m.first).toEqual([]);
    expect(m.cases).toBe(RANDOM_CASES);
  });
});

describe('mul: RNE(a * b / 2^f) against BigInt', () => {
  it('all pairs of edge inputs and ties, every f in 8..24', () => {
    const m = new Mismatches();
    for (let f = F_MIN; f <= F_MAX; f++) {
      const q = createQ(f);
      const xs = [...INT32_EDGES, ...tiesFor(f)];
      for (const a of xs) {
        for (const b of xs) {
          q.flags = 0;
          m.check(`mul f=${f}`, [a, b], mul(q, a, b), q.flags, ref.mul(f, a, b));
        }
      }
    }
    expect(m.first).toEqual([]);
  });

  it(`${RANDOM_CASES} random cases over every f`, () => {
    const qs = [];
    for (let f = F_MIN; f <= F_MAX; f++) qs.push(createQ(f));
    const m = new Mismatches();
    const rng = new Rng(0x51a7);
    for (let i = 0; i < RANDOM_CASES; i++) {
      const q = qs[i % qs.length];
      const a = operand(rng, i);
      const b = operand(rng, i >> 1);
      q.flags = 0;
      m.check(`mul f=${q.f}`, [a, b], mul(q, a, b), q.flags, ref.mul(q.f, a, b));
    }
    expect(m.first).toEqual([]);
  });

  it('flags are sticky: a later exact op does not clear SATURATED', () => {
    const q = createQ(16);
    mul(q, 0x7fffffff, 0x7fffffff);
    expect(q.flags).toBe(1);
    expect(mul(q, 0x10000, 0x10000)).toBe(0x10000);
    expect(q.flags).toBe(1);
  });
});
