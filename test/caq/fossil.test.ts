/** Fossilization after exactly T_fossil steps, its event, and the event ring. */
import { describe, expect, it } from 'vitest';
import {
  CaqClass,
  CaqEvent,
  EVENT_WORDS,
  RING_HEADER,
  caqClassifyAxes,
  caqClassifyFacets,
  caqFossilUpdate,
  caqSetFossil,
  caqStep,
  createCaqState,
  createEventRing,
  eventCount,
  eventPush,
  eventRingInit,
  eventTake,
} from '../../src/caq/index.js';
import { createQ } from '../../src/fixed/q.js';
import { PURITY } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';
import { MAX, MIN, Q16, params } from './fixtures.js';

describe('event ring', () => {
  it('push, take in order, overwrite the oldest when full and count it as lost', () => {
    const ring = createEventRing(3);
    expect(ring.length).toBe(RING_HEADER + 3 * EVENT_WORDS);
    const out = new Int32Array(3);
    expect(eventTake(ring, out)).toBe(false);
    for (let k = 1; k <= 5; k++) eventPush(ring, 7, k, 100 + k);
    expect(eventCount(ring)).toBe(3);
    expect(ring[3]).toBe(2); // lost
    const got: number[][] = [];
    while (eventTake(ring, out)) got.push(Array.from(out));
    expect(got).toEqual([[7, 3, 103], [7, 4, 104], [7, 5, 105]]);
    eventPush(ring, 1, MIN, MAX);
    expect(eventTake(ring, out)).toBe(true);
    expect(Array.from(out)).toEqual([1, MIN, MAX]);
  });

  it('a caller-allocated ring is initialised from its length; an uninitialised one is left alone', () => {
    const ring = new Int32Array(RING_HEADER + 2 * EVENT_WORDS + 2);
    eventPush(ring, 1, 2, 3); // capacity 0: ignored
    expect(Array.from(ring).every((v) => v === 0)).toBe(true);
    eventRingInit(ring);
    expect(ring[0]).toBe(2);
    expect(() => eventRingInit(new Int32Array(RING_HEADER + 2))).toThrow(/event ring/);
    expect(() => createEventRing(0)).toThrow(/capacity/);
  });
});

