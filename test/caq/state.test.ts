/** createCaqState: validation names the field; the initial state and the step table. */
import { describe, expect, it } from 'vitest';
import { CaqClass, NO_FACET, caqReset, createCaqState, type CaqParams } from '../../src/caq/index.js';
import { MAX, MIN, Q16, params } from './fixtures.js';

describe('createCaqState', () => {
  it('allocates the documented shapes and the initial state', () => {
    const st = createCaqState(3, 4, 2, params(3, 2));
    expect([st.m, st.n, st.levels]).toEqual([3, 4, 2]);
    expect(Array.from(st.mean)).toEqual([0, 0, 0]);
    expect(Array.from(st.variance)).toEqual([8 * Q16, 8 * Q16, 8 * Q16]);
    expect(Array.from(st.axisFacet)).toEqual([NO_FACET, NO_FACET, NO_FACET, NO_FACET]);
    expect(Array.from(st.fossil)).toEqual([0, 0, 0]);
    expect(Array.from(st.facetClass)).toEqual([CaqClass.MID, CaqClass.MID, CaqClass.MID]);
    expect(Array.from(st.delta)).toEqual([256, 256, 256, 256]);
    // levels x [min, mid, max]: level 1 is the level-0 step >> 1
    expect(Array.from(st.steps)).toEqual([64, 256, 1024, 32, 128, 512]);
    expect(st.gardenCountdown).toBe(3);
    expect(st.primed).toBe(0);
  });

  it('caqReset restores the initial running state', () => {
    const st = createCaqState(2, 2, 1, params(2, 1));
    st.mean[0] = 5;
    st.variance[1] = 0;
    st.fossil[0] = 1;
    st.fossilCount[1] = 3;
    st.primed = 1;
    st.gardenCountdown = 1;
    caqReset(st);
    expect(Array.from(st.mean)).toEqual([0, 0]);
    expect(Array.from(st.variance)).toEqual([8 * Q16, 8 * Q16]);
    expect(Array.from(st.fossil)).toEqual([0, 0]);
    expect(Array.from(st.fossilCount)).toEqual([0, 0]);
    expect([st.primed, st.gardenCountdown]).toEqual([0, 3]);
  });

  const bad: [string, () => unknown, RegExp][] = [
    ['m', () => createCaqState(0, 2, 1, params(0, 1)), /caq m:/],
    ['n', () => createCaqState(2, 0x8000, 1, params(2, 1)), /caq n:/],
    ['levels', () => createCaqState(2, 2, 33, params(2, 33)), /caq levels:/],
    ['f', () => createCaqState(2, 2, 1, params(2, 1, { f: 25 })), /caq params\.f:/],
    ['rateShift 0', () => createCaqState(2, 2, 1, params(2, 1, { rateShift: 0 })), /caq params\.rateShift:/],
    ['rateShift f + r > 31', () => createCaqState(2, 2, 1, params(2, 1, { f: 24, rateShift: 8 })), /caq params\.rateShift: .*1\.\.7/],
    ['varInit', () => createCaqState(2, 2, 1, params(2, 1, { varInit: -1 })), /caq params\.varInit:/],
    ['trustVar', () => createCaqState(2, 2, 1, params(2, 1, { trustVar: 0.5 })), /caq params\.trustVar:/],
    ['trustPressure', () => createCaqState(2, 2, 1, params(2, 1, { trustPressure: -1 })), /caq params\.trustPressure:/],
    ['volatileVar < trustVar', () => createCaqState(2, 2, 1, params(2, 1, { volatileVar: 1 })), /caq params\.volatileVar:/],
    ['stableVar length', () => createCaqState(2, 2, 2, params(2, 1)), /caq params\.stableVar: must have length 2/],
    ['stableVar entry', () => createCaqState(2, 2, 1, params(2, 1, { stableVar: [-5] })), /caq params\.stableVar\[0\]:/],
    ['deltaMin', () => createCaqState(2, 2, 1, params(2, 1, { deltaMin: 0 })), /caq params\.deltaMin:/],
    ['deltaMid < deltaMin', () => createCaqState(2, 2, 1, params(2, 1, { deltaMid: 10 })), /caq params\.deltaMid:/],
    ['deltaMax < deltaMid', () => createCaqState(2, 2, 1, params(2, 1, { deltaMax: 100 })), /caq params\.deltaMax:/],
    ['scheduleShift', () => createCaqState(2, 2, 1, params(2, 1, { scheduleShift: 32 })), /caq params\.scheduleShift:/],
    ['fossilVar', () => createCaqState(2, 2, 1, params(2, 1, { fossilVar: MIN })), /caq params\.fossilVar:/],
    ['fossilPressure', () => createCaqState(2, 2, 1, params(2, 1, { fossilPressure: 2 ** 31 })), /caq params\.fossilPressure:/],
    ['fossilSteps', () => createCaqState(2, 2, 1, params(2, 1, { fossilSteps: 0 })), /caq params\.fossilSteps:/],
    ['gardenPeriod', () => createCaqState(2, 2, 1, params(2, 1, { gardenPeriod: 0 })), /caq params\.gardenPeriod:/],
    ['gardenGain', () => createCaqState(2, 2, 1, params(2, 1, { gardenGain: 2 ** 31 })), /caq params\.gardenGain:/],
    ['gardenShift', () => createCaqState(2, 2, 1, params(2, 1, { gardenShift: 32 })), /caq params\.gardenShift:/],
    ['bMin length', () => createCaqState(2, 2, 1, params(2, 1, { bMin: [0] })), /caq params\.bMin: must have length 2/],
    ['bMax entry', () => createCaqState(2, 2, 1, params(2, 1, { bMax: [0, NaN] })), /caq params\.bMax\[1\]:/],
    ['bMax < bMin', () => createCaqState(2, 2, 1, params(2, 1, { bMin: [0, 5], bMax: [0, 4] })), /caq params\.bMax\[1\]: must be >= bMin\[1\]/],
    ['missing field', () => createCaqState(2, 2, 1, { ...params(2, 1), fossilSteps: undefined } as unknown as CaqParams), /caq params\.fossilSteps:/],
  ];
  for (const [name, fn, re] of bad) {
    it(`rejects ${name} with a message naming the field`, () => {
      expect(fn).toThrow(RangeError);
      expect(fn).toThrow(re);
    });
  }

  it('accepts the extremes of every range', () => {
    expect(() =>
      createCaqState(1, 1, 32, params(1, 32, { f: 8, rateShift: 15, varInit: MAX, trustVar: 0, volatileVar: 0, deltaMin: MAX, deltaMid: MAX, deltaMax: MAX, scheduleShift: 31, gardenGain: MIN, gardenShift: 31, bMin: [MIN], bMax: [MAX] })),
    ).not.toThrow();
  });
});
