/**
 * Linear algebra and geometry (SPEC 3) in XS: every function gives the same
 * bits as in Node on random inputs (at least 10^4 cases each: matVec /
 * matVecAffine, dotAffine, classify, projectDykstra with and without a
 * metric, quantizeLattice, quantizeInPolytope; plus the derived tables of
 * createPolytope / createMetric), and none of them allocates: the XS heap
 * slot count after n = 100 calls equals the count after n = 10_000
 * (test/helpers/xs-ops.ts `heapAfterCalls`).
 *
 * The request driver is one function, run as is in Node against src/ and,
 * through its source text, in XS against the bundled core `M`. Each case
 * returns one int32 hash of everything the call produced (outputs, status,
 * flags, counters), so a mismatch names its case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import { startXs, type XsWorker } from '../../tools/xs/runner.js';
import { Rng } from '../helpers/rng.js';
import { randomPolytope } from '../geometry/gen.js';

type Op = 'matvec' | 'dot' | 'classify' | 'project' | 'qlattice' | 'qp' | 'setup';

interface Group {
  m: number;
  n: number;
  A?: number[];
  b?: number[];
  diag?: number[] | null;
  /** Flat per-case inputs; the layout depends on the op (see `drive`). */
  cases: number[];
}

/**
 * The driver: the same text in both engines. `M` is the core. No nested
 * named functions (the source is evaluated in XS as written).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function drive(M: any, r: any): any {
  const FNV = 16777619;
  if (r.kind === 'prepare') {
    // Objects for the heap loop, made once (allocation happens here only).
    const g = r.group;
    const q = M.createQ(16);
    const st: any = { q, g, out: new Int32Array(Math.max(g.m, g.n)), x: Int32Array.from(r.x), c: new Int32Array(g.m) };
    if (g.A) {
      st.P = M.createPolytope(g.m, g.n, Int32Array.from(g.A), Int32Array.from(g.b));
      st.mat = M.createMatrix(g.m, g.n, Int32Array.from(g.A));
      st.work = M.createGeometryWork(g.m, g.n, g.m, 32);
      st.metric = g.diag ? M.createMetric(st.P, Int32Array.from(g.diag)) : null;
      st.cls = M.createClassifyResult(g.m, g.m);
    }
    st.d = Int32Array.from(r.d);
    (globalThis as any).__geoState = st;
    return 0;
  }
  if (r.kind === 'loop') {
    const st = (globalThis as any).__geoState;
    const q = st.q;
    const n = r.n;
    let acc = 0;
    if (r.op === 'matvec') {
      for (let i = 0; i < n; i++) {
        M.matVecAffine(q, st.out, st.mat, st.x, 16, st.c, (i & 1) === 0 ? 1 : -1);
        acc = acc ^ st.out[0];
      }
    } else if (r.op === 'dot') {
      for (let i = 0; i < n; i++) acc = acc ^ M.dotAffine(q, st.P.A, 0, st.x, 0, st.g.n, i & 31, i, 1);
    } else if (r.op === 'classify') {
      for (let i = 0; i < n; i++) {
        M.classify(q, st.cls, st.P, st.x, i & 255, st.g.m);
        acc = acc ^ st.cls.minSlack;
      }
    } else if (r.op === 'project') {
      for (let i = 0; i < n; i++) acc = acc ^ M.projectDykstra(q, st.out, st.P, st.x, (i & 1) === 0 ? null : st.metric, 20, 64, st.work) ^ st.out[0];
    } else if (r.op === 'qlattice') {
      for (let i = 0; i < n; i++) {
        M.quantizeLattice(q, st.out, st.x, st.d, st.g.n);
        acc = acc ^ st.out[0];
      }
    } else if (r.op === 'qp') {
      for (let i = 0; i < n; i++) acc = acc ^ M.quantizeInPolytope(q, st.out, st.P, st.x, st.d, 32, st.work) ^ st.out[0];
    } else throw new Error('no such loop op: ' + r.op);
    return acc;
  }
  // kind 'batch': one hash per case.
  const res = [];
  const q = M.createQ(r.f);
  for (const g of r.groups) {
    const m = g.m;
    const n = g.n;
    const c = g.cases;
    if (r.op === 'matvec') {
      const mat = M.createMatrix(m, n, Int32Array.from(g.A));
      const x = new Int32Array(n);
      const cv = new Int32Array(m);
      const out = new Int32Array(m);
      const L = 3 + n + m;
      for (let i = 0; i + L <= c.length; i += L) {
        for (let j = 0; j < n; j++) x[j] = c[i + 3 + j];
        for (let k = 0; k < m; k++) cv[k] = c[i + 3 + n + k];
        q.flags = 0;
        if (c[i + 2] === 0) M.matVec(q, out, mat, x, c[i]);
        else M.matVecAffine(q, out, mat, x, c[i], cv, c[i + 1]);
        let h = Math.imul(0x811c9dc5 ^ q.flags, FNV);
        for (let k = 0; k < m; k++) h = Math.imul(h ^ out[k], FNV);
        res.push(h);
      }
    } else if (r.op === 'dot') {
      const a = new Int32Array(n);
      const x = new Int32Array(n);
      const L = 4 + 2 * n;
      for (let i = 0; i + L <= c.length; i += L) {
        for (let j = 0; j < n; j++) {
          a[j] = c[i + 4 + j];
          x[j] = c[i + 4 + n + j];
        }
        q.flags = 0;
        const v = M.dotAffine(q, a, 0, x, 0, c[i + 3], c[i], c[i + 1], c[i + 2]);
        res.push(Math.imul(Math.imul(0x811c9dc5 ^ q.flags, FNV) ^ v, FNV));
      }
    } else if (r.op === 'setup') {
      const P = M.createPolytope(m, n, Int32Array.from(g.A), Int32Array.from(g.b));
      let h = 0x811c9dc5;
      for (let k = 0; k < m * n; k++) h = Math.imul(h ^ P.dir[k], FNV);
      for (let k = 0; k < m; k++) h = Math.imul(Math.imul(Math.imul(h ^ P.dirShift[k], FNV) ^ P.boxAxis[k], FNV) ^ P.l1[k], FNV);
      for (let k = 0; k < 2 * m; k++) h = Math.imul(h ^ P.mat.rowSum[k], FNV);
      if (g.diag) {
        const Mt = M.createMetric(P, Int32Array.from(g.diag));
        for (let k = 0; k < m * n; k++) h = Math.imul(h ^ Mt.dir[k], FNV);
        for (let k = 0; k < m; k++) h = Math.imul(h ^ Mt.dirShift[k], FNV);
      }
      res.push(h);
    } else if (r.op === 'qlattice') {
      const x = new Int32Array(n);
      const d = new Int32Array(n);
      const out = new Int32Array(n);
      const L = 2 * n;
      for (let i = 0; i + L <= c.length; i += L) {
        for (let j = 0; j < n; j++) {
          x[j] = c[i + j];
          d[j] = c[i + n + j];
        }
        q.flags = 0;
        M.quantizeLattice(q, out, x, d, n);
        let h = Math.imul(0x811c9dc5 ^ q.flags, FNV);
        for (let j = 0; j < n; j++) h = Math.imul(h ^ out[j], FNV);
        // And the scalar form, axis by axis.
        for (let j = 0; j < n; j++) h = Math.imul(h ^ M.quantizeAxis(q, x[j], d[j]), FNV);
        res.push(Math.imul(h ^ q.flags, FNV));
      }
    } else {
      // Polytope ops.
      const P = M.createPolytope(m, n, Int32Array.from(g.A), Int32Array.from(g.b));
      const work = M.createGeometryWork(m, n, m, 64);
      const cls = M.createClassifyResult(m, m);
      const metric = g.diag ? M.createMetric(P, Int32Array.from(g.diag)) : null;
      const x = new Int32Array(n);
      const d = new Int32Array(n);
      const out = new Int32Array(n);
      if (r.op === 'classify') {
        const L = 2 + n;
        for (let i = 0; i + L <= c.length; i += L) {
          for (let j = 0; j < n; j++) x[j] = c[i + 2 + j];
          q.flags = 0;
          M.classify(q, cls, P, x, c[i], c[i + 1]);
          let h = Math.imul(Math.imul(Math.imul(0x811c9dc5 ^ q.flags, FNV) ^ cls.kind, FNV) ^ cls.count, FNV);
          h = Math.imul(Math.imul(Math.imul(h ^ cls.listed, FNV) ^ cls.minSlack, FNV) ^ cls.minFacet, FNV);
          for (let k = 0; k < m; k++) h = Math.imul(h ^ cls.slack[k], FNV);
          for (let k = 0; k < cls.listed; k++) h = Math.imul(h ^ cls.active[k], FNV);
          res.push(h);
        }
      } else if (r.op === 'project') {
        const L = 3 + n;
        for (let i = 0; i + L <= c.length; i += L) {
          for (let j = 0; j < n; j++) {
            x[j] = c[i + 3 + j];
            out[j] = 0;
          }
          q.flags = 0;
          const st = M.projectDykstra(q, c[i + 2] === 1 ? x : out, P, x, c[i + 2] === 2 ? metric : null, c[i], c[i + 1], work);
          const o = c[i + 2] === 1 ? x : out;
          let h = Math.imul(Math.imul(Math.imul(0x811c9dc5 ^ q.flags, FNV) ^ st, FNV) ^ work.sweeps, FNV);
          h = Math.imul(h ^ work.cls.kind, FNV);
          for (let j = 0; j < n; j++) h = Math.imul(h ^ o[j], FNV);
          res.push(h);
        }
      } else if (r.op === 'qp') {
        const L = 1 + 2 * n;
        for (let i = 0; i + L <= c.length; i += L) {
          for (let j = 0; j < n; j++) {
            x[j] = c[i + 1 + j];
            d[j] = c[i + 1 + n + j];
            out[j] = 0;
          }
          q.flags = 0;
          const st = M.quantizeInPolytope(q, out, P, x, d, c[i], work);
          let h = Math.imul(Math.imul(Math.imul(0x811c9dc5 ^ q.flags, FNV) ^ st, FNV) ^ work.examined, FNV);
          h = Math.imul(h ^ work.proved, FNV);
          for (let j = 0; j < n; j++) h = Math.imul(h ^ out[j], FNV);
          res.push(h);
        }
      } else throw new Error('no such op: ' + r.op);
    }
  }
  return res;
}

const SCENARIO = `globalThis.scenario = (r) => (${drive.toString()})(M, r);`;

// ---------------------------------------------------------------------------
// Inputs (test side)
// ---------------------------------------------------------------------------

const MIN = -0x7fffffff - 1;
const MAX = 0x7fffffff;
const ONE = 1 << 16;

function entry(rng: Rng): number {
  const k = rng.range(0, 9);
  if (k < 4) return rng.int32();
  if (k < 8) return rng.wide();
  return [MIN, MAX, 0, 1, -1][rng.range(0, 4)];
}

/** Groups of `per` cases sharing a polytope (or matrix), `groups` of them. */
function makeGroups(op: Op, seed: number, groups: number, per: number): Group[] {
  const rng = new Rng(seed);
  const out: Group[] = [];
  for (let g = 0; g < groups; g++) {
    const n = op === 'dot' ? rng.range(1, 40) : op === 'qlattice' ? rng.range(1, 8) : rng.range(1, op === 'matvec' ? 20 : 4);
    const m = op === 'matvec' ? rng.range(1, 12) : rng.range(1, 8);
    const cases: number[] = [];
    const grp: Group = { m, n, cases };
    if (op === 'matvec') grp.A = Array.from({ length: m * n }, () => entry(rng));
    if (op === 'classify' || op === 'project' || op === 'qp' || op === 'setup') {
      const rp = randomPolytope(rng, n, m, 16, { radius: 2 });
      // Now and then a row at the extremes of int32, a zero row or a tiny normal.
      if (op !== 'qp' && rng.range(0, 9) === 0) {
        const i = rng.range(0, m - 1);
        const kind = rng.range(0, 2);
        for (let j = 0; j < n; j++) rp.A[i * n + j] = kind === 0 ? entry(rng) : kind === 1 ? 0 : rng.range(-3, 3);
      }
      grp.A = Array.from(rp.A);
      grp.b = Array.from(rp.b);
      grp.diag = rng.range(0, 1) ? Array.from({ length: n }, () => rng.range(ONE >> 3, 8 * ONE)) : null;
      (grp as Group & { center: number[] }).center = rp.center;
    }
    const center = (grp as Group & { center?: number[] }).center ?? new Array(n).fill(0);
    for (let t = 0; t < per; t++) {
      if (op === 'matvec') {
        cases.push(rng.range(0, 63), rng.range(0, 1) ? 1 : -1, rng.range(0, 3) === 0 ? 0 : 1);
        for (let j = 0; j < n; j++) cases.push(entry(rng));
        for (let i = 0; i < m; i++) cases.push(entry(rng));
      } else if (op === 'dot') {
        cases.push(rng.range(0, 63), entry(rng), rng.range(0, 1) ? 1 : -1, rng.range(1, n));
        for (let j = 0; j < 2 * n; j++) cases.push(entry(rng));
      } else if (op === 'setup') {
        // one hash per group
      } else if (op === 'qlattice') {
        for (let j = 0; j < n; j++) cases.push(rng.range(0, 1) ? rng.int32() : rng.wide());
        for (let j = 0; j < n; j++) cases.push(rng.range(0, 2) === 0 ? 1 << rng.range(0, 30) : rng.range(0, 9) === 0 ? [0, -5, MAX, 3][rng.range(0, 3)] : rng.range(1, 1 << 20));
      } else if (op === 'classify') {
        cases.push([0, 1, 64, 4096, -1][rng.range(0, 4)], rng.range(0, m));
        for (let j = 0; j < n; j++) cases.push(rng.range(0, 19) === 0 ? entry(rng) : center[j] + rng.range(-5 * ONE, 5 * ONE));
      } else if (op === 'project') {
        cases.push(rng.range(0, 40), [0, 16, 256][rng.range(0, 2)], rng.range(0, 2)); // iters, beta, 0 plain / 1 alias / 2 metric
        for (let j = 0; j < n; j++) cases.push(rng.range(0, 49) === 0 ? entry(rng) : center[j] + rng.range(-6 * ONE, 6 * ONE));
      } else if (op === 'qp') {
        cases.push(rng.range(1, 64));
        for (let j = 0; j < n; j++) cases.push(rng.range(0, 49) === 0 ? entry(rng) : center[j] + rng.range(-3 * ONE, 3 * ONE));
        for (let j = 0; j < n; j++) cases.push(rng.range(0, 1) ? 1 << rng.range(12, 17) : rng.range(ONE >> 4, ONE));
      }
    }
    if (op === 'setup') cases.push(0);
    out.push(grp);
  }
  return out;
}

