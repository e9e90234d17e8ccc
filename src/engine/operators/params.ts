/**
 * Parameter checks shared by the built-in operators (SPEC 6, 12): setup time
 * only. Each check throws a RangeError whose message starts with the JSON
 * path of the offending value and states the rule broken
 * (`operators[2].M: row 2 has 3 entries, n is 4`). Values are raw int32 in
 * the model's Q format (as everywhere in a model), never decimals.
 */
import { INT32_MAX, INT32_MIN } from '../../fixed/q.js';
import { LINALG_N_MAX } from '../../linalg/matvec.js';

/** Throws `${path}: ${rule}`. */
export function fail(path: string, rule: string): never {
  throw new RangeError(`${path}: ${rule}`);
}

/** A short rendering of a bad value for a message. */
function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v;
}

/** True for an integer in int32 range (any number type check included). */
export function isInt32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

/** Validates the dimension the engine passes to a factory. */
export function checkN(path: string, n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > LINALG_N_MAX) fail(path, `state dimension n must be an integer in 1..${LINALG_N_MAX}, got ${show(n)}`);
}

/**
 * Rejects parameter names the operator does not know (a misspelt name would
 * otherwise be silently ignored). `kind` (the operator's name in the model)
 * is always allowed.
 */
export function checkKeys(path: string, params: Record<string, unknown>, known: readonly string[]): void {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) fail(path, `must be an object of parameters, got ${show(params)}`);
  for (const key of Object.keys(params)) {
    if (key !== 'kind' && known.indexOf(key) < 0) fail(`${path}.${key}`, `unknown parameter (known: ${known.join(', ')})`);
  }
}

/** An int32 in `lo..hi`. */
export function intParam(path: string, v: unknown, lo: number = INT32_MIN, hi: number = INT32_MAX): number {
  if (!isInt32(v)) fail(path, `must be an int32 (Q units), got ${show(v)}`);
  if (v < lo || v > hi) fail(path, `must be in ${lo}..${hi}, got ${v}`);
  return v;
}

/** An array (or Int32Array) of exactly `len` int32, copied into a new Int32Array. */
export function vectorParam(path: string, v: unknown, len: number, lenRule: string): Int32Array {
  if (!Array.isArray(v) && !(v instanceof Int32Array)) fail(path, `must be an array of ${len} int32, got ${show(v)}`);
  if (v.length !== len) fail(path, `has ${v.length} entries, ${lenRule}`);
  const out = new Int32Array(len);
  for (let i = 0; i < len; i++) out[i] = intParam(`${path}[${i}]`, v[i]);
  return out;
}

/** An n x n matrix given as n rows of n int32, copied row-major into a new Int32Array. */
export function matrixParam(path: string, v: unknown, n: number): Int32Array {
  if (!Array.isArray(v)) fail(path, `must be an array of ${n} rows, got ${show(v)}`);
  if (v.length !== n) fail(path, `has ${v.length} rows, n is ${n}`);
  const out = new Int32Array(n * n);
  for (let i = 0; i < n; i++) {
    const row: unknown = v[i];
    if (!Array.isArray(row) && !(row instanceof Int32Array)) fail(path, `row ${i} must be an array of ${n} int32, got ${show(row)}`);
    if (row.length !== n) fail(path, `row ${i} has ${row.length} entries, n is ${n}`);
    for (let j = 0; j < n; j++) out[i * n + j] = intParam(`${path}[${i}][${j}]`, row[j]);
  }
  return out;
}

/** An array (or Int32Array) of at most `maxLen` int32, copied into a new Int32Array. */
export function intListParam(path: string, v: unknown, maxLen: number): Int32Array {
  if (!Array.isArray(v) && !(v instanceof Int32Array)) fail(path, `must be an array of int32, got ${show(v)}`);
  if (v.length > maxLen) fail(path, `has ${v.length} entries, at most ${maxLen} allowed`);
  const out = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = intParam(`${path}[${i}]`, v[i]);
  return out;
}
