import { describe, expect, it } from 'vitest';
import { abs, add, clamp, fromInt, max, min, neg, sub, toIntRound } from '../../src/fixed/arith.js';
import { createQ, F_MAX, F_MIN, Flag, INT32_MAX, INT32_MIN } from '../../src/fixed/q.js';
import { RANDOM_CASES } from '../helpers/budget.js';
import { INT32_EDGES, tiesFor } from '../helpers/edges.js';
import { Mismatches, ref } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

/** Random operand: half by bit length (`wide`), half uniform int32. */
function operand(rng: Rng, i: number): number {
  return i & 1 ? rng.wide() : rng.int32();
}

const q = createQ();

describe('add / sub against BigInt', () => {
  it('all pairs of edge inputs', () => {
    const m = new Mismatches();
    for (const a of INT32_EDGES) {
      for (const b of INT32_EDGES) {
        q.flags = 0;
        m.check('add', [a, b], add(q, a, b), q.flags, ref.add(a, b));
        q.flags = 0;
        m.check('sub', [a, b], sub(q, a, b), q.flags, ref.sub(a, b));
      }
    }
    expect(m.first).toEqual([]);
  });

  it(`${RANDOM_CASES} random cases each`, () => {
    const m = new Mismatches();
    const rng = new Rng(0xadd);
    for (let i = 0; i < RANDOM_CASES; i++) {
      const a = operand(rng, i);
      const b = operand(rng, i >> 1);
      q.flags = 0;
      m.check('add', [a, b], add(q, a, b), q.flags, ref.add(a, b));
      q.flags = 0;
      m.check('sub', [a, b], sub(q, a, b), q.flags, ref.sub(a, b));
    }
    expect(m.first).toEqual([]);
    expect(m.cases).toBe(2 * RANDOM_CASES);
  });

  it('saturation direction and sticky flag', () => {
    q.flags = 0;
    expect(add(q, INT32_MAX, 1)).toBe(INT32_MAX);
    expect(add(q, 1, 2)).toBe(3);
    expect(q.flags).toBe(Flag.SATURATED);
    expect(sub(createQ(), INT32_MIN, 1)).toBe(INT32_MIN);
    expect(sub(createQ(), 0, INT32_MIN)).toBe(INT32_MAX);
    expect(Object.is(sub(q, 5, 5), 0)).toBe(true);
  });
});

describe('neg / abs / min / max / clamp against BigInt', () => {
  it('edges and random cases', () => {
    const m = new Mismatches();
    const rng = new Rng(0xab5);
    const xs = [...INT32_EDGES];
    for (let i = 0; i < RANDOM_CASES; i++) xs.push(operand(rng, i));
    for (const a of xs) {
      q.flags = 0;
      m.check('neg', [a], neg(q, a), q.flags, ref.neg(a));
      q.flags = 0;
      m.check('abs', [a], abs(q, a), q.flags, ref.abs(a));
    }
    expect(m.first).toEqual([]);
    expect(Object.is(neg(q, 0), 0)).toBe(true);
  });

  it('min, max, clamp: edge triples and random cases', () => {
    const m = new Mismatches();
    for (const a of INT32_EDGES) {
      for (const b of INT32_EDGES) {
        m.check('min', [a, b], min(a, b), 0, ref.min(a, b));
        m.check('max', [a, b], max(a, b), 0, ref.max(a, b));
        for (const c of INT32_EDGES) m.check('clamp', [a, b, c], clamp(a, b, c), 0, ref.clamp(a, b, c));
      }
    }
    const rng = new Rng(0x3a3);
    for (let i = 0; i < RANDOM_CASES; i++) {
      const a = operand(rng, i);
      const b = operand(rng, i >> 1);
      const c = operand(rng, i >> 2);
      m.check('min', [a, b], min(a, b), 0, ref.min(a, b));
      m.check('max', [a, b], max(a, b), 0, ref.max(a, b));
      const lo = b < c ? b : c;
      const hi = b < c ? c : b;
      m.check('clamp', [a, lo, hi], clamp(a, lo, hi), 0, ref.clamp(a, lo, hi));
    }
    expect(m.first).toEqual([]);
  });
});

describe('fromInt / toIntRound against BigInt, every f', () => {
  it('edges, ties and random cases for every f in 8..24', () => {
    const m = new Mismatches();
    const rng = new Rng(0xf1);
    for (let f = F_MIN; f <= F_MAX; f++) {
      const qf = createQ(f);
      const lim = 1 << (31 - f); // fromInt saturates from here on
      const xs = [...INT32_EDGES, ...tiesFor(f), lim, lim - 1, -lim, -lim - 1];
      for (let i = 0; i < RANDOM_CASES / 17; i++) xs.push(operand(rng, i));
      for (const a of xs) {
        qf.flags = 0;
        m.check(`fromInt f=${f}`, [a], fromInt(qf, a), qf.flags, ref.fromInt(f, a));
        qf.flags = 0;
        m.check(`toIntRound f=${f}`, [a], toIntRound(qf, a), qf.flags, ref.toIntRound(f, a));
      }
    }
    expect(m.first).toEqual([]);
  });

  it('ties go to even', () => {
    const q8 = createQ(8);
    expect([0x280, 0x380, -0x280, -0x380, 0x80, -0x80].map((a) => toIntRound(q8, a))).toEqual([2, 4, -2, -4, 0, 0]);
    expect(Object.is(toIntRound(q8, -0x80), 0)).toBe(true);
  });
});
