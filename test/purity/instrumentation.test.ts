/**
 * The integer-purity instrumentation (SPEC 1) can fail, names the place, and
 * is really applied to src/ in the `purity` project (and only there).
 */
import { describe, expect, it } from 'vitest';
import { CHECKER_NAMES, instrument } from '../../tools/purity/transform.js';
import { createCheckers, IntegerPurityError, newPurityState, purityState, type PurityState } from '../../tools/purity/runtime.js';
import { PURITY } from '../helpers/budget.js';

const FILE = 'src/fixed/fixture.ts';

type Fn = (...a: number[]) => unknown;

/** Instruments `source` and evaluates it with checkers of its own; returns the named functions. */
function load(source: string, names: string[]): { fns: Record<string, Fn>; state: PurityState; sites: number; badLiterals: string[] } {
  const out = instrument(source, FILE);
  const state = newPurityState();
  const checkers = createCheckers(state);
  // Evaluated as a function body: `export` has no meaning there.
  const body = `${out.code.replace(/^export /gm, '')}\nreturn { ${names.join(', ')} };`;
  const factory = new Function(...CHECKER_NAMES, body) as (...c: unknown[]) => Record<string, Fn>;
  const fns = factory(...CHECKER_NAMES.map((n) => checkers[n]));
  return { fns, state, sites: out.sites, badLiterals: out.badLiterals };
}

/** `file:line:col` of the first `needle` on the line holding `marker`. */
function loc(source: string, marker: string, needle: string): string {
  const lines = source.split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`no line with ${marker}`);
  const col = lines[i]!.indexOf(needle);
  if (col < 0) throw new Error(`no ${needle} on line ${i + 1}`);
  return `${FILE}:${i + 1}:${col + 1}`;
}

/** Runs `fn()` and returns the IntegerPurityError it throws. */
function violation(fn: () => unknown): IntegerPurityError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IntegerPurityError) return e;
    throw e;
  }
  throw new Error('expected an integer-purity violation, none was reported');
}

const FIXTURE = `
import type { QContext } from './q.js';
const INT32_MIN = -0x7fffffff - 1;
export function div(a: number, b: number): number {
  return a / b; // @div
}
export function add(a: number, b: number): number {
  return a + b; // @add
}
export function mul(a: number, b: number): number {
  return (a * b) | 0; // @mul
}
export function neg(x: number): number {
  return -x; // @neg
}
export function ushr(x: number): number {
  return x >>> 0; // @ushr
}
export function rem(a: number, b: number): number {
  return a % b; // @rem
}
export function sub(a: number, b: number): number {
  let s = a;
  s -= b; // @sub
  return s;
}
export function inc(x: number): number {
  let i = x;
  i++; // @inc
  return i;
}
export function pow(x: number): number {
  return x ** 2; // @pow
}
export function absolute(x: number): number {
  return Math.abs(x); // @abs
}
export function big(): number {
  const K = 4294967296; // @big
  return K;
}
export function swallow(a: number, b: number): number {
  try {
    return a + b; // @swallow
  } catch {
    return 0;
  }
}
export function label(name: string, v: number): string {
  let s = 'value of ' + name + ': ' + v; // @concat
  s += '!';
  return s + \`(\${v})\` + 1;
}
/** 32 x 32 -> 64-bit product as hi:lo int32 words, in 16-bit limbs: int32-pure. */
export function mul64(a: number, b: number, out: Int32Array): void {
  const al = a & 0xffff, ah = a >> 16;
  const bl = b & 0xffff, bh = b >> 16;
  const ll = Math.imul(al, bl);                   // < 2^32 as unsigned: keep as bits
  const lh = Math.imul(al, bh);                   // |.| < 2^31
  const hl = Math.imul(ah, bl);
  const hh = Math.imul(ah, bh);
  const mid = (lh & 0xffff) + (hl & 0xffff) + (ll >>> 16 & 0xffff); // < 3 * 2^16
  out[0] = (ll & 0xffff) | (mid << 16);
  out[1] = hh + (lh >> 16) + (hl >> 16) + (mid >> 16);
}
export function sum(xs: Int32Array, q: QContext): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s = s + (xs[i]! >> 4) - INT32_MIN % 7;
  return s + q.f;
}
`;

