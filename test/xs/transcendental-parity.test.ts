/**
 * Node vs XS for the transcendental functions (SPEC 1): sin, cos, atan2,
 * exp2, log2, sigmoid, tanh. Each: at least XS_CASES random calls (plus edge
 * inputs), spread over its formats, give the same bits and flags in both
 * engines; calling it 100 or 10,000 times leaves the XS heap at the same
 * slot count (no allocation per call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XsWorker } from '../../tools/xs/runner.js';
import { startXs } from '../../tools/xs/runner.js';
import { XS_CASES } from '../helpers/budget.js';
import { INT32_EDGES } from '../helpers/edges.js';
import { Rng } from '../helpers/rng.js';
import { firstMismatch, heapAfterCalls, OPS_SCENARIO, type OpCall } from '../helpers/xs-ops.js';

const F_ALL = Array.from({ length: 17 }, (_, i) => 8 + i);
const F_SAMPLED = [8, 12, 16, 20, 24];
const MIN = -0x7fffffff - 1;
const MAX = 0x7fffffff;
const QUARTER = 1 << 22;

interface OpSpec {
  op: string;
  fs: number[];
  /** One random argument list for format f. */
  gen: (rng: Rng, f: number) => number[];
  /** Edge argument lists for format f, run before the random ones. */
  edges: (f: number) => number[][];
  /** A few argument lists for the heap loop (saturating / domain ones included). */
  loop: number[][];
}

const operand = (rng: Rng) => (rng.int32() & 1 ? rng.wide() : rng.int32());
const singles = () => INT32_EDGES.map((a) => [a]);
/** Uniform in [-k, k] * 2^f (k * 2^f < 2^31), or any int32 one time in four. */
const around = (rng: Rng, f: number, k: number) => (rng.int32() & 3 ? [rng.range(-k * 2 ** f, k * 2 ** f)] : [operand(rng)]);
const angleEdges = () => [
  ...singles(),
  ...[0, 1, QUARTER - 1, QUARTER, QUARTER + 1, 2 * QUARTER, 3 * QUARTER, (1 << 24) - 1].map((a) => [a]),
];

const OPS: OpSpec[] = [
  { op: 'sin', fs: F_ALL, gen: (r) => [operand(r)], edges: angleEdges, loop: [[0], [QUARTER], [12345], [MIN]] },
  { op: 'cos', fs: F_ALL, gen: (r) => [operand(r)], edges: angleEdges, loop: [[0], [QUARTER], [-12345], [MAX]] },
  {
    op: 'atan2',
    fs: [8, 16, 24],
    gen: (r) => [operand(r), operand(r)],
    edges: () => INT32_EDGES.flatMap((y) => [0, 1, -1, 0x10000, MAX, MIN].map((x) => [y, x])),
    loop: [[0, 0], [1, 1], [-1, MIN], [123456, -7891011]],
  },
  {
    op: 'exp2',
    fs: F_SAMPLED,
    gen: (r, f) => (r.int32() & 3 ? [r.range(-(f + 2) * 2 ** f, (32 - f) * 2 ** f)] : [operand(r)]),
    edges: (f) => [...singles(), ...[-f - 1, -1, 0, 1, 30 - f, 31 - f].flatMap((k) => [[k << f], [(k << f) - 1]])],
    loop: [[0], [-12345], [MAX], [MIN]],
  },
  {
    op: 'log2',
    fs: F_SAMPLED,
    gen: (r) => [r.int32() & 7 ? operand(r) & MAX : r.int32()],
    edges: (f) => [...singles(), [1 << f], [(1 << f) - 1], [(1 << f) + 1]],
    loop: [[0x10000], [12345], [0], [-1]],
  },
  { op: 'sigmoid', fs: F_SAMPLED, gen: (r, f) => around(r, f, 40), edges: singles, loop: [[0], [-12345], [MAX], [MIN]] },
  { op: 'tanh', fs: F_SAMPLED, gen: (r, f) => around(r, f, 40), edges: singles, loop: [[0], [12345], [MAX], [MIN]] },
];

/** The op's calls, split over its formats: edges in each, XS_CASES random in total. */
function callsFor(spec: OpSpec): { calls: OpCall[]; random: number } {
  const rng = new Rng(0x7a5c ^ (spec.op.length * 0x1234567) ^ spec.op.charCodeAt(0));
  const per = Math.ceil(XS_CASES / spec.fs.length);
  const calls = spec.fs.map((f) => {
    const args = [...spec.edges(f)];
    for (let i = 0; i < per; i++) args.push(spec.gen(rng, f));
    return { op: spec.op, f, args };
  });
  return { calls, random: per * spec.fs.length };
}

describe('transcendental functions: Node and XS agree bit for bit, without heap growth', () => {
  let xs: XsWorker;
  beforeAll(async () => {
    xs = await startXs(OPS_SCENARIO);
  });
  afterAll(async () => {
    await xs?.close();
  });

  for (const spec of OPS) {
    it(`${spec.op}: >= ${XS_CASES} random calls (and edges) give identical bits and flags`, async () => {
      const { calls, random } = callsFor(spec);
      for (const call of calls) expect(await firstMismatch(xs, call)).toBeNull();
      expect(random).toBeGreaterThanOrEqual(XS_CASES);
    });

    it(`${spec.op}: 100 and 10,000 calls leave the same heap`, async () => {
      const call: OpCall = { op: spec.op, f: spec.fs[spec.fs.length - 1], args: spec.loop };
      const small = await heapAfterCalls(xs, call, 100);
      const large = await heapAfterCalls(xs, call, 10_000);
      expect(large).toBe(small);
    });
  }
});
