/** The level schedule (shifts, minimum 1, monotone) and frozen axes. */
import { describe, expect, it } from 'vitest';
import {
  CaqClass,
  NO_FACET,
  STEP_FROZEN,
  caqAxisSteps,
  caqFacetStable,
  classStep,
  createCaqState,
  scheduleStep,
} from '../../src/caq/index.js';
import { Flag, createQ } from '../../src/fixed/q.js';
import { rneShift } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';
import { MAX, Q16, params } from './fixtures.js';

const { MID, TRUSTED, VOLATILE, FOSSILIZED } = CaqClass;

describe('scheduleStep', () => {
  it('hand-worked: Delta^(l) = max(1, RNE(Delta^(0) / 2^(s l)))', () => {
    expect([0, 1, 2, 3, 4].map((l) => scheduleStep(1024, 2, l))).toEqual([1024, 256, 64, 16, 4]);
    expect([0, 1, 2, 3].map((l) => scheduleStep(3, 1, l))).toEqual([3, 2, 1, 1]); // 1.5 -> 2 (even), 0.75 -> 1
    expect([0, 1, 2].map((l) => scheduleStep(5, 1, l))).toEqual([5, 2, 1]); // 2.5 -> 2 (even), 1.25 -> 1
    expect(scheduleStep(6, 2, 1)).toBe(2); // 1.5 -> 2
    expect(scheduleStep(10, 2, 1)).toBe(2); // 2.5 -> 2
    expect(scheduleStep(MAX, 31, 1)).toBe(1);
    expect(scheduleStep(MAX, 30, 1)).toBe(2);
    expect(scheduleStep(MAX, 1, 31)).toBe(1);
    expect(scheduleStep(MAX, 31, 31)).toBe(1); // s l = 961: no wrap of the shift count
    expect(scheduleStep(7, 0, 31)).toBe(7);
  });

  it('property: equals the BigInt RNE (at least 1), monotone in level and in Delta^(0)', () => {
    const rng = new Rng(0x5c4ed);
    for (let c = 0; c < 200_000; c++) {
      const d0 = rng.range(1, MAX);
      const s = rng.range(0, 31);
      const l = rng.range(0, s === 0 ? 31 : Math.min(31, Math.ceil(34 / s))); // mostly s l <= 34
      const k = s * l;
      const ref = k >= 64 ? 0n : rneShift(BigInt(d0), k);
      const want = ref < 1n ? 1 : Number(ref);
      const got = scheduleStep(d0, s, l);
      if (got !== want) throw new Error(`scheduleStep(${d0}, ${s}, ${l}) = ${got}, want ${want}`);
      if (l > 0 && got > scheduleStep(d0, s, l - 1)) throw new Error(`not monotone in l at ${d0}, ${s}, ${l}`);
      if (d0 > 1 && got < scheduleStep(d0 - 1, s, l)) throw new Error(`not monotone in Delta0 at ${d0}, ${s}, ${l}`);
    }
  });

  it('the state table: min <= mid <= max at every level, non-increasing inward', () => {
    const st = createCaqState(1, 1, 8, params(1, 8, { deltaMin: 3, deltaMid: 100, deltaMax: 5000, scheduleShift: 2 }));
    for (let l = 0; l < 8; l++) {
      const [a, b, c] = [classStep(st, l, TRUSTED), classStep(st, l, MID), classStep(st, l, VOLATILE)];
      expect(a).toBeLessThanOrEqual(b);
      expect(b).toBeLessThanOrEqual(c);
      expect(classStep(st, l, FOSSILIZED)).toBe(a);
      expect(a).toBeGreaterThanOrEqual(1);
      if (l > 0) expect(c).toBeLessThanOrEqual(classStep(st, l - 1, VOLATILE));
    }
    expect(Array.from(st.steps.subarray(0, 9))).toEqual([3, 100, 5000, 1, 25, 1250, 1, 6, 312]);
  });
});

describe('caqAxisSteps', () => {
  it('hand-worked: class steps, frozen axes where the facet is unstable at that depth, fossils and free axes never frozen', () => {
    const q = createQ(16);
    // stableVar: level 0 MAX, level 1 2.0, level 2 1.0
    const st = createCaqState(3, 6, 3, params(3, 3));
    st.axisFacet.set([0, 1, 2, 0, NO_FACET, 2]);
    st.axisClass.set([TRUSTED, MID, VOLATILE, TRUSTED, MID, FOSSILIZED]);
    st.variance.set([Q16 / 2, (3 * Q16) / 2, 3 * Q16]); // facet 2 unstable below level 0, facet 1 below level 1
    expect(caqAxisSteps(q, st, 0)).toBe(0);
    expect(Array.from(st.delta)).toEqual([64, 256, 1024, 64, 256, 64]);
    expect(caqAxisSteps(q, st, 1)).toBe(1);
    expect(Array.from(st.delta)).toEqual([32, 128, STEP_FROZEN, 32, 128, 32]);
    expect(caqAxisSteps(q, st, 2)).toBe(2);
    expect(Array.from(st.delta)).toEqual([16, STEP_FROZEN, STEP_FROZEN, 16, 64, 16]);
    expect(q.flags).toBe(0);
  });

  it('a level outside 0..L is clamped and flagged DOMAIN', () => {
    const q = createQ(16);
    const st = createCaqState(1, 1, 2, params(1, 2));
    st.axisClass[0] = MID;
    expect(caqAxisSteps(q, st, 5)).toBe(0);
    expect(st.delta[0]).toBe(128);
    expect(q.flags).toBe(Flag.DOMAIN);
    q.flags = 0;
    caqAxisSteps(q, st, -1);
    expect(st.delta[0]).toBe(256);
    expect(q.flags).toBe(Flag.DOMAIN);
    q.flags = 0;
    caqAxisSteps(q, st, 0.5);
    expect(st.delta[0]).toBe(256);
    expect(q.flags).toBe(Flag.DOMAIN);
  });

  it('caqFacetStable: the freezing rule per facet; fossils always stable; out of range is not stable', () => {
    const st = createCaqState(2, 1, 3, params(2, 3)); // stableVar MAX, 2.0, 1.0
    st.variance.set([(3 * Q16) / 2, 3 * Q16]);
    expect([0, 1, 2].map((l) => caqFacetStable(st, 0, l))).toEqual([true, true, false]);
    expect([0, 1, 2].map((l) => caqFacetStable(st, 1, l))).toEqual([true, false, false]);
    st.fossil[1] = 1;
    expect(caqFacetStable(st, 1, 2)).toBe(true);
    expect(caqFacetStable(st, 2, 0)).toBe(false);
    expect(caqFacetStable(st, 0, 3)).toBe(false);
    expect(caqFacetStable(st, 0, -1)).toBe(false);
  });
});