const NAMES = ['div', 'add', 'mul', 'neg', 'ushr', 'rem', 'sub', 'inc', 'pow', 'absolute', 'big', 'swallow', 'label', 'mul64', 'sum'];

describe('integer-purity instrumentation on fixtures', () => {
  const { fns, state, badLiterals } = load(FIXTURE, NAMES);
  const call = (name: string, ...args: unknown[]): unknown => (fns[name] as (...a: unknown[]) => unknown)(...args);

  it('reports a / b, even when the quotient is an integer', () => {
    const e = violation(() => call('div', 6, 3));
    expect(e.site).toBe(loc(FIXTURE, '@div', '/'));
    expect(e.message).toBe(`integer purity: ${loc(FIXTURE, '@div', '/')}: \`a / b\` gave 2: \`/\` and \`**\` always compute a double in XS (use integer division or shifts)`);
  });

  it('reports an overflowing a + b', () => {
    expect(call('add', 0x7ffffffe, 1)).toBe(0x7fffffff);
    const e = violation(() => call('add', 0x7fffffff, 1));
    expect(e.site).toBe(loc(FIXTURE, '@add', '+'));
    expect(e.message).toMatch(/`a \+ b` gave 2147483648, outside int32$/);
    expect(violation(() => call('add', -0x7fffffff - 1, -1)).site).toBe(loc(FIXTURE, '@add', '+'));
  });

  it('reports 0 * -3 (-0) and an overflowing product', () => {
    expect(call('mul', 3, -3)).toBe(-9);
    expect(call('mul', 0, 3)).toBe(0);
    const e = violation(() => call('mul', 0, -3));
    expect(e.site).toBe(loc(FIXTURE, '@mul', '*'));
    expect(e.message).toMatch(/`a \* b` gave -0, a double in XS$/);
    expect(violation(() => call('mul', 0x10000, 0x8000)).message).toMatch(/gave 2147483648, outside int32/);
  });

  it('reports -x for x = 0 and x = INT32_MIN', () => {
    expect(call('neg', 5)).toBe(-5);
    const e = violation(() => call('neg', 0));
    expect(e.site).toBe(loc(FIXTURE, '@neg', '-x'));
    expect(e.message).toMatch(/`-x` gave -0/);
    expect(violation(() => call('neg', -0x7fffffff - 1)).message).toMatch(/gave 2147483648/);
  });

  it('reports x >>> 0 of a negative x', () => {
    expect(call('ushr', 5)).toBe(5);
    const e = violation(() => call('ushr', -1));
    expect(e.site).toBe(loc(FIXTURE, '@ushr', '>>>'));
    expect(e.message).toMatch(/`x >>> 0` gave 4294967295, outside int32/);
  });

  it('reports a % b that gives -0, x ** 2, s -= b, i++ and Math.abs overflowing', () => {
    expect(call('rem', -7, 2)).toBe(-1);
    expect(violation(() => call('rem', -4, 2)).site).toBe(loc(FIXTURE, '@rem', '%'));
    expect(violation(() => call('pow', 3)).site).toBe(loc(FIXTURE, '@pow', '**'));
    expect(violation(() => call('sub', -0x7fffffff - 1, 1)).site).toBe(loc(FIXTURE, '@sub', '-='));
    expect(call('inc', 41)).toBe(42);
    expect(violation(() => call('inc', 0x7fffffff)).site).toBe(loc(FIXTURE, '@inc', '++'));
    expect(call('absolute', -5)).toBe(5);
    expect(violation(() => call('absolute', -0x7fffffff - 1)).site).toBe(loc(FIXTURE, '@abs', 'Math'));
  });

  it('reports a literal above 0x7FFFFFFF, statically and when evaluated', () => {
    expect(badLiterals).toEqual([`${loc(FIXTURE, '@big', '4294967296')}: 4294967296`]);
    const e = violation(() => call('big'));
    expect(e.site).toBe(loc(FIXTURE, '@big', '4294967296'));
    expect(e.message).toMatch(/`4294967296` gave 4294967296, outside int32/);
  });

  it('records a violation even when the code catches the exception', () => {
    state.violations = [];
    expect(call('swallow', 0x7fffffff, 1)).toBe(0);
    expect(state.violations).toHaveLength(1);
    expect(state.violations[0]).toContain(loc(FIXTURE, '@swallow', '+'));
    state.violations = [];
  });

  it('does not flag string concatenation', () => {
    expect(call('label', 'x', 0x7fffffff)).toBe('value of x: 2147483647!(2147483647)1');
    expect(state.violations).toEqual([]);
  });

  it('passes int32-only code, e.g. an exact 64-bit product in 16-bit limbs', () => {
    state.violations = [];
    const out = new Int32Array(2);
    const before = state.checks;
    let seed = 12345;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
    const edges = [0, 1, -1, 0x7fffffff, -0x7fffffff - 1, 0xffff, 0x10000, -0x10000];
    const cases: [number, number][] = [];
    for (const a of edges) for (const b of edges) cases.push([a, b]);
    for (let i = 0; i < 2000; i++) cases.push([next(), next()]);
    for (const [a, b] of cases) {
      call('mul64', a, b, out);
      const p = BigInt(a) * BigInt(b);
      expect([out[1], out[0]]).toEqual([Number(BigInt.asIntN(32, p >> 32n)), Number(BigInt.asIntN(32, p))]);
    }
    const xs = new Int32Array([1, -1, 0x7fffffff, -0x7fffffff - 1]);
    expect(call('sum', xs, { f: 16 })).toBe((0 + (1 >> 4) + (-1 >> 4) + (0x7fffffff >> 4) + ((-0x7fffffff - 1) >> 4)) + 4 * 2 + 16);
    expect(state.checks - before).toBeGreaterThan(cases.length * 3);
    expect(state.violations).toEqual([]);
  });
});

