/**
 * Shape checks of a model description, with messages that name the JSON
 * path and the rule broken (`families[0].levels[2].A[3]: row has 5 entries,
 * n is 4`). Setup time only; the parts (CRT, CAQ, windows, operators) check
 * their own values further when they are created.
 */
import { F_MAX, F_MIN, INT32_MAX, INT32_MIN } from '../fixed/q.js';
import type { ModelSpec, PolytopeSpec } from './model.js';

/** Largest state dimension a model may declare. */
export const MODEL_N_MAX = 64;
/** Largest number of facets of one polytope. */
export const MODEL_M_MAX = 256;
/** Largest history ring (states). */
export const MODEL_HISTORY_MAX = 1024;
/** Largest per-level derivative order (SPEC 11; the tensor work's TENSOR_ORDER_MAX). */
export const MODEL_ORDER_MAX = 5;

function fail(path: string, rule: string): never {
  throw new RangeError(`${path}: ${rule}`);
}

function int(path: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, `must be an integer, got ${JSON.stringify(v)}`);
  if (v < lo || v > hi) fail(path, `must be in ${lo}..${hi}, got ${v}`);
  return v;
}

function list(path: string, v: unknown, len?: number, lenRule?: string): unknown[] {
  if (!Array.isArray(v)) fail(path, `must be an array, got ${v === null ? 'null' : typeof v}`);
  if (len !== undefined && v.length !== len) fail(path, `has ${v.length} entries, ${lenRule ?? `expected ${len}`}`);
  return v;
}

function ints(path: string, v: unknown, len: number, lenRule: string, lo = INT32_MIN, hi = INT32_MAX): void {
  list(path, v, len, lenRule).forEach((e, i) => int(`${path}[${i}]`, e, lo, hi));
}

function checkPolytope(path: string, p: PolytopeSpec, n: number, r: number): void {
  if (typeof p !== 'object' || p === null) fail(path, 'must be an object with A and b');
  const rows = list(`${path}.A`, p.A);
  const m = rows.length;
  if (m < 1 || m > MODEL_M_MAX) fail(`${path}.A`, `must have 1..${MODEL_M_MAX} rows, got ${m}`);
  rows.forEach((row, i) => {
    const entries = list(`${path}.A[${i}]`, row);
    if (entries.length !== n) fail(`${path}.A[${i}]`, `row has ${entries.length} entries, n is ${n}`);
    entries.forEach((e, j) => int(`${path}.A[${i}][${j}]`, e, INT32_MIN, INT32_MAX));
  });
  ints(`${path}.b`, p.b, m, `A has ${m} rows`);
  if (p.bMin !== undefined) ints(`${path}.bMin`, p.bMin, m, `A has ${m} rows`);
  if (p.bMax !== undefined) ints(`${path}.bMax`, p.bMax, m, `A has ${m} rows`);
  if (p.shifts !== undefined) {
    list(`${path}.shifts`, p.shifts, m, `A has ${m} rows`).forEach((s, i) => {
      if (s !== null) ints(`${path}.shifts[${i}]`, s, r, `there are ${r} moduli`, 0, INT32_MAX);
    });
  }
}

/** Throws a RangeError naming the first path that breaks a rule. */
export function checkModel(model: ModelSpec): void {
  if (typeof model !== 'object' || model === null) fail('model', 'must be an object');
  const n = int('n', model.n, 1, MODEL_N_MAX);
  if (model.f !== undefined) int('f', model.f, F_MIN, F_MAX);
  const r = list('moduli', model.moduli).length;
  const L1 = list('levels', model.levels).length;
  if (L1 < 1) fail('levels', 'must have at least one level');
  model.levels.forEach((lv, l) => {
    int(`levels[${l}].beta`, lv.beta, 0, INT32_MAX);
    int(`levels[${l}].tol`, lv.tol, 0, INT32_MAX);
    int(`levels[${l}].tau`, lv.tau, 0, INT32_MAX);
    if (lv.windows !== undefined) list(`levels[${l}].windows`, lv.windows);
    if (lv.order !== undefined) int(`levels[${l}].order`, lv.order, 0, MODEL_ORDER_MAX);
  });
  const families = list('families', model.families);
  if (families.length < 1) fail('families', 'must have at least one family');
  model.families.forEach((fam, k) => {
    int(`families[${k}].index`, fam.index, 0, INT32_MAX);
    list(`families[${k}].levels`, fam.levels, L1, `the model has ${L1} levels`);
    fam.levels.forEach((p, l) => checkPolytope(`families[${k}].levels[${l}]`, p, n, r));
  });
  list('operators', model.operators).forEach((op, k) => {
    if (typeof op !== 'object' || op === null || typeof (op as { kind?: unknown }).kind !== 'string') {
      fail(`operators[${k}].kind`, 'must be a string naming an operator');
    }
  });
  if (model.gates !== undefined) {
    ints('gates.omega', model.gates.omega, n, `n is ${n}`);
    ints('gates.chi', model.gates.chi, n, `n is ${n}`);
    int('gates.theta', model.gates.theta, 0, INT32_MAX);
    int('gates.epsPas', model.gates.epsPas, 0, INT32_MAX);
  }
  if (typeof model.caq !== 'object' || model.caq === null) fail('caq', 'must be an object of CAQ settings');
  int('kMax', model.kMax, 1, MODEL_M_MAX);
  int('tPromote', model.tPromote, 1, INT32_MAX);
  int('tComm', model.tComm, 0, INT32_MAX);
  int('history', model.history, 1, MODEL_HISTORY_MAX);
  if (model.searchCap !== undefined) int('searchCap', model.searchCap, 1, 4096);
  if (model.projectIters !== undefined) int('projectIters', model.projectIters, 1, 4096);
  if (model.pressureLeak !== undefined) int('pressureLeak', model.pressureLeak, 1, 31);
}
