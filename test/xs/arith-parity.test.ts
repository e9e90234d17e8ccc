/**
 * Node vs XS for the exact fixed-point core (SPEC 1): add/sub/neg/abs,
 * min/max/clamp, fromInt/toIntRound, mulShift/mul, shr/shl, div/divRound/
 * mulDiv, isqrt/sqrt. Each op: at least XS_CASES random calls (plus edge
 * inputs) give the same bits and flags in both engines, and calling it 100 or
 * 10,000 times leaves the XS heap at the same slot count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F_MAX, F_MIN } from '../../src/fixed/q.js';
import type { XsWorker } from '../../tools/xs/runner.js';
import { startXs } from '../../tools/xs/runner.js';
import { XS_CASES } from '../helpers/budget.js';
import { INT32_EDGES } from '../helpers/edges.js';
import { Rng } from '../helpers/rng.js';
import { firstMismatch, heapAfterCalls, OPS_SCENARIO, type OpCall } from '../helpers/xs-ops.js';

const F_ALL = Array.from({ length: F_MAX - F_MIN + 1 }, (_, i) => F_MIN + i);

interface OpSpec {
  op: string;
  noQ?: boolean;
  /** Formats to run: every f for f-dependent ops, Q16.16 otherwise. */
  fs: number[];
  /** One random argument list. */
  gen: (rng: Rng) => number[];
  /** Edge argument lists run before the random ones. */
  edges: number[][];
  /** A few argument lists for the heap loop (saturating ones included). */
  loop: number[][];
}

const operand = (rng: Rng) => (rng.int32() & 1 ? rng.wide() : rng.int32());
const shiftCount = (rng: Rng) => rng.range(0, 31);
const pairs = INT32_EDGES.flatMap((a) => INT32_EDGES.map((b) => [a, b]));
const singles = INT32_EDGES.map((a) => [a]);
const MIN = -0x7fffffff - 1;
const MAX = 0x7fffffff;

const OPS: OpSpec[] = [
  { op: 'add', fs: [16], gen: (r) => [operand(r), operand(r)], edges: pairs, loop: [[1, 2], [MAX, 1], [MIN, -1]] },
  { op: 'sub', fs: [16], gen: (r) => [operand(r), operand(r)], edges: pairs, loop: [[1, 2], [MAX, -1], [MIN, 1]] },
  { op: 'neg', fs: [16], gen: (r) => [operand(r)], edges: singles, loop: [[0], [5], [MIN]] },
  { op: 'abs', fs: [16], gen: (r) => [operand(r)], edges: singles, loop: [[0], [-5], [MIN]] },
  { op: 'min', noQ: true, fs: [16], gen: (r) => [operand(r), operand(r)], edges: pairs, loop: [[1, 2], [MIN, MAX]] },
  { op: 'max', noQ: true, fs: [16], gen: (r) => [operand(r), operand(r)], edges: pairs, loop: [[1, 2], [MIN, MAX]] },
  {
    op: 'clamp',
    noQ: true,
    fs: [16],
    gen: (r) => {
      const [x, b, c] = [operand(r), operand(r), operand(r)];
      return b < c ? [x, b, c] : [x, c, b];
    },
    edges: pairs.map(([a, b]) => [a, -0x10000, b]),
    loop: [[5, 0, 10], [-5, 0, 10], [50, 0, 10]],
  },
  { op: 'fromInt', fs: F_ALL, gen: (r) => [operand(r)], edges: singles, loop: [[3], [MAX], [MIN]] },
  { op: 'toIntRound', fs: F_ALL, gen: (r) => [operand(r)], edges: singles, loop: [[0x18000], [-0x18000], [MIN]] },
  {
    op: 'mulShift',
    fs: [16],
    gen: (r) => [operand(r), operand(r), shiftCount(r)],
    edges: pairs.flatMap(([a, b]) => [0, 1, 15, 16, 17, 30, 31].map((s) => [a, b, s])),
    loop: [[MIN, MIN, 0], [MIN, MAX, 31], [12345, -6789, 7]],
  },
  { op: 'mul', fs: F_ALL, gen: (r) => [operand(r), operand(r)], edges: pairs, loop: [[MIN, MIN], [0x18000, -0x28000], [3, 5]] },
  {
    op: 'shr',
    fs: [16],
    gen: (r) => [operand(r), shiftCount(r)],
    edges: INT32_EDGES.flatMap((a) => [0, 1, 2, 15, 16, 30, 31].map((s) => [a, s])),
    loop: [[3, 1], [-5, 1], [MIN, 31]],
  },
  {
    op: 'shl',
    fs: [16],
    gen: (r) => [operand(r), shiftCount(r)],
    edges: INT32_EDGES.flatMap((a) => [0, 1, 2, 15, 16, 30, 31].map((s) => [a, s])),
    loop: [[3, 1], [MAX, 1], [MIN, 31]],
  },
  { op: 'div', fs: F_ALL, gen: (r) => [operand(r), operand(r)], edges: pairs, loop: [[1, 3], [MAX, 1], [5, 0]] },
  { op: 'divRound', fs: [16], gen: (r) => [operand(r), operand(r)], edges: pairs, loop: [[7, 2], [MIN, -1], [5, 0]] },
  {
    op: 'mulDiv',
    fs: [16],
    gen: (r) => [operand(r), operand(r), operand(r)],
    edges: pairs.flatMap(([a, b]) => [1, -1, 3, MIN, MAX, 0x10000].map((c) => [a, b, c])),
    loop: [[MIN, MIN, MIN], [MIN, MIN, 1], [5, 7, 0]],
  },
  { op: 'isqrt', fs: [16], gen: (r) => [operand(r)], edges: singles, loop: [[MAX], [2], [-1]] },
  { op: 'sqrt', fs: F_ALL, gen: (r) => [operand(r)], edges: singles, loop: [[MAX], [0x10000], [-1]] },
];

/** The op's calls, split over its formats: edges in each, XS_CASES random in total. */
function callsFor(spec: OpSpec): OpCall[] {
  const rng = new Rng(0x9e3779b9 ^ spec.op.length * 0x1234567);
  const per = Math.ceil(XS_CASES / spec.fs.length);
  return spec.fs.map((f) => {
    const args = [...spec.edges];
    for (let i = 0; i < per; i++) args.push(spec.gen(rng));
    return { op: spec.op, f, noQ: spec.noQ, args };
  });
}

describe('fixed-point core: Node and XS agree bit for bit, without heap growth', () => {
  let xs: XsWorker;
  beforeAll(async () => {
    xs = await startXs(OPS_SCENARIO);
  });
  afterAll(async () => {
    await xs?.close();
  });

  for (const spec of OPS) {
    it(`${spec.op}: >= ${XS_CASES} random calls (and edges) give identical bits and flags`, async () => {
      let random = 0;
      for (const call of callsFor(spec)) {
        expect(await firstMismatch(xs, call)).toBeNull();
        random += call.args.length - spec.edges.length;
      }
      expect(random).toBeGreaterThanOrEqual(XS_CASES);
    });

    it(`${spec.op}: 100 and 10,000 calls leave the same heap`, async () => {
      const call: OpCall = { op: spec.op, f: spec.fs[0], noQ: spec.noQ, args: spec.loop };
      const small = await heapAfterCalls(xs, call, 100);
      const large = await heapAfterCalls(xs, call, 10_000);
      expect(large).toBe(small);
    });
  }
});
