/**
 * The Node-vs-XS scenario for the operators (SPEC 6) and gates (SPEC 8): one
 * JavaScript source run as-is in both engines against the core `M` (in XS
 * the bundle's global, in Node the src modules), so the only difference is
 * the engine.
 *
 * Requests:
 * - `{ kind: 'op', op, f, n, params, poly, cases }`: one operator, built
 *   once, applied to each case `{ x, chi, active }`; returns, per case, the
 *   n outputs and the status word.
 * - `{ kind: 'phase' | 'pas' | 'chiral', f, n, cases }`: the gate functions.
 * - `{ kind: 'noncomm', f, n, ops, poly, cases }`: kappa (r x r), the axis
 *   mask, the count and the status word per case.
 * - `{ kind: 'prepare' }`: builds the fixtures of the heap loops.
 * - `{ kind: 'loop', op, n }`: n calls on the prepared fixture with inputs
 *   made by integer arithmetic from the call index; returns a digest.
 */
import * as core from '../../src/index.js';

export const OPS_SCENARIO_FACTORY = String.raw`(M) => {
  const I = (a) => Int32Array.from(a);
  const push = (out, arr) => { for (let i = 0; i < arr.length; i++) out.push(arr[i]); };
  const keep = {};

  function makeContext(q, n, poly, kMax) {
    const P = poly ? M.createPolytope(poly.m, n, I(poly.A), I(poly.b)) : M.createPolytope(1, n, new Int32Array(n), I([q.one]));
    return { q, n, level: 0, polytope: P, active: new Int32Array(kMax), activeCount: 0, chi: q.one >> 1, step: 0 };
  }
  function setCase(ctx, c) {
    ctx.chi = c.chi;
    const a = c.active || [];
    for (let i = 0; i < a.length; i++) ctx.active[i] = a[i];
    ctx.activeCount = a.length;
  }

  const batch = {
    op(r) {
      const q = M.createQ(r.f);
      const op = M.builtinOperators[r.op](q, r.n, r.params, 'op');
      const ctx = makeContext(q, r.n, r.poly, 16);
      const out = new Int32Array(r.n);
      const res = [];
      for (const c of r.cases) {
        setCase(ctx, c);
        q.flags = 0;
        op.apply(out, I(c.x), ctx);
        push(res, out);
        res.push(q.flags);
      }
      return res;
    },
    phase(r) {
      const q = M.createQ(r.f);
      const res = [];
      for (const c of r.cases) {
        q.flags = 0;
        res.push(M.phaseAngle(q, c[0], c[1]), q.flags);
      }
      return res;
    },
    pas(r) {
      const q = M.createQ(r.f);
      const res = [];
      for (const c of r.cases) {
        q.flags = 0;
        res.push(M.pas(q, I(c.x), I(c.w), r.n), q.flags);
      }
      return res;
    },
    chiral(r) {
      const q = M.createQ(r.f);
      const res = [];
      for (const c of r.cases) {
        q.flags = 0;
        res.push(M.chiralGate(q, I(c.x), I(c.w), r.n), q.flags);
      }
      return res;
    },
    noncomm(r) {
      const q = M.createQ(r.f);
      const ops = r.ops.map((o) => M.builtinOperators[o.op](q, r.n, o.params, 'op'));
      const ctx = makeContext(q, r.n, r.poly, 16);
      const work = M.createGateWork(r.n, ops.length);
      const kappa = new Int32Array(ops.length * ops.length);
      const mask = new Uint8Array(r.n);
      const res = [];
      for (const c of r.cases) {
        setCase(ctx, c);
        mask.fill(0);
        q.flags = 0;
        const over = M.nonCommutativity(q, kappa, ops, I(c.x), ctx, work, c.tau, mask);
        push(res, kappa);
        push(res, mask);
        res.push(over, q.flags);
      }
      return res;
    },
  };

  // Heap loops: fixtures built once, then n calls that allocate nothing.
  function prepare() {
    const n = 6;
    const q = M.createQ(16);
    const one = q.one;
    const M6 = [];
    const P6 = [];
    for (let i = 0; i < n; i++) {
      const row = [];
      const prow = [];
      for (let j = 0; j < n; j++) {
        row.push(i === j ? one - 4096 : ((i * 7 + j * 3) & 7) * 512 - 1792);
        prow.push(i === j ? 2 * one : ((i + j) & 3) * 1024 - 1536);
      }
      M6.push(row);
      P6.push(prow);
    }
    const c6 = [1, -2, 3, -4, 5, -6];
    // A box |x_j| <= 4 plus two general facets.
    const A = [];
    const b = [];
    for (let j = 0; j < n; j++) {
      for (const s of [1, -1]) {
        const row = new Array(n).fill(0);
        row[j] = s * one;
        A.push(...row);
        b.push(4 * one);
      }
    }
    A.push(one, one, 0, 0, 0, 0, 0, one, -one, one >> 1, 0, 0);
    b.push(3 * one, 3 * one);
    const poly = { m: 2 * n + 2, A, b };
    const ops = {
      linear: M.builtinOperators.linear(q, n, { M: M6, c: c6 }, 'op'),
      drift: M.builtinOperators.drift(q, n, { P: P6, q: c6, eta: one >> 3 }, 'op'),
      anisotropy: M.builtinOperators.anisotropy(q, n, { alpha: [one >> 2, one >> 3, one >> 4, 3 * (one >> 4), one >> 5, 5 * (one >> 5)], P: P6 }, 'op'),
      gyroid: M.builtinOperators.gyroid(q, n, { gain: one >> 2, tangentGain: one >> 3, frequency: one }, 'op'),
      traversal: M.builtinOperators.traversal(q, n, { gain: one >> 4, phases: [0x400000, 0x200000, 0xc00000, 0x100000] }, 'op'),
    };
    keep.q = q;
    keep.n = n;
    keep.ops = ops;
    keep.opList = [ops.linear, ops.drift, ops.gyroid, ops.anisotropy];
    keep.ctx = makeContext(q, n, poly, 8);
    keep.x = new Int32Array(n);
    keep.out = new Int32Array(n);
    keep.w = I([one, 2 * one, one >> 1, 3 * one, one, 5 * one]);
    keep.work = M.createGateWork(n, keep.opList.length);
    keep.kappa = new Int32Array(keep.opList.length * keep.opList.length);
    keep.mask = new Uint8Array(n);
    return 0;
  }

  // Inputs of call i, integer arithmetic only (no allocation).
  function inputs(i) {
    const x = keep.x;
    const n = keep.n;
    for (let j = 0; j < n; j++) x[j] = (((i * 7919 + j * 104729) & 0x3ffff) - 0x20000) | 0;
    const ctx = keep.ctx;
    ctx.chi = (i * 2731) & 0xffff;
    // Alternate: on facet 0 (x_0 = 4), at the corner of facets 0 and 2, on a general facet, none.
    const k = i & 3;
    if (k === 0) { x[0] = 4 * keep.q.one; ctx.active[0] = 0; ctx.activeCount = 1; }
    else if (k === 1) { x[0] = 4 * keep.q.one; x[1] = 4 * keep.q.one; ctx.active[0] = 0; ctx.active[1] = 2; ctx.activeCount = 2; }
    else if (k === 2) { ctx.active[0] = 12; ctx.active[1] = 13; ctx.activeCount = 2; }
    else ctx.activeCount = 0;
  }

  function loop(r) {
    const q = keep.q;
    let acc = 0;
    if (r.op === 'phase') {
      for (let i = 0; i < r.n; i++) acc = acc ^ M.phaseAngle(q, (i * 40503) | 0, 0x1234567);
      return acc;
    }
    if (r.op === 'pas' || r.op === 'chiral' || r.op === 'noncomm') {
      for (let i = 0; i < r.n; i++) {
        inputs(i);
        if (r.op === 'pas') acc = acc ^ M.pas(q, keep.x, keep.w, keep.n);
        else if (r.op === 'chiral') acc = acc ^ M.chiralGate(q, keep.x, keep.w, keep.n);
        else acc = acc ^ M.nonCommutativity(q, keep.kappa, keep.opList, keep.x, keep.ctx, keep.work, 64, keep.mask) ^ keep.kappa[1];
      }
      return acc;
    }
    const op = keep.ops[r.op];
    for (let i = 0; i < r.n; i++) {
      inputs(i);
      op.apply(keep.out, keep.x, keep.ctx);
      acc = acc ^ keep.out[0] ^ keep.out[keep.n - 1];
    }
    return acc ^ q.flags;
  }

  return (r) => {
    if (r.kind === 'prepare') return prepare();
    if (r.kind === 'loop') return loop(r);
    const fn = batch[r.kind];
    if (!fn) throw new Error('no such request kind: ' + r.kind);
    return fn(r);
  };
}`;

export const OPS_SCENARIO = `globalThis.scenario = (${OPS_SCENARIO_FACTORY})(M);`;

/** The same scenario in Node, against the src modules. */
export function nodeScenario(): (request: unknown) => unknown {
  const factory = new Function(`return ${OPS_SCENARIO_FACTORY};`)() as (m: unknown) => (r: unknown) => unknown;
  return factory(core);
}
