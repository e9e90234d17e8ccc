/**
 * CRT index (SPEC 10) in XS: every function gives the same bits as in Node
 * on random inputs (valid and invalid, for fixed and random moduli sets), and
 * none of them allocates (the XS heap slot count after n = 100 calls equals
 * the count after n = 10_000, as in test/helpers/xs-ops.ts `heapAfterCalls`).
 *
 * The request driver below is one function, run as is in Node against
 * src/ and, through its source text, in XS against the bundled core `M`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '../../src/index.js';
import { startXs, type XsWorker } from '../../tools/xs/runner.js';
import { XS_CASES } from '../helpers/budget.js';
import { Rng } from '../helpers/rng.js';

type Op = 'toIndex' | 'toResidues' | 'shift' | 'familyOf' | 'familyOfResidues';
type Alias = 'none' | 'alpha' | 's' | 'both';

interface Request {
  kind: 'batch' | 'loop' | 'create';
  op?: Op;
  moduli?: number[];
  families?: { index: number; family: number }[];
  /** Flat inputs: residue vectors of `len` entries (toIndex, familyOfResidues), indices (toResidues, familyOf), or alpha then s, r entries each (shift). */
  cases?: number[];
  len?: number;
  alias?: Alias;
  n?: number;
  /** For 'create': candidate moduli lists. */
  sets?: unknown[];
}

