/**
 * Benchmark cases: what `npm run bench` measures (docs/bench.md).
 *
 * A case is one unit of work inside a fixed loop shape (tools/bench/scenario.ts):
 *
 *     for (let r = 0; r < reps; r++)
 *       for (let i = 0; i < LEN; i++) { <body> }
 *
 * run with N and with 2N `reps` in each engine; cost per unit = difference /
 * (N * LEN), so start-up, parse and setup cancel out. The body reads its
 * arguments from `Int32Array(LEN)`s made in `setup` (typed arrays, like the
 * engine's state and tables) and folds its result into the int32 `s`, so
 * nothing is optimized away and every engine's `s` can be compared.
 *
 * The floor is the cheapest integer multiply-accumulate XS offers: the same
 * loop doing `s = (s + fa[i] * fb[i]) | 0` on two Int32Array(LEN) of small
 * ints (|v| < 128: the products and the sum stay int32, so XS never leaves
 * its integer path). A case's ratio is its cost / (floorMacs x floor cost).
 *
 * Op rows fold with `s ^= op(...)`: one bytecode like the floor's `+`, and it
 * cannot overflow into a double whatever the op returns. Argument ranges are
 * typical in-domain values that neither saturate nor hit a domain error (the
 * harness checks `q.flags` stays 0), in Q16.16 (`q = createQ(16)`).
 */

import { ADMM_CASES } from './admm.js';
import { CAQ_CASES } from './caq.js';
import { GEOMETRY_CASES } from './geometry.js';
import { ENGINE_CASES } from './engine.js';
import { TENSOR_CASES } from './tensor.js';

export type BenchGroup = 'floor' | 'fixed' | 'engine';

export interface BenchCase {
  /** Row name; the key in the baseline. */
  name: string;
  group: BenchGroup;
  /** Core exports the case calls; it is skipped (and reported) while one is missing. */
  needs: readonly string[];
  /**
   * Run once before the loop. Sees the core as `M` and
   * `fill(lo, hi, seed)`: a new Int32Array(LEN) of deterministic ints in [lo, hi].
   */
  setup: string;
  /** One unit of work. Sees `i` (0..LEN-1), the int32 accumulator `s` and setup's bindings. */
  body: string;
  /** Multiply-accumulates that the floor does for one unit of this case (default 1). */
  floorMacs?: number;
  /**
   * N, the outer reps of the shorter run (default REPS in measure.ts, 16);
   * lower it for a unit of millions of instructions to keep the bench quick.
   */
  reps?: number;
}

/** Elements per array, iterations of the inner loop. */
export const LEN = 64;

const ONE = 1 << 16; // 1.0 in Q16.16

/** The floor: one plain small-int multiply-accumulate. */
export const FLOOR: BenchCase = {
  name: 'floor',
  group: 'floor',
  needs: [],
  setup: 'const fa = fill(-128, 127, 101); const fb = fill(-128, 127, 102);',
  body: 's = (s + fa[i] * fb[i]) | 0;',
};

type Range = readonly [lo: number, hi: number];

/**
 * A fixed-point op case: `s ^= fn(q, args...)`. `args` gives each array
 * argument's range, or a literal (a shift count, a bound) as a string.
 */
function op(name: string, fn: string, args: readonly (Range | string)[], opts: { noQ?: boolean } = {}): BenchCase {
  const names = 'abcd';
  const decls: string[] = [];
  const callArgs: string[] = opts.noQ ? [] : ['q'];
  args.forEach((arg, k) => {
    if (typeof arg === 'string') {
      callArgs.push(arg);
    } else {
      decls.push(`const ${names[k]} = fill(${arg[0]}, ${arg[1]}, ${k + 1});`);
      callArgs.push(`${names[k]}[i]`);
    }
  });
  return {
    name,
    group: 'fixed',
    needs: [fn],
    setup: `const q = M.createQ(16); const ${fn} = M.${fn}; ${decls.join(' ')}`,
    body: `s ^= ${fn}(${callArgs.join(', ')});`,
  };
}

const signed = (bits: number): Range => [-(2 ** bits), 2 ** bits];
const positive = (lo: number, hi: number): Range => [lo, hi];

/** Every case, in table order. */
export const CASES: readonly BenchCase[] = [
  FLOOR,
  {
    // The Q multiply-accumulate: what a matrix-vector product costs per element
    // when written with the scalar helpers.
    name: 'mac',
    group: 'fixed',
    needs: ['add', 'mul'],
    setup:
      'const q = M.createQ(16); const add = M.add; const mul = M.mul; ' +
      `const a = fill(${-2 * ONE}, ${2 * ONE}, 1); const b = fill(${-2 * ONE}, ${2 * ONE}, 2);`,
    body: 's = add(q, s, mul(q, a[i], b[i]));',
  },
  op('add', 'add', [signed(29), signed(29)]),
  op('sub', 'sub', [signed(29), signed(29)]),
  op('neg', 'neg', [signed(30)]),
  op('abs', 'abs', [signed(30)]),
  op('min', 'min', [signed(30), signed(30)], { noQ: true }),
  op('max', 'max', [signed(30), signed(30)], { noQ: true }),
  op('clamp', 'clamp', [signed(18), String(-ONE), String(ONE)], { noQ: true }),
  op('fromInt', 'fromInt', [signed(14)]),
  op('toIntRound', 'toIntRound', [signed(30)]),
  op('mul', 'mul', [signed(20), signed(20)]),
  op('mulShift', 'mulShift', [signed(20), signed(20), '20']),
  op('shr', 'shr', [signed(24), '5']),
  op('shl', 'shl', [signed(24), '5']),
  op('div', 'div', [signed(22), positive(1 << 14, 1 << 22)]),
  op('divRound', 'divRound', [signed(22), positive(1 << 14, 1 << 22)]),
  op('mulDiv', 'mulDiv', [signed(20), signed(20), positive(1 << 16, 1 << 22)]),
  op('isqrt', 'isqrt', [positive(0, 2 ** 30)]),
  op('sqrt', 'sqrt', [positive(0, 2 ** 30)]),
  op('sin', 'sin', [positive(0, (1 << 24) - 1)]),
  op('cos', 'cos', [positive(0, (1 << 24) - 1)]),
  op('atan2', 'atan2', [signed(20), signed(20)]),
  op('exp2', 'exp2', [signed(19)]),
  op('log2', 'log2', [positive(1, 2 ** 30)]),
  op('sigmoid', 'sigmoid', [signed(19)]),
  op('tanh', 'tanh', [signed(19)]),
  // Engine operations: one unit = one call of the whole operation.
  ...GEOMETRY_CASES,
  ...CAQ_CASES,
  ...ENGINE_CASES,
  ...ADMM_CASES,
  ...TENSOR_CASES,
];