describe('caqFossilUpdate', () => {
  it('fossilizes after exactly T_fossil consecutive qualifying updates, not before; a break restarts the count', () => {
    // fossilVar 1/16, fossilPressure 4.0, fossilSteps 5
    const st = createCaqState(2, 1, 1, params(2, 1));
    const ring = createEventRing(4);
    st.variance.set([Q16 / 16 - 1, Q16 / 16 - 1]);
    const u = Int32Array.of(4 * Q16 + 1, -4 * Q16 - 1);
    for (let t = 1; t <= 4; t++) {
      expect(caqFossilUpdate(st, u, 10 + t, ring)).toBe(0);
      expect(Array.from(st.fossilCount)).toEqual([t, t]);
    }
    // facet 1 breaks the run at update 5 (|u| not strictly above the threshold)
    u[1] = -4 * Q16;
    expect(caqFossilUpdate(st, u, 15, ring)).toBe(1);
    expect(Array.from(st.fossil)).toEqual([1, 0]);
    expect(Array.from(st.fossilCount)).toEqual([5, 0]);
    const ev = new Int32Array(3);
    expect(eventTake(ring, ev)).toBe(true);
    expect(Array.from(ev)).toEqual([CaqEvent.FOSSILIZED, 0, 15]);
    expect(eventTake(ring, ev)).toBe(false);
    // facet 1 needs five more; variance exactly at the threshold does not count
    u[1] = -4 * Q16 - 1;
    for (let t = 0; t < 4; t++) expect(caqFossilUpdate(st, u, 20 + t, ring)).toBe(0);
    st.variance[1] = Q16 / 16;
    expect(caqFossilUpdate(st, u, 24, ring)).toBe(0);
    expect(st.fossilCount[1]).toBe(0);
    st.variance[1] = 0;
    for (let t = 0; t < 4; t++) expect(caqFossilUpdate(st, u, 30 + t, ring)).toBe(0);
    expect(caqFossilUpdate(st, u, 34, ring)).toBe(1);
    expect(eventTake(ring, ev)).toBe(true);
    expect(Array.from(ev)).toEqual([CaqEvent.FOSSILIZED, 1, 34]);
    // a fossil stays one and never emits again
    st.variance.set([MAX, MAX]);
    u.fill(0);
    expect(caqFossilUpdate(st, u, 40, ring)).toBe(0);
    expect(Array.from(st.fossil)).toEqual([1, 1]);
    expect(eventCount(ring)).toBe(0);
  });

  it('property: with random conditions, a facet fossilizes exactly when its run reaches T_fossil', () => {
    const rng = new Rng(0xf055);
    for (let run = 0; run < (PURITY ? 30 : 300); run++) {
      const m = rng.range(1, 8);
      const T = rng.range(1, 12);
      const st = createCaqState(m, 1, 1, params(m, 1, { fossilSteps: T, fossilVar: 1000, fossilPressure: 50 }));
      const ring = createEventRing(64);
      const runLen = new Array(m).fill(0);
      const fossilAt = new Array(m).fill(-1);
      const u = new Int32Array(m);
      const bias = rng.range(1, 9); // how often the condition holds, in tenths
      for (let t = 0; t < 200; t++) {
        for (let i = 0; i < m; i++) {
          const ok = rng.range(0, 9) < bias;
          const which = rng.range(0, 2);
          st.variance[i] = ok || which === 0 ? rng.range(0, 999) : rng.range(1000, 5000);
          u[i] = ok || which === 1 ? (rng.range(0, 1) ? 51 + rng.range(0, 1000) : -51 - rng.range(0, 1000)) : rng.range(-50, 50);
          const holds = st.variance[i] < 1000 && Math.abs(u[i]) > 50;
          if (fossilAt[i] < 0) {
            runLen[i] = holds ? runLen[i] + 1 : 0;
            if (runLen[i] === T) fossilAt[i] = t;
          }
        }
        caqFossilUpdate(st, u, t, ring);
        for (let i = 0; i < m; i++) {
          const want = fossilAt[i] >= 0 ? 1 : 0;
          if (st.fossil[i] !== want) throw new Error(`run ${run} t ${t} facet ${i}: fossil ${st.fossil[i]}, want ${want} (T ${T})`);
        }
      }
      const ev = new Int32Array(3);
      const seen: number[] = [];
      while (eventTake(ring, ev)) {
        expect(ev[0]).toBe(CaqEvent.FOSSILIZED);
        expect(ev[2]).toBe(fossilAt[ev[1]]);
        seen.push(ev[1]);
      }
      expect(seen.sort()).toEqual(fossilAt.map((t, i) => (t >= 0 ? i : -1)).filter((i) => i >= 0).sort());
    }
  });

  it('a fossil is classified FOSSILIZED and its axes get Delta_min at every level, never frozen', () => {
    const q = createQ(16);
    const st = createCaqState(2, 2, 3, params(2, 3, { fossilSteps: 2 }));
    st.axisFacet.set([0, 1]);
    const z = Int32Array.of(0, 0);
    const u = Int32Array.of(5 * Q16, 0);
    caqStep(q, st, z, u, null, 0, 0, null, null, null); // seeds; variance 8.0: nothing qualifies
    st.variance.set([0, 3 * Q16]);
    caqStep(q, st, z, u, null, 0, 1, null, null, null);
    caqStep(q, st, z, u, null, 2, 2, null, Uint8Array.of(1, 1), Uint8Array.of(1, 1));
    expect(Array.from(st.fossil)).toEqual([1, 0]);
    expect(Array.from(st.facetClass)).toEqual([CaqClass.FOSSILIZED, CaqClass.VOLATILE]);
    expect(Array.from(st.axisClass)).toEqual([CaqClass.FOSSILIZED, CaqClass.VOLATILE]);
    // level 2: Delta_min = 64 >> 2 = 16; facet 1 (variance > 1.0) is frozen there
    expect(Array.from(st.delta)).toEqual([16, 0]);
    st.variance[0] = MAX; // even an unstable fossil is not frozen
    caqClassifyFacets(st, u, null);
    caqClassifyAxes(st, null);
    expect(st.axisClass[0]).toBe(CaqClass.FOSSILIZED);
  });

  it('caqSetFossil restores and clears a fossil record without events', () => {
    const st = createCaqState(2, 1, 1, params(2, 1));
    expect(caqSetFossil(st, 1, true)).toBe(true);
    expect([st.fossil[1], st.fossilCount[1]]).toEqual([1, 5]);
    expect(caqSetFossil(st, 1, false)).toBe(true);
    expect([st.fossil[1], st.fossilCount[1]]).toEqual([0, 0]);
    expect(caqSetFossil(st, 2, true)).toBe(false);
    expect(caqSetFossil(st, -1, true)).toBe(false);
  });
});