/**
 * The driver, the same text in both engines. `M` is the core. No nested
 * named functions (the source is evaluated in XS as written).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function drive(M: any, r: any): any {
  if (r.kind === 'create') {
    const res = [];
    for (const set of r.sets) {
      try {
        const c = M.createCrtIndex(set);
        res.push({ size: c.size, order: c.order, q: c.q, radix: c.radix, inverse: c.inverse });
      } catch (e: any) {
        res.push(e.name + ': ' + e.message);
      }
    }
    return res;
  }
  const crt = M.createCrtIndex(r.moduli, r.families);
  const R = crt.r;
  const c = r.cases;
  const op = r.op;
  if (r.kind === 'batch') {
    const res = [];
    if (op === 'toIndex' || op === 'familyOfResidues') {
      const L = r.len;
      const a = new Int32Array(L);
      for (let i = 0; i + L <= c.length; i += L) {
        for (let j = 0; j < L; j++) a[j] = c[i + j];
        res.push(op === 'toIndex' ? M.toIndex(crt, a) : M.familyOfResidues(crt, a));
      }
    } else if (op === 'toResidues') {
      const out = new Int32Array(R);
      for (let i = 0; i < c.length; i++) {
        out.fill(12345);
        const back = M.toResidues(out, crt, c[i]);
        if (back !== out) throw new Error('toResidues must return out');
        for (let j = 0; j < R; j++) res.push(out[j]);
      }
    } else if (op === 'familyOf') {
      for (let i = 0; i < c.length; i++) res.push(M.familyOf(crt, c[i]));
    } else if (op === 'shift') {
      const a = new Int32Array(R);
      const s = new Int32Array(R);
      const sep = new Int32Array(R);
      for (let i = 0; i + 2 * R <= c.length; i += 2 * R) {
        for (let j = 0; j < R; j++) {
          a[j] = c[i + j];
          s[j] = c[i + R + j];
        }
        let out = sep;
        if (r.alias === 'alpha') out = a;
        else if (r.alias === 's') out = s;
        else if (r.alias === 'both') {
          out = a;
          s.set(a);
        }
        const back = r.alias === 'both' ? M.shiftResidues(out, crt, out, out) : M.shiftResidues(out, crt, a, s);
        if (back !== out) throw new Error('shift must return out');
        for (let j = 0; j < R; j++) res.push(out[j]);
      }
    } else throw new Error('no such op: ' + op);
    return res;
  }
  // kind 'loop': n calls cycling over the cases, nothing kept; inputs prepared first.
  const n = r.n;
  const vs = [];
  const xs = [];
  if (op === 'toIndex' || op === 'familyOfResidues' || op === 'shift') {
    for (let i = 0; i + R <= c.length; i += R) vs.push(Int32Array.from(c.slice(i, i + R)));
  } else {
    for (let i = 0; i < c.length; i++) xs.push(c[i]);
  }
  const out = new Int32Array(R);
  const K = vs.length || xs.length;
  let acc = 0;
  if (op === 'toIndex') {
    const f = M.toIndex;
    for (let i = 0; i < n; i++) acc = acc ^ f(crt, vs[i % K]);
  } else if (op === 'familyOfResidues') {
    const f = M.familyOfResidues;
    for (let i = 0; i < n; i++) acc = acc ^ f(crt, vs[i % K]);
  } else if (op === 'toResidues') {
    const f = M.toResidues;
    for (let i = 0; i < n; i++) acc = acc ^ f(out, crt, xs[i % K])[0];
  } else if (op === 'familyOf') {
    const f = M.familyOf;
    for (let i = 0; i < n; i++) acc = acc ^ f(crt, xs[i % K]);
  } else if (op === 'shift' && r.alias === 'alpha') {
    const f = M.shiftResidues;
    for (let i = 0; i < n; i++) acc = acc ^ f(vs[0], crt, vs[0], vs[i % K])[0];
  } else {
    const f = M.shiftResidues;
    for (let i = 0; i < n; i++) acc = acc ^ f(out, crt, vs[i % K], vs[(i + 1) % K])[0];
  }
  return acc;
}

const SCENARIO = `globalThis.scenario = (r) => (${drive.toString()})(M, r);`;

// ---------------------------------------------------------------------------
// Inputs (test side: doubles and Math.random-free Rng are fine here)
// ---------------------------------------------------------------------------

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Fixed sets (the edges) plus random pairwise-coprime sets with product below 2^31. */
function moduliSets(rng: Rng, random: number): number[][] {
  const sets = [
    [3, 5, 7],
    [4, 9, 25],
    [2, 3, 5, 7, 11, 13],
    [46337, 46339],
    [2147483647],
    [2, 1073741823],
    [3, 715827881],
    [65536, 32767],
    [3, 5, 7, 11, 13, 17, 19, 23],
    [9, 7, 11, 31, 151, 331, 2], // M = 2^31 - 2
  ];
  while (sets.length < 10 + random) {
    const r = rng.range(1, 8);
    const set: number[] = [];
    let prod = 1;
    for (let tries = 0; set.length < r && tries < 100; tries++) {
      const room = Math.floor(0x7fffffff / prod);
      if (room < 2) break;
      // Log-uniform size, or (sometimes, for the last one) fill the room so M nears 2^31.
      const fill = set.length === r - 1 && rng.range(0, 1) === 1;
      const cap = fill ? room : Math.min(room, 2 ** rng.range(1, 31));
      const p = fill ? rng.range(Math.max(2, room >> 1), room) : rng.range(2, Math.max(2, cap));
      if (set.every((q) => gcd(p, q) === 1)) {
        set.push(p);
        prod *= p;
      }
    }
    if (set.length > 0) sets.push(set);
  }
  return sets;
}

function product(moduli: readonly number[]): number {
  return moduli.reduce((a, b) => a * b, 1);
}

function familyTable(rng: Rng, M: number): { index: number; family: number }[] {
  const n = Math.min(M, rng.range(0, 300));
  const used = new Set<number>();
  const t: { index: number; family: number }[] = [];
  while (t.length < n) {
    const index = rng.range(0, M - 1);
    if (used.has(index)) continue;
    used.add(index);
    t.push({ index, family: rng.range(0, 3) === 0 ? rng.range(0, 0x7fffffff) : rng.range(0, 99) });
  }
  return t;
}

