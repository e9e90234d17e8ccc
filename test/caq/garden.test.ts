/** Survival gardening: the period, the exact RNE step, clamps, and fossils that never move. */
import { describe, expect, it } from 'vitest';
import { caqGarden, caqGardenApply, caqStep, CaqStepResult, createCaqState } from '../../src/caq/index.js';
import { Flag, createQ } from '../../src/fixed/q.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { MAX, MIN, Q16, params, refGarden } from './fixtures.js';

describe('caqGarden', () => {
  it('hand-worked: every T_garden calls, b += RNE(gain u / 2^shift), clamped, fossils untouched', () => {
    const q = createQ(16);
    // gain 0.5 (Q16), shift 16, period 3, clamp [-10, 10]
    const st = createCaqState(4, 1, 1, params(4, 1));
    const b = Int32Array.of(0, 9 * Q16, 0, 50 * Q16);
    const u = Int32Array.of(2 * Q16, 4 * Q16, 3, 2 * Q16);
    st.fossil[3] = 1;
    expect(caqGarden(q, st, b, u)).toBe(false);
    expect(caqGarden(q, st, b, u)).toBe(false);
    expect(Array.from(b)).toEqual([0, 9 * Q16, 0, 50 * Q16]);
    expect(caqGarden(q, st, b, u)).toBe(true);
    // +1.0; 9 + 2 clamped to 10; RNE(1.5 units) = 2 units; the fossil stays outside its clamp
    expect(Array.from(b)).toEqual([Q16, 10 * Q16, 2, 50 * Q16]);
    expect(caqGarden(q, st, b, u)).toBe(false);
    expect(caqGarden(q, st, b, u)).toBe(false);
    expect(caqGarden(q, st, b, u)).toBe(true);
    expect(Array.from(b)).toEqual([2 * Q16, 10 * Q16, 4, 50 * Q16]);
    expect(q.flags).toBe(0);
  });

  it(`property: random offsets, pressures, gains and clamps equal the BigInt reference; clamps hold; fossils never move`, () => {
    const rng = new Rng(0x6a4de7);
    const q = createQ(16);
    for (let run = 0; run < (PURITY ? 2_000 : 30_000); run++) {
      const m = rng.range(1, 8);
      const lo: number[] = [];
      const hi: number[] = [];
      for (let i = 0; i < m; i++) {
        const a = rng.wide();
        const c = rng.wide();
        lo.push(Math.min(a, c));
        hi.push(Math.max(a, c));
      }
      const gain = rng.wide();
      const shift = rng.range(0, 31);
      const st = createCaqState(m, 1, 1, params(m, 1, { gardenGain: gain, gardenShift: shift, bMin: lo, bMax: hi }));
      const b = new Int32Array(m);
      const u = new Int32Array(m);
      for (let i = 0; i < m; i++) {
        b[i] = rng.wide();
        u[i] = rng.range(0, 5) === 0 ? 0 : rng.wide();
        st.fossil[i] = rng.range(0, 4) === 0 ? 1 : 0;
      }
      const before = Array.from(b);
      q.flags = 0;
      caqGardenApply(q, st, b, u);
      let flags = 0;
      for (let i = 0; i < m; i++) {
        if (st.fossil[i]) {
          if (b[i] !== before[i]) throw new Error(`fossil ${i} moved`);
          continue;
        }
        const [want, fl] = refGarden(before[i], u[i], gain, shift, lo[i], hi[i]);
        flags |= fl;
        if (b[i] !== want) throw new Error(`run ${run} facet ${i}: b ${before[i]} u ${u[i]} gain ${gain} >> ${shift} in [${lo[i]}, ${hi[i]}]: got ${b[i]}, want ${want}`);
        if (b[i] < lo[i] || b[i] > hi[i]) throw new Error('clamp broken');
      }
      expect(q.flags).toBe(flags);
    }
  });

  it('the sum past int32 is clamped exactly without a flag; a step past int32 saturates with SATURATED', () => {
    const q = createQ(16);
    const st = createCaqState(2, 1, 1, params(2, 1, { gardenGain: 1, gardenShift: 0, bMin: [MIN, MIN], bMax: [MAX - 5, 0] }));
    const b = Int32Array.of(MAX - 10, MIN + 3);
    caqGardenApply(q, st, b, Int32Array.of(MAX, MIN));
    expect(Array.from(b)).toEqual([MAX - 5, MIN]);
    expect(q.flags).toBe(0);
    const st2 = createCaqState(1, 1, 1, params(1, 1, { gardenGain: MAX, gardenShift: 0, bMin: [MIN], bMax: [MAX] }));
    const b2 = Int32Array.of(0);
    caqGardenApply(q, st2, b2, Int32Array.of(4));
    expect(b2[0]).toBe(MAX);
    expect(q.flags).toBe(Flag.SATURATED);
  });

  it('caqStep gardens on its period and reports it; fossils keep their offsets through many steps', () => {
    const q = createQ(16);
    const st = createCaqState(2, 2, 1, params(2, 1, { gardenPeriod: 4, fossilSteps: 3, varInit: 0 }));
    const z = Int32Array.of(0, 0);
    const u = Int32Array.of(5 * Q16, 5 * Q16); // facet 0 fossilizes (variance 0, |u| > 4)
    const b = Int32Array.of(Q16, Q16);
    const gardened: number[] = [];
    for (let t = 1; t <= 12; t++) {
      if (t === 2) u[1] = Q16; // facet 1 never qualifies
      const r = caqStep(q, st, z, u, b, 0, t, null, null, null);
      if (r & CaqStepResult.GARDENED) gardened.push(t);
    }
    expect(gardened).toEqual([4, 8, 12]);
    expect(Array.from(st.fossil)).toEqual([1, 0]);
    expect(b[0]).toBe(Q16); // fossilized at step 3, before the first gardening
    expect(b[1]).toBe(Q16 + 3 * (Q16 / 2));
  });
});
