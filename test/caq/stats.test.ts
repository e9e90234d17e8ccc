/** caqStatsUpdate: hand-worked EMA, the BigInt reference, and the range properties. */
import { describe, expect, it } from 'vitest';
import { caqStatsUpdate, createCaqState } from '../../src/caq/index.js';
import { Flag, createQ } from '../../src/fixed/q.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { MAX, MIN, Q16, params, refStats } from './fixtures.js';

const CASES = PURITY ? 20_000 : 300_000;

describe('caqStatsUpdate', () => {
  it('hand-worked: r = 2 (alpha = 1/4), Q16.16', () => {
    const q = createQ(16);
    const st = createCaqState(2, 1, 1, params(2, 1, { rateShift: 2, varInit: 0 }));
    caqStatsUpdate(q, st, Int32Array.of(0, 10 * Q16)); // seeds the means
    expect(Array.from(st.mean)).toEqual([0, 10 * Q16]);
    expect(Array.from(st.variance)).toEqual([0, 0]);
    caqStatsUpdate(q, st, Int32Array.of(4 * Q16, 10 * Q16));
    // diff = 4: mean = 0 + 4/4 = 1; var = (1 - 1/4)(0 + 16/4) = 3
    expect(Array.from(st.mean)).toEqual([Q16, 10 * Q16]);
    expect(Array.from(st.variance)).toEqual([3 * Q16, 0]);
    caqStatsUpdate(q, st, Int32Array.of(Q16, 10 * Q16));
    // diff = 0: mean stays 1; var = 3/4 * 3 = 2.25
    expect(Array.from(st.mean)).toEqual([Q16, 10 * Q16]);
    expect(Array.from(st.variance)).toEqual([(9 * Q16) / 4, 0]);
    caqStatsUpdate(q, st, Int32Array.of(-3 * Q16, 10 * Q16));
    // diff = -4: mean = 1 - 1 = 0; var = 3/4 (2.25 + 4) = 4.6875
    expect(Array.from(st.mean)).toEqual([0, 10 * Q16]);
    expect(Array.from(st.variance)).toEqual([(75 * Q16) / 16, 0]);
    expect(q.flags).toBe(0);
  });

  it('rounds each quantity once, ties to even (mean step 2.5 units -> 2, 3.5 -> 4)', () => {
    const q = createQ(16);
    const st = createCaqState(2, 1, 1, params(2, 1, { rateShift: 1, varInit: 5 }));
    caqStatsUpdate(q, st, Int32Array.of(0, 0));
    caqStatsUpdate(q, st, Int32Array.of(5, 7));
    // RNE(5/2) = 2, RNE(7/2) = 4; t = RNE(25 / 2^17) = 0, var = 5 - RNE(5/2) = 3
    expect(Array.from(st.mean)).toEqual([2, 4]);
    expect(Array.from(st.variance)).toEqual([3, 3]);
  });

  it(`${CASES} random updates equal the BigInt reference (value and flags)`, () => {
    const rng = new Rng(0xca9);
    for (let c = 0; c < CASES; c++) {
      const f = rng.range(8, 24);
      const r = rng.range(1, Math.min(15, 31 - f));
      const q = createQ(f);
      const st = createCaqState(1, 1, 1, params(1, 1, { f, rateShift: r }));
      st.primed = 1;
      const wide = rng.range(0, 1) === 0;
      st.mean[0] = wide ? rng.wide() : rng.range(-(1 << 29), 1 << 29);
      st.variance[0] = rng.range(0, 3) === 0 ? rng.wide() & MAX : rng.range(0, 1 << 20);
      // A third near the mean: |diff| around 46340, where the square leaves int32.
      const z = rng.range(0, 2) === 0 ? Math.max(MIN, Math.min(MAX, st.mean[0] + rng.range(-47000, 47000))) : wide ? rng.wide() : rng.range(-(1 << 29), 1 << 29);
      const [m2, v2, fl] = refStats(st.mean[0], st.variance[0], z, f, r);
      const before = [st.mean[0], st.variance[0]];
      caqStatsUpdate(q, st, Int32Array.of(z));
      if (st.mean[0] !== m2 || st.variance[0] !== v2 || q.flags !== fl) {
        throw new Error(`f=${f} r=${r} mean=${before[0]} var=${before[1]} z=${z}: got ${st.mean[0]}, ${st.variance[0]}, flags ${q.flags}; want ${m2}, ${v2}, ${fl}`);
      }
    }
  });

  it('EMA stays in range: the mean between the old mean and z, the variance in 0..2^31-1, over long random runs', () => {
    const rng = new Rng(0xe4a);
    const q = createQ(16);
    for (let run = 0; run < (PURITY ? 20 : 200); run++) {
      const r = rng.range(1, 15);
      const m = 8;
      const st = createCaqState(m, 1, 1, params(m, 1, { rateShift: r, varInit: rng.range(0, MAX) }));
      const z = new Int32Array(m);
      const lo = new Array(m).fill(MAX);
      const hi = new Array(m).fill(MIN);
      for (let t = 0; t < 500; t++) {
        for (let i = 0; i < m; i++) {
          z[i] = i < 4 ? rng.wide() : rng.range(-(1 << 29), 1 << 29);
          lo[i] = Math.min(lo[i], z[i]);
          hi[i] = Math.max(hi[i], z[i]);
        }
        const old = Array.from(st.mean);
        caqStatsUpdate(q, st, z);
        for (let i = 0; i < m; i++) {
          const a = Math.min(old[i], z[i]);
          const b = Math.max(old[i], z[i]);
          const mi = st.mean[i];
          const vi = st.variance[i];
          if ((t > 0 && !(mi >= a && mi <= b)) || !(mi >= lo[i] && mi <= hi[i]) || !(vi >= 0 && vi <= MAX)) {
            throw new Error(`run ${run} t ${t} facet ${i}: mean ${mi} (old ${old[i]}, z ${z[i]}, hull ${lo[i]}..${hi[i]}), var ${vi}`);
          }
        }
      }
    }
  });

  it('a constant input settles the mean within 2^(r-1) of z and the variance in the dead band 0..2^(r-1) (r <= f)', () => {
    const q = createQ(16);
    for (let r = 1; r <= 15; r++) {
      const st = createCaqState(1, 1, 1, params(1, 1, { rateShift: r, varInit: 40 * Q16 }));
      caqStatsUpdate(q, st, Int32Array.of(0));
      const z = Int32Array.of(3 * Q16 + 12345);
      for (let t = 0; t < 40 << r; t++) caqStatsUpdate(q, st, z);
      expect(Math.abs(st.mean[0] - z[0])).toBeLessThanOrEqual(1 << (r - 1));
      expect(st.variance[0]).toBeLessThanOrEqual(1 << (r - 1));
      expect(st.variance[0]).toBeGreaterThanOrEqual(0);
    }
  });

  it('saturates a huge diff and a huge variance with SATURATED; never overflows the mean', () => {
    const q = createQ(16);
    const st = createCaqState(1, 1, 1, params(1, 1, { rateShift: 1, varInit: MAX - 1 }));
    caqStatsUpdate(q, st, Int32Array.of(MIN));
    caqStatsUpdate(q, st, Int32Array.of(MAX)); // diff = 2^32 - 1 -> saturates
    expect(q.flags & Flag.SATURATED).toBe(Flag.SATURATED);
    expect(st.mean[0]).toBe(MIN + (1 << 30));
    expect(st.variance[0]).toBe(MAX - (1 << 30)); // MAX - RNE(MAX / 2)
  });

  it('a format mismatch changes nothing and sets DOMAIN', () => {
    const q = createQ(12);
    const st = createCaqState(1, 1, 1, params(1, 1));
    caqStatsUpdate(q, st, Int32Array.of(5));
    expect(q.flags).toBe(Flag.DOMAIN);
    expect([st.primed, st.mean[0]]).toEqual([0, 0]);
  });
});