/** A residue vector, with about 1 in 20 made invalid in one component. */
function residues(rng: Rng, moduli: readonly number[], into: number[]): void {
  const bad = rng.range(0, 19) === 0 ? rng.range(0, moduli.length - 1) : -1;
  for (let j = 0; j < moduli.length; j++) {
    const p = moduli[j];
    if (j !== bad) into.push(rng.range(0, 2) === 0 ? [0, p - 1, rng.range(0, p - 1)][rng.range(0, 2)] : rng.range(0, p - 1));
    else into.push([-1, p, 0x7fffffff, -0x7fffffff - 1, rng.int32()].filter((v) => v < 0 || v >= p)[rng.range(0, 3)]);
  }
}

/** An index: mostly valid, often one with a family, about 1 in 20 invalid (JSON carries 1.5 but not NaN). */
function index(rng: Rng, M: number, fam: { index: number }[]): number {
  const k = rng.range(0, 19);
  if (k === 0) return [-1, M, M + 7, 1.5, M - 0.5, -0x7fffffff - 1, 0x7fffffff][rng.range(0, 6)];
  if (k < 6 && fam.length > 0) return fam[rng.range(0, fam.length - 1)].index;
  if (k === 6) return [0, 1, M - 1][rng.range(0, 2)];
  return rng.range(0, M - 1);
}

interface Job {
  moduli: number[];
  families: { index: number; family: number }[];
}

const rng = new Rng(0xc27);
const SETS = moduliSets(rng, 14);
const JOBS: Job[] = SETS.map((moduli) => ({ moduli, families: familyTable(rng, product(moduli)) }));
/** Cases per function, spread over the sets: at least 10^4 (XS_CASES = 10^5 by default). */
const PER_SET = Math.ceil(Math.max(10_000, XS_CASES) / JOBS.length);