function runNode(op: Op, groups: Group[]): number[] {
  return drive(core, { kind: 'batch', op, f: 16, groups }) as number[];
}

/** Sends the groups to XS in batches; returns the first mismatching case, or null. */
async function firstMismatch(xs: XsWorker, op: Op, groups: Group[], perBatch: number): Promise<string | null> {
  const node = runNode(op, groups);
  let k = 0;
  for (let g = 0; g < groups.length; g += perBatch) {
    const part = groups.slice(g, g + perBatch);
    const { reply } = await xs.call<number[]>({ kind: 'batch', op, f: 16, groups: part });
    for (let i = 0; i < reply.length; i++, k++) {
      if (reply[i] !== node[k]) return `${op}: case ${k} (group ${g + Math.floor(i / (reply.length / part.length))}): node hash ${node[k]}, xs ${reply[i]}`;
    }
  }
  expect(k).toBe(node.length);
  return null;
}

async function heapAfter(xs: XsWorker, op: Op, n: number): Promise<number> {
  await xs.gc();
  const { meter } = await xs.call({ kind: 'loop', op, n });
  return meter.heapCount;
}

let xs: XsWorker;
beforeAll(async () => {
  xs = await startXs(SCENARIO);
});
afterAll(async () => {
  await xs?.close();
});

