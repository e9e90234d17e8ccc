/**
 * Checkers called by the instrumented build of `src/` (see transform.ts).
 *
 * State (counters, instrumented files, violations) lives on `globalThis`
 * under a registered symbol, so every copy of this module in a process shares
 * it, and tests can read it without importing through the same module id.
 */

/** What the instrumented build has done in this process. */
export interface PurityState {
  /** Checks performed (each checked arithmetic result counts one). */
  checks: number;
  /** Instrumented source files that ran, with their number of checked sites. */
  files: Map<string, number>;
  /** Violations seen since the last `takeViolations` (kept even if the throw was caught). */
  violations: string[];
}

export const STATE_KEY = Symbol.for('matrioshka.integer-purity');

export function newPurityState(): PurityState {
  return { checks: 0, files: new Map(), violations: [] };
}

/** The process-wide state; created on first use. */
export function purityState(): PurityState {
  const g = globalThis as unknown as Record<symbol, PurityState | undefined>;
  return (g[STATE_KEY] ??= newPurityState());
}

/** Returns the violations recorded so far and forgets them. */
export function takeViolations(state: PurityState = purityState()): string[] {
  const v = state.violations;
  state.violations = [];
  return v;
}

/** Thrown at the first non-int32 result. `site` is `file:line:col`. */
export class IntegerPurityError extends Error {
  constructor(
    readonly site: string,
    readonly expression: string,
    readonly value: unknown,
    why: string,
  ) {
    super(`integer purity: ${site}: \`${expression}\` ${why}`);
    this.name = 'IntegerPurityError';
  }
}

function show(v: unknown): string {
  if (Object.is(v, -0)) return '-0';
  if (typeof v === 'number') return String(v);
  return `${typeof v} ${String(v)}`;
}

export interface Checkers {
  /** `v` must be an int32 other than -0 (a string passes: `+` concatenating). Returns `v`. */
  __mtk_i32(v: unknown, site: string): unknown;
  /** `x++`: `v` is the old value, `v + 1` must be an int32. Returns `v`. */
  __mtk_inc(v: unknown, site: string): unknown;
  /** `x--`: `v - 1` must be an int32. Returns `v`. */
  __mtk_dec(v: unknown, site: string): unknown;
  /** `/` or `**` ran: always a violation (XS computes them in floating point). */
  __mtk_div(v: unknown, site: string): never;
  /** Called once when an instrumented module is evaluated. */
  __mtk_register(file: string, sites: number): void;
}

/** Checkers that record into `state`. */
export function createCheckers(state: PurityState): Checkers {
  /** Records and throws; the stack starts at the instrumented line (`from` and above cut off). */
  const fail = (v: unknown, where: string, why: string, from: (...a: never[]) => unknown): never => {
    const bar = where.indexOf('|');
    const site = bar < 0 ? where : where.slice(0, bar);
    const text = bar < 0 ? '?' : where.slice(bar + 1);
    const err = new IntegerPurityError(site, text, v, why);
    Error.captureStackTrace?.(err, from);
    state.violations.push(err.message);
    throw err;
  };
  const notInt32 = (v: unknown, where: string, what: string, from: (...a: never[]) => unknown): never => {
    if (Object.is(v, -0)) return fail(v, where, `${what} -0, a double in XS`, from);
    if (typeof v === 'number' && Number.isInteger(v)) return fail(v, where, `${what} ${v}, outside int32`, from);
    return fail(v, where, `${what} ${show(v)}, not an int32`, from);
  };
  const checkers: Checkers = {
    __mtk_i32(v, where) {
      state.checks++;
      if ((v as number) === ((v as number) | 0) && (v !== 0 || 1 / v === Infinity)) return v;
      if (typeof v === 'string') return v;
      return notInt32(v, where, 'gave', checkers.__mtk_i32);
    },
    __mtk_inc(v, where) {
      state.checks++;
      const n = (v as number) + 1;
      if (n === (n | 0)) return v;
      return notInt32(n, where, 'made', checkers.__mtk_inc);
    },
    __mtk_dec(v, where) {
      state.checks++;
      const n = (v as number) - 1;
      if (n === (n | 0)) return v;
      return notInt32(n, where, 'made', checkers.__mtk_dec);
    },
    __mtk_div(v, where) {
      state.checks++;
      return fail(
        v,
        where,
        `gave ${show(v)}: \`/\` and \`**\` always compute a double in XS (use integer division or shifts)`,
        checkers.__mtk_div,
      );
    },
    __mtk_register(file, sites) {
      state.files.set(file, sites);
    },
  };
  return checkers;
}

const shared = createCheckers(purityState());
export const __mtk_i32 = shared.__mtk_i32;
export const __mtk_inc = shared.__mtk_inc;
export const __mtk_dec = shared.__mtk_dec;
export const __mtk_div = shared.__mtk_div;
export const __mtk_register = shared.__mtk_register;