describe('integer-purity instrumentation of src/', () => {
  it('is applied to src/ in the purity project and only there', async ({ task }) => {
    const project = task.file.projectName;
    expect(['node', 'purity']).toContain(project);
    const state = purityState();
    const q = await import('../../src/fixed/q.js');
    const core = await import('../../src/index.js');
    const fns = Object.values(core).filter((v) => typeof v === 'function') as unknown as { toString(): string }[];
    const instrumented = fns.filter((fn) => fn.toString().includes('__mtk_'));

    if (project === 'purity') {
      expect(process.env.MATRIOSHKA_PURITY).toBe('1');
      expect(PURITY).toBe(true);
      // Each module registered itself when it was evaluated.
      expect([...state.files.keys()]).toEqual(expect.arrayContaining(['src/index.ts', 'src/fixed/index.ts', 'src/fixed/q.ts']));
      for (const file of state.files.keys()) expect(file).toMatch(/^src\//);
      // q.ts's INT32_MIN = -0x7fffffff - 1 is one checked subtraction, run at load.
      expect(state.files.get('src/fixed/q.ts')).toBeGreaterThanOrEqual(1);
      expect(q.INT32_MIN).toBe(-0x7fffffff - 1);
      expect(state.checks).toBeGreaterThan(0);
      // The functions the core exports are the instrumented ones, and calling
      // one runs checks: the exact multiply (16-bit limbs) passes them.
      expect(instrumented.length).toBeGreaterThan(0);
      expect(core.mulShift.toString()).toContain('__mtk_');
      const ctx = core.createQ(16);
      const before = state.checks;
      expect(core.mul(ctx, 3 << 16, -(5 << 15))).toBe(-(15 << 15));
      expect(core.mul(ctx, -0x7fffffff - 1, -0x7fffffff - 1)).toBe(0x7fffffff);
      expect(state.checks).toBeGreaterThan(before);
    } else {
      // The reference run loads src/ as written.
      expect(state.files.size).toBe(0);
      expect(state.checks).toBe(0);
      expect(instrumented).toEqual([]);
    }
  });
});
