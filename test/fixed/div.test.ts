import { describe, expect, it } from 'vitest';
import { div, divRound, mulDiv } from '../../src/fixed/div.js';
import { createQ, F_MAX, F_MIN, Flag, INT32_MAX, INT32_MIN } from '../../src/fixed/q.js';
import { RANDOM_CASES } from '../helpers/budget.js';
import { INT32_EDGES, tiesFor } from '../helpers/edges.js';
import { Mismatches, ref } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

/** Random operand: half by bit length (`wide`), half uniform int32. */
function operand(rng: Rng, i: number): number {
  return i & 1 ? rng.wide() : rng.int32();
}

/** A random value in [1, 2^bits), bits >= 1. */
function positive(rng: Rng, bits: number): number {
  return rng.range(1, 2 ** bits - 1);
}

const signed = (rng: Rng, v: number) => (rng.int32() & 1 ? v : -v);

describe('div: RNE(a * 2^f / b) against BigInt', () => {
  it('all pairs of edge inputs (and ties), every f in 8..24', () => {
    const m = new Mismatches();
    for (let f = F_MIN; f <= F_MAX; f++) {
      const q = createQ(f);
      const xs = [...INT32_EDGES, ...tiesFor(f), 1 << f, -(1 << f)];
      for (const a of xs) {
        for (const b of xs) {
          q.flags = 0;
          m.check(`div f=${f}`, [a, b], div(q, a, b), q.flags, ref.div(f, a, b));
        }
      }
    }
    expect(m.first).toEqual([]);
  });

  it('exact ties: a = m (2k + 1), b = m 2^(f+1)', () => {
    const m = new Mismatches();
    const rng = new Rng(0xd1e);
    for (let f = F_MIN; f <= F_MAX; f++) {
      const q = createQ(f);
      for (let i = 0; i < 3000; i++) {
        const mm = positive(rng, rng.range(1, 30 - f));
        const k = rng.range(0, Math.floor((INT32_MAX / mm - 1) / 2));
        const a = signed(rng, mm * (2 * k + 1));
        const b = signed(rng, mm * 2 ** (f + 1));
        q.flags = 0;
        m.check(`div f=${f}`, [a, b], div(q, a, b), q.flags, ref.div(f, a, b));
      }
    }
    expect(m.first).toEqual([]);
  });

  it(`${RANDOM_CASES} random cases over every f`, () => {
    const qs = [];
    for (let f = F_MIN; f <= F_MAX; f++) qs.push(createQ(f));
    const m = new Mismatches();
    const rng = new Rng(0xd17);
    for (let i = 0; i < RANDOM_CASES; i++) {
      const q = qs[i % qs.length];
      const a = operand(rng, i);
      const b = operand(rng, i >> 1);
      q.flags = 0;
      m.check(`div f=${q.f}`, [a, b], div(q, a, b), q.flags, ref.div(q.f, a, b));
    }
    expect(m.first).toEqual([]);
  });

  it('division by zero: DIV_ZERO only, toward the sign of the dividend', () => {
    const q = createQ();
    expect([div(q, 5, 0), div(q, -5, 0), div(q, 0, 0)]).toEqual([INT32_MAX, INT32_MIN, 0]);
    expect(q.flags).toBe(Flag.DIV_ZERO);
  });
});

describe('divRound: RNE(a / b) against BigInt', () => {
  it('all pairs of edge inputs', () => {
    const q = createQ();
    const m = new Mismatches();
    for (const a of INT32_EDGES) {
      for (const b of INT32_EDGES) {
        q.flags = 0;
        m.check('divRound', [a, b], divRound(q, a, b), q.flags, ref.divRound(a, b));
      }
    }
    expect(m.first).toEqual([]);
  });

  it(`exact ties and ${RANDOM_CASES} random cases`, () => {
    const q = createQ();
    const m = new Mismatches();
    const rng = new Rng(0xd1f);
    for (let i = 0; i < 100_000; i++) {
      // a = m (2k + 1), b = 2m: a / b = k + 1/2.
      const mm = positive(rng, rng.range(1, 30));
      const k = rng.range(0, Math.floor((INT32_MAX / mm - 1) / 2));
      const a = signed(rng, mm * (2 * k + 1));
      const b = signed(rng, 2 * mm);
      q.flags = 0;
      m.check('divRound', [a, b], divRound(q, a, b), q.flags, ref.divRound(a, b));
    }
    for (let i = 0; i < RANDOM_CASES; i++) {
      const a = operand(rng, i);
      const b = operand(rng, i >> 1);
      q.flags = 0;
      m.check('divRound', [a, b], divRound(q, a, b), q.flags, ref.divRound(a, b));
    }
    expect(m.first).toEqual([]);
    expect([7, 5, -5, -7, 1, -1].map((a) => divRound(q, a, 2))).toEqual([4, 2, -2, -4, 0, 0]);
  });
});

describe('mulDiv: RNE(a * b / c) against BigInt', () => {
  it('all triples of edge inputs', () => {
    const q = createQ();
    const m = new Mismatches();
    for (const a of INT32_EDGES) {
      for (const b of INT32_EDGES) {
        for (const c of INT32_EDGES) {
          q.flags = 0;
          m.check('mulDiv', [a, b, c], mulDiv(q, a, b, c), q.flags, ref.mulDiv(a, b, c));
        }
      }
    }
    expect(m.first).toEqual([]);
  });

  it(`exact ties and ${RANDOM_CASES} random cases`, () => {
    const q = createQ();
    const m = new Mismatches();
    const rng = new Rng(0x3d1);
    for (let i = 0; i < 100_000; i++) {
      // a = m (2k + 1), c = 2m, b odd: a * b / c = (2k + 1) b / 2, a tie.
      const mm = positive(rng, rng.range(1, 30));
      const k = rng.range(0, Math.floor((INT32_MAX / mm - 1) / 2));
      const a = signed(rng, mm * (2 * k + 1));
      const b = operand(rng, i) | 1;
      const c = signed(rng, 2 * mm);
      q.flags = 0;
      m.check('mulDiv', [a, b, c], mulDiv(q, a, b, c), q.flags, ref.mulDiv(a, b, c));
    }
    for (let i = 0; i < RANDOM_CASES; i++) {
      const a = operand(rng, i);
      const b = operand(rng, i >> 1);
      const c = operand(rng, i >> 2);
      q.flags = 0;
      m.check('mulDiv', [a, b, c], mulDiv(q, a, b, c), q.flags, ref.mulDiv(a, b, c));
    }
    expect(m.first).toEqual([]);
  });

  it('saturation boundary: exactly -2^31 is INT32_MIN without a flag', () => {
    const q = createQ();
    expect(mulDiv(q, INT32_MIN, INT32_MIN, INT32_MIN)).toBe(INT32_MIN);
    expect(mulDiv(q, INT32_MIN, INT32_MAX, INT32_MAX)).toBe(INT32_MIN);
    expect(q.flags).toBe(0);
    expect(mulDiv(q, INT32_MIN, INT32_MIN, INT32_MAX)).toBe(INT32_MAX);
    expect(q.flags).toBe(Flag.SATURATED);
    expect(mulDiv(createQ(), 0, -3, 0)).toBe(0);
  });
});
