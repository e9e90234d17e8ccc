/**
 * The Node-vs-XS scenario for windows and CAQ: one JavaScript source, run
 * as-is in both engines against the core `M` (in XS the bundle's global, in
 * Node the src modules), so the only difference is the engine.
 *
 * Requests:
 * - `{ kind: <case kind>, ...batch }`: runs a batch of random cases and
 *   returns one flat array of integers (results, flags, state after).
 * - `{ kind: 'prepare' }`: builds the states the heap loops use.
 * - `{ kind: 'loop', op, n }`: calls `op` n times on the prepared states and
 *   returns an integer digest; nothing is kept between calls.
 */
import * as core from '../../src/index.js';

export const CAQ_SCENARIO_FACTORY = String.raw`(M) => {
  const push = (out, arr) => { for (let i = 0; i < arr.length; i++) out.push(arr[i]); };
  const I = (a) => Int32Array.from(a);
  const U8 = (a) => (a === null ? null : Uint8Array.from(a));
  const keep = {};

  const batch = {
    window(r) {
      const out = [];
      for (const c of r.cases) {
        const q = M.createQ(c.f);
        const w = M.createWindow(q, c);
        const x = I(c.x);
        const ok = M.windowForm(q, w, x);
        out.push(ok ? 1 : 0, q.flags);
        if (ok) push(out, w.form);
        q.flags = 0;
        out.push(M.inWindow(q, w, x) ? 1 : 0, q.flags);
        q.flags = 0;
        out.push(M.windowDistance2(q, w, x), q.flags);
      }
      return out;
    },
    stats(r) {
      const out = [];
      const q = M.createQ(r.params.f);
      const st = M.createCaqState(r.m, 1, 1, r.params);
      for (const c of r.cases) {
        st.primed = c.primed;
        st.mean.set(c.mean);
        st.variance.set(c.variance);
        q.flags = 0;
        M.caqStatsUpdate(q, st, I(c.z));
        out.push(q.flags, st.primed);
        push(out, st.mean);
        push(out, st.variance);
      }
      return out;
    },
    bind(r) {
      const out = [];
      for (const c of r.cases) {
        const st = M.createCaqState(c.m, c.n, 1, r.paramsFor[c.m]);
        M.caqBindNormals(st, I(c.A));
        push(out, st.axisFacet);
      }
      return out;
    },
    facets(r) {
      const out = [];
      const st = M.createCaqState(r.m, 1, 1, r.params);
      for (const c of r.cases) {
        st.variance.set(c.variance);
        st.fossil.set(c.fossil);
        M.caqClassifyFacets(st, I(c.u), U8(c.mask));
        push(out, st.facetClass);
      }
      return out;
    },
    axes(r) {
      const out = [];
      const st = M.createCaqState(r.m, r.n, 1, r.params);
      for (const c of r.cases) {
        st.axisFacet.set(c.axisFacet);
        st.facetClass.set(c.facetClass);
        M.caqClassifyAxes(st, U8(c.mask));
        push(out, st.axisClass);
      }
      return out;
    },
    steps(r) {
      const out = [];
      const q = M.createQ(16);
      const st = M.createCaqState(r.m, r.n, r.levels, r.params);
      for (const c of r.cases) {
        st.axisFacet.set(c.axisFacet);
        st.axisClass.set(c.axisClass);
        st.variance.set(c.variance);
        q.flags = 0;
        out.push(M.caqAxisSteps(q, st, c.level), q.flags);
        push(out, st.delta);
        for (let i = 0; i < r.m; i++) out.push(M.caqFacetStable(st, i, c.level) ? 1 : 0);
      }
      return out;
    },
    schedule(r) {
      const out = [];
      for (const c of r.cases) out.push(M.scheduleStep(c[0], c[1], c[2]));
      return out;
    },
    fossil(r) {
      const out = [];
      const st = M.createCaqState(r.m, 1, 1, r.params);
      const ring = M.createEventRing(r.ringCapacity);
      const ev = new Int32Array(3);
      for (const c of r.cases) {
        st.variance.set(c.variance);
        st.fossil.set(c.fossil);
        st.fossilCount.set(c.count);
        out.push(M.caqFossilUpdate(st, I(c.u), c.step, c.useRing ? ring : null));
        push(out, st.fossil);
        push(out, st.fossilCount);
        push(out, ring.subarray(0, 4));
        if (c.take) while (M.eventTake(ring, ev)) push(out, ev);
      }
      return out;
    },
    garden(r) {
      const out = [];
      const q = M.createQ(16);
      const st = M.createCaqState(r.m, 1, 1, r.params);
      for (const c of r.cases) {
        st.fossil.set(c.fossil);
        st.gardenCountdown = c.countdown;
        const b = I(c.b);
        q.flags = 0;
        const did = c.apply ? (M.caqGardenApply(q, st, b, I(c.u)), 1) : M.caqGarden(q, st, b, I(c.u)) ? 1 : 0;
        out.push(did, q.flags, st.gardenCountdown);
        push(out, b);
      }
      return out;
    },
    step(r) {
      // One long run: each case is the next step of the same state.
      const out = [];
      const q = M.createQ(r.params.f);
      const st = M.createCaqState(r.m, r.n, r.levels, r.params);
      M.caqBindNormals(st, I(r.A));
      const ring = M.createEventRing(8);
      const b = I(r.b);
      for (const c of r.cases) {
        q.flags = 0;
        const res = M.caqStep(q, st, I(c.z), I(c.u), c.garden ? b : null, c.level, c.step, ring, U8(c.facetMask), U8(c.axisMask));
        out.push(res, q.flags);
        push(out, st.delta);
        push(out, st.axisClass);
        push(out, st.mean);
        push(out, st.variance);
        push(out, st.fossilCount);
        push(out, b);
        push(out, ring.subarray(0, 4));
      }
      return out;
    },
  };

  function prepare() {
    const m = 32;
    const n = 16;
    const levels = 4;
    const q = M.createQ(16);
    const bMin = [];
    const bMax = [];
    for (let i = 0; i < m; i++) { bMin.push(-0x100000); bMax.push(0x100000); }
    const params = {
      f: 16, rateShift: 3, varInit: 0x80000, trustVar: 0x4000, trustPressure: 0x10000, volatileVar: 0x20000,
      stableVar: [0x7fffffff, 0x40000, 0x20000, 0x10000], deltaMin: 64, deltaMid: 256, deltaMax: 1024, scheduleShift: 1,
      fossilVar: 0x1000, fossilPressure: 0x40000, fossilSteps: 8, gardenPeriod: 4, gardenGain: 0x8000, gardenShift: 16, bMin, bMax,
    };
    const st = M.createCaqState(m, n, levels, params);
    const A = new Int32Array(m * n);
    for (let k = 0; k < m * n; k++) A[k] = ((k * 7919) & 0x1ffff) - 0x10000;
    M.caqBindNormals(st, A);
    const mu = new Int32Array(n);
    const Sd = new Int32Array(n);
    const Sf = new Int32Array(n * n);
    for (let i = 0; i < n; i++) {
      Sd[i] = 0x10000 + i * 4099;
      for (let j = 0; j < n; j++) Sf[i * n + j] = i === j ? 0x100000 : ((i + j) & 3) * 0x1000 - 0x1800;
    }
    keep.q = q;
    keep.st = st;
    keep.A = A;
    keep.ring = M.createEventRing(8);
    keep.z = new Int32Array(m);
    keep.u = new Int32Array(m);
    keep.b = new Int32Array(m);
    keep.x = new Int32Array(n);
    keep.ev = new Int32Array(3);
    keep.wd = M.createWindow(q, { metric: 'diagonal', mu, S: Sd, eps: 0x40000 });
    keep.wf = M.createWindow(q, { metric: 'full', mu, S: Sf, eps: 0x40000 });
    return 0;
  }

  // Fills the prepared inputs for iteration k with integer-only arithmetic.
  function inputs(k) {
    const z = keep.z;
    const u = keep.u;
    const x = keep.x;
    for (let i = 0; i < z.length; i++) {
      z[i] = ((Math.imul(k, 2654435) ^ (i * 40503)) & 0x3ffff) - 0x20000;
      u[i] = (((k * 97) + i * 1021) & 0xfffff) - 0x80000;
    }
    for (let i = 0; i < x.length; i++) x[i] = (((k * 7) ^ (i * 13)) & 0x7ffff) - 0x40000;
  }

  const ops = {
    inWindowDiagonal: (k) => (M.inWindow(keep.q, keep.wd, keep.x) ? 1 : 0),
    inWindowFull: (k) => (M.inWindow(keep.q, keep.wf, keep.x) ? 1 : 0),
    distanceDiagonal: (k) => M.windowDistance2(keep.q, keep.wd, keep.x),
    distanceFull: (k) => M.windowDistance2(keep.q, keep.wf, keep.x),
    stats: (k) => { M.caqStatsUpdate(keep.q, keep.st, keep.z); return keep.st.variance[k & 31]; },
    bind: (k) => { M.caqBindNormals(keep.st, keep.A); return keep.st.axisFacet[k & 15]; },
    facets: (k) => { M.caqClassifyFacets(keep.st, keep.u, null); return keep.st.facetClass[k & 31]; },
    axes: (k) => { M.caqClassifyAxes(keep.st, null); return keep.st.axisClass[k & 15]; },
    steps: (k) => M.caqAxisSteps(keep.q, keep.st, k & 3),
    stable: (k) => (M.caqFacetStable(keep.st, k & 31, k & 3) ? 1 : 0),
    schedule: (k) => M.scheduleStep(1000 + k, k & 7, k & 3),
    fossil: (k) => M.caqFossilUpdate(keep.st, keep.u, k, keep.ring),
    ring: (k) => { M.eventPush(keep.ring, 1, k & 31, k); return M.eventTake(keep.ring, keep.ev) ? keep.ev[2] : 0; },
    garden: (k) => (M.caqGarden(keep.q, keep.st, keep.b, keep.u) ? 1 : 0),
    step: (k) => M.caqStep(keep.q, keep.st, keep.z, keep.u, keep.b, k & 3, k, keep.ring, null, null),
  };

  function loop(r) {
    const op = ops[r.op];
    if (typeof op !== 'function') throw new Error('no such op: ' + r.op);
    let acc = 0;
    for (let k = 0; k < r.n; k++) {
      inputs(k);
      acc = (acc ^ op(k)) | 0;
    }
    return acc;
  }

  return (r) => {
    if (r.kind === 'prepare') return prepare();
    if (r.kind === 'loop') return loop(r);
    const fn = batch[r.kind];
    if (typeof fn !== 'function') throw new Error('no such kind: ' + r.kind);
    return fn(r);
  };
}`;

/** The scenario installed in XS. */
export const CAQ_SCENARIO = `globalThis.scenario = (${CAQ_SCENARIO_FACTORY})(M);`;

/** The same scenario in Node, against the src modules. */
export function nodeScenario(): (request: unknown) => unknown {
  const factory = new Function(`return ${CAQ_SCENARIO_FACTORY};`)() as (m: unknown) => (r: unknown) => unknown;
  return factory(core);
}