const PLAN: { op: Op; groups: number; per: number; batch: number }[] = [
  { op: 'matvec', groups: 100, per: 100, batch: 20 },
  { op: 'dot', groups: 100, per: 100, batch: 25 },
  { op: 'setup', groups: 400, per: 1, batch: 100 },
  { op: 'classify', groups: 100, per: 100, batch: 25 },
  { op: 'project', groups: 100, per: 100, batch: 10 },
  { op: 'qlattice', groups: 100, per: 100, batch: 50 },
  { op: 'qp', groups: 100, per: 100, batch: 10 },
];

describe('linear algebra and geometry: Node vs XS', () => {
  for (const { op, groups, per, batch } of PLAN) {
    it(`${op}: ${groups * per} random cases give the same bits`, async () => {
      const g = makeGroups(op, 0xc0ffee ^ op.length ^ (groups << 3), groups, per);
      expect(await firstMismatch(xs, op, g, batch)).toBeNull();
    });
  }

  it('allocates nothing per call in XS (heap after 100 calls = after 10,000)', async () => {
    const rng = new Rng(42);
    const rp = randomPolytope(rng, 4, 8, 16, { radius: 2 });
    const group = { m: 8, n: 4, A: Array.from(rp.A), b: Array.from(rp.b), diag: [ONE, 2 * ONE, ONE >> 1, 3 * ONE], cases: [] };
    // A point well outside (projection and repair both work), steps of 1/4 and 0.3.
    const x = rp.center.map((c, j) => c + (j & 1 ? 3 : -3) * ONE);
    const d = [ONE >> 2, 19661, ONE >> 2, 19661];
    await xs.call({ kind: 'prepare', group, x, d });
    for (const op of ['matvec', 'dot', 'classify', 'project', 'qlattice', 'qp'] as const) {
      const small = await heapAfter(xs, op, 100);
      const large = await heapAfter(xs, op, 10_000);
      expect({ op, heap: large }).toEqual({ op, heap: small });
    }
    // A changed offset refills the exact box-bound cache lazily: that too
    // allocates nothing (first call after the change, measured alone).
    await xs.call({ kind: 'prepare', group, x, d });
    const fresh = await heapAfter(xs, 'project', 1);
    const again = await heapAfter(xs, 'project', 1);
    expect(fresh).toBe(again);
    // Q_P through every phase, failing (0.2 <= x <= 0.4 holds no multiple of 1.0):
    // the search, the projection, the greedy walk.
    const empty = { m: 2, n: 1, A: [ONE, -ONE], b: [26214, -13107], diag: null, cases: [] };
    await xs.call({ kind: 'prepare', group: empty, x: [19661], d: [ONE] });
    const small = await heapAfter(xs, 'qp', 100);
    const large = await heapAfter(xs, 'qp', 10_000);
    expect({ op: 'qp (no point)', heap: large }).toEqual({ op: 'qp (no point)', heap: small });
  });
});