function casesFor(op: Op, job: Job, count: number): number[] {
  const M = product(job.moduli);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    if (op === 'toResidues' || op === 'familyOf') out.push(index(rng, M, job.families));
    else if (op === 'shift') {
      residues(rng, job.moduli, out);
      residues(rng, job.moduli, out);
    } else {
      // Residues of a family index sometimes, so familyOfResidues hits the table.
      if (op === 'familyOfResidues' && job.families.length > 0 && rng.range(0, 3) === 0) {
        const x = job.families[rng.range(0, job.families.length - 1)].index;
        for (const p of job.moduli) out.push(x % p);
      } else residues(rng, job.moduli, out);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------

let xs: XsWorker;
beforeAll(async () => {
  xs = await startXs(SCENARIO);
});
afterAll(async () => {
  await xs?.close();
});

/** Runs one batch in both engines; returns the first difference, or null. */
async function compare(req: Request, batch = 4_000): Promise<{ calls: number; undef: number; mismatch: string | null }> {
  const stride = req.op === 'shift' ? 2 * req.moduli!.length : req.op === 'toIndex' || req.op === 'familyOfResidues' ? req.len! : 1;
  const cases = req.cases!;
  let calls = 0;
  let undef = 0; // outputs equal to UNDEFINED_INDEX, to check both paths are exercised
  for (let start = 0; start < cases.length; start += batch * stride) {
    const part = { ...req, cases: cases.slice(start, start + batch * stride) };
    const node = drive(core, part) as number[];
    const { reply } = await xs.call<number[]>(part);
    calls += Math.floor(part.cases.length / stride);
    for (const v of node) if (v === core.UNDEFINED_INDEX) undef++;
    if (reply.length !== node.length) return { calls, undef, mismatch: `length: node ${node.length}, xs ${reply.length}` };
    for (let i = 0; i < node.length; i++) {
      if (!Object.is(reply[i], node[i])) {
        const k = Math.floor(i / (req.op === 'shift' || req.op === 'toResidues' ? req.moduli!.length : 1));
        const input = part.cases.slice(k * stride, (k + 1) * stride);
        return { calls, undef, mismatch: `${req.op} [${req.moduli!.join(',')}] (${input.join(', ')}): node ${node[i]}, xs ${reply[i]} at ${i}` };
      }
    }
  }
  return { calls, undef, mismatch: null };
}

describe('CRT index: Node and XS give the same bits', () => {
  const runs: [string, Op, Alias][] = [
    ['toIndex', 'toIndex', 'none'],
    ['toResidues', 'toResidues', 'none'],
    ['shift (separate out)', 'shift', 'none'],
    ['shift (out = alpha)', 'shift', 'alpha'],
    ['shift (out = s)', 'shift', 's'],
    ['shift (out = alpha = s)', 'shift', 'both'],
    ['familyOf', 'familyOf', 'none'],
    ['familyOfResidues', 'familyOfResidues', 'none'],
  ];
  it.each(runs)('%s', async (_name, op, alias) => {
    let calls = 0;
    let outputs = 0;
    let undef = 0;
    for (const job of JOBS) {
      const req: Request = { kind: 'batch', op, alias, ...job, len: job.moduli.length, cases: casesFor(op, job, PER_SET) };
      const res = await compare(req);
      expect(res.mismatch).toBeNull();
      calls += res.calls;
      undef += res.undef;
      outputs += op === 'shift' || op === 'toResidues' ? res.calls * job.moduli.length : res.calls;
    }
    expect(calls).toBeGreaterThanOrEqual(10_000);
    // Both paths are exercised: defined results, and UNDEFINED_INDEX (invalid input, or no family).
    const share = undef / outputs;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(op === 'familyOf' || op === 'familyOfResidues' ? 0.9 : 0.2);
  });

  it('toIndex and familyOfResidues with residue vectors of the wrong length', async () => {
    for (const job of JOBS.slice(0, 6)) {
      for (const len of [0, job.moduli.length - 1, job.moduli.length + 1]) {
        if (len === 0) continue; // a zero stride carries no cases; length 0 is covered in the Node tests
        const cases: number[] = [];
        for (let i = 0; i < 50 * len; i++) cases.push(rng.range(0, 5));
        for (const op of ['toIndex', 'familyOfResidues'] as const) {
          const res = await compare({ kind: 'batch', op, ...job, len, cases });
          expect(res.mismatch).toBeNull();
        }
      }
    }
  });

  it('createCrtIndex: the same tables and the same error messages', async () => {
    const sets: unknown[] = [
      ...SETS,
      [],
      [2, 3, 5, 7, 11, 13, 17, 19, 23],
      [3, 1.5],
      [3, '5'],
      [1, 3],
      [2147483648],
      [3, 5, 9],
      [5, 12, 18],
      [32768, 65537],
      [2147483647, 2147483629, 2147483587, 11, 13, 17, 19, 23],
      'nope',
    ];
    const node = drive(core, { kind: 'create', sets });
    const { reply } = await xs.call({ kind: 'create', sets });
    expect(reply).toEqual(node);
    expect((node as unknown[]).filter((v) => typeof v === 'string')).toHaveLength(11);
  });
});

describe('CRT index: no allocation in XS (heap after 100 calls = after 10_000)', () => {
  const heapAfter = async (req: Request, n: number): Promise<number> => {
    await xs.gc();
    const { meter } = await xs.call({ ...req, kind: 'loop', n });
    return meter.heapCount;
  };
  const loops: [string, Op, Alias][] = [
    ['toIndex', 'toIndex', 'none'],
    ['toResidues', 'toResidues', 'none'],
    ['shift', 'shift', 'none'],
    ['shift, out = alpha', 'shift', 'alpha'],
    ['familyOf', 'familyOf', 'none'],
    ['familyOfResidues', 'familyOfResidues', 'none'],
  ];
  // An r = 8 set, a set with a modulus above 46340, and the largest single modulus.
  const heapJobs = [JOBS[8], JOBS[6], JOBS[4]];
  it.each(loops)('%s', async (_name, op, alias) => {
    for (const job of heapJobs) {
      const cases = casesFor(op === 'shift' ? 'toIndex' : op, job, 64);
      const req: Request = { kind: 'loop', op, alias, ...job, cases };
      const small = await heapAfter(req, 100);
      const large = await heapAfter(req, 10_000);
      expect(large, `${op} [${job.moduli.join(',')}]`).toBe(small);
    }
  });
});
