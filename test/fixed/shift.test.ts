import { describe, expect, it } from 'vitest';
import { shl, shr } from '../../src/fixed/shift.js';
import { createQ } from '../../src/fixed/q.js';
import { RANDOM_CASES } from '../helpers/budget.js';
import { INT32_EDGES, tiesFor } from '../helpers/edges.js';
import { Mismatches, ref } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

const q = createQ();

describe('shr: RNE(a / 2^s) and shl: saturating a * 2^s, against BigInt', () => {
  it('edges, ties and their neighbours, every s in 0..31', () => {
    const m = new Mismatches();
    for (let s = 0; s <= 31; s++) {
      const xs = [...INT32_EDGES];
      if (s > 0) for (const t of tiesFor(s)) xs.push(t, t - 1, t + 1);
      // The largest and smallest a that shl can shift without saturating, and their neighbours.
      const lim = 2 ** (31 - s);
      for (const v of [lim, lim - 1, -lim, -lim - 1]) if (v >= -(2 ** 31) && v < 2 ** 31) xs.push(v);
      for (const a of xs) {
        q.flags = 0;
        m.check('shr', [a, s], shr(q, a, s), q.flags, ref.shr(a, s));
        q.flags = 0;
        m.check('shl', [a, s], shl(q, a, s), q.flags, ref.shl(a, s));
      }
    }
    expect(m.first).toEqual([]);
  });

  it(`${RANDOM_CASES} random cases each, random s`, () => {
    const m = new Mismatches();
    const rng = new Rng(0x5f1f7);
    for (let i = 0; i < RANDOM_CASES; i++) {
      const a = i & 1 ? rng.wide() : rng.int32();
      const s = rng.range(0, 31);
      q.flags = 0;
      m.check('shr', [a, s], shr(q, a, s), q.flags, ref.shr(a, s));
      q.flags = 0;
      m.check('shl', [a, s], shl(q, a, s), q.flags, ref.shl(a, s));
    }
    expect(m.first).toEqual([]);
    expect(m.cases).toBe(2 * RANDOM_CASES);
  });

  it('ties to even and no -0', () => {
    q.flags = 0;
    expect([3, 5, -3, -5, 1, -1].map((a) => shr(q, a, 1))).toEqual([2, 2, -2, -2, 0, 0]);
    expect(Object.is(shr(q, -1, 1), 0)).toBe(true);
    expect(Object.is(shr(q, -0x7fffffff - 1, 31), -1)).toBe(true);
    expect(q.flags).toBe(0);
  });
});
