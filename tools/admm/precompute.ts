/**
 * Host side of the ADMM operator (SPEC 7): quantizes a QP given in floats
 * and computes `K = (P + sigma I + rho C'C)^-1` in float64 (Cholesky), then
 * stores it in Q format with round to nearest, ties to even, and range
 * checks. Floats are fine here: this runs on the host, once, and its output
 * is a table of integers (an `AdmmSpec` for `createAdmmProblem`).
 *
 * K is computed from the QUANTIZED P, C, rho, sigma (decoded exactly to
 * float64), i.e. it inverts the matrix the device actually iterates with.
 * Its fractional bits `kShift` default to the finest format in f..30 that
 * its largest entry fits (more bits, faster convergence); an explicit
 * `kShift` whose entries do not fit is an error naming the entry.
 *
 * Infinite bounds: `-Infinity` / `+Infinity` in `l` / `u` become the
 * sentinels `ADMM_NEG_INF` / `ADMM_POS_INF` (src/admm/problem.ts).
 *
 * Usage as a command: `tsx tools/admm/precompute.ts qp.json [out.json]`
 * with `{ f?, P, q, C, l, u, rho, sigma, alpha, kShift? }` in decimals
 * (`null` for an infinite bound); writes the `AdmmSpec` as JSON.
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ADMM_NEG_INF, ADMM_POS_INF, type AdmmSpec } from '../../src/admm/problem.js';

/** A QP in decimals: minimize 1/2 x'Px + q'x subject to l <= C x <= u. */
export interface FloatQp {
  P: number[][];
  q: number[];
  C: number[][];
  /** -Infinity for no lower bound. */
  l: number[];
  /** +Infinity for no upper bound. */
  u: number[];
}

/** What `compileAdmm` returns: an `AdmmSpec` with plain arrays and every field present. */
export interface CompiledAdmm extends Required<AdmmSpec> {
  P: number[][];
  q: number[];
  C: number[][];
  l: number[];
  u: number[];
  K: number[][];
}

/** ADMM settings in decimals. */
export interface FloatAdmmSettings {
  rho: number;
  sigma: number;
  alpha: number;
  /** Fractional bits of K (default: the finest in f..30 that fits). */
  kShift?: number;
}

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

/** `v` rounded to the nearest integer, ties to even (Math.round rounds ties up). */
export function roundEven(v: number): number {
  const r = Math.round(v);
  return (r - v === 0.5 && r % 2 !== 0 ? r - 1 : r) + 0; // + 0: no -0
}

/** `v` in Q f (RNE), or a RangeError naming `path` when it does not fit int32 or is not finite. */
export function toQ(v: number, f: number, path: string): number {
  if (!Number.isFinite(v)) throw new RangeError(`${path}: must be a finite number, got ${v}`);
  const r = roundEven(v * 2 ** f);
  if (r > INT32_MAX || r < INT32_MIN) {
    throw new RangeError(`${path}: ${v} does not fit Q${31 - f}.${f} (|v| < ${2 ** (31 - f)})`);
  }
  return r;
}

/** A raw Q value as a float (exact). */
export const fromQ = (v: number, f: number): number => v / 2 ** f;

/**
 * Cholesky factor L (lower, M = L L') of a symmetric matrix; throws if M is
 * not positive definite (a pivot <= 0), naming the pivot.
 */
export function cholesky(M: number[][], what: string): number[][] {
  const n = M.length;
  const L = M.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let s = M[j][j];
    for (let k = 0; k < j; k++) s -= L[j][k] * L[j][k];
    if (!(s > 0)) throw new RangeError(`${what} is not positive definite (pivot ${j} is ${s}): is P positive semidefinite?`);
    const d = Math.sqrt(s);
    L[j][j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = M[i][j];
      for (let k = 0; k < j; k++) t -= L[i][k] * L[j][k];
      L[i][j] = t / d;
    }
  }
  return L;
}

/** Solves L L' x = b for x, given the Cholesky factor. */
export function choleskySolve(L: number[][], b: number[]): number[] {
  const n = L.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * y[k];
    y[i] = s / L[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** `(P + sigma I + rho C'C)^-1` in float64 from float matrices. */
export function kktInverse(P: number[][], C: number[][], rho: number, sigma: number): number[][] {
  const n = P.length;
  const M = P.map((row, i) =>
    row.map((v, j) => {
      let s = v + (i === j ? sigma : 0);
      for (const c of C) s += rho * c[i] * c[j];
      return s;
    }),
  );
  const L = cholesky(M, 'P + sigma I + rho C\'C');
  const K = M.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const e = new Array<number>(n).fill(0);
    e[j] = 1;
    const col = choleskySolve(L, e);
    for (let i = 0; i < n; i++) K[i][j] = col[i];
  }
  // Symmetrize (the exact inverse is symmetric; keep the table so).
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) K[i][j] = K[j][i] = (K[i][j] + K[j][i]) / 2;
  return K;
}

/**
 * K of an integer spec (P, C, rho, sigma already in Q f), quantized with
 * `kShift` fractional bits (default: the finest in f..30 that fits).
 * Throws a RangeError naming the entry when K does not fit.
 */
export function computeK(f: number, spec: Pick<AdmmSpec, 'P' | 'C' | 'rho' | 'sigma'>, kShift?: number): { K: number[][]; kShift: number } {
  const dq = (v: number) => fromQ(v, f);
  const P = Array.from(spec.P, (row) => Array.from(row, dq));
  const C = Array.from(spec.C, (row) => Array.from(row, dq));
  const K = kktInverse(P, C, dq(spec.rho), dq(spec.sigma));
  let big = 0;
  for (const row of K) for (const v of row) big = Math.max(big, Math.abs(v));
  let s = kShift;
  if (s === undefined) {
    s = f;
    while (s < 30 && roundEven(big * 2 ** (s + 1)) <= INT32_MAX) s++;
  }
  if (!Number.isInteger(s) || s < 1 || s > 62) throw new RangeError(`kShift: must be an integer in 1..62, got ${s}`);
  const Kq = K.map((row, i) =>
    row.map((v, j) => {
      const r = roundEven(v * 2 ** s);
      if (r > INT32_MAX || r < INT32_MIN) {
        throw new RangeError(`K[${i}][${j}]: ${v} does not fit ${s} fractional bits (|K| < ${2 ** (31 - s)}): raise rho or sigma, or rescale P and C`);
      }
      return r;
    }),
  );
  return { K: Kq, kShift: s };
}

/**
 * Quantizes a float QP and its settings to Q f and computes K: the
 * `AdmmSpec` the device loads. Errors name the field (`C[3][1]: ...`).
 */
export function compileAdmm(f: number, qp: FloatQp, settings: FloatAdmmSettings): CompiledAdmm {
  const n = qp.P.length;
  const m = qp.C.length;
  const vec = (v: number[], name: string, len: number) => {
    if (v.length !== len) throw new RangeError(`${name}: has ${v.length} entries, expected ${len}`);
    return v.map((e, i) => toQ(e, f, `${name}[${i}]`));
  };
  const mat = (M: number[][], name: string, rows: number, cols: number) => {
    if (M.length !== rows) throw new RangeError(`${name}: has ${M.length} rows, expected ${rows}`);
    return M.map((row, i) => vec(row, `${name}[${i}]`, cols));
  };
  const bound = (v: number[], name: string, inf: number, infValue: number) => {
    if (v.length !== m) throw new RangeError(`${name}: has ${v.length} entries, expected m = ${m}`);
    return v.map((e, i) => {
      if (e === inf) return infValue;
      const r = toQ(e, f, `${name}[${i}]`);
      if (r === infValue) throw new RangeError(`${name}[${i}]: ${e} equals the infinite sentinel; use ${inf}`);
      return r;
    });
  };
  const P = mat(qp.P, 'P', n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (P[i][j] !== P[j][i]) throw new RangeError(`P[${i}][${j}]: must equal P[${j}][${i}] (P is symmetric)`);
  const C = mat(qp.C, 'C', m, n);
  const l = bound(qp.l, 'l', -Infinity, ADMM_NEG_INF);
  const u = bound(qp.u, 'u', Infinity, ADMM_POS_INF);
  for (let i = 0; i < m; i++) if (l[i] > u[i]) throw new RangeError(`l[${i}]: must be <= u[${i}]`);
  const rho = toQ(settings.rho, f, 'rho');
  const sigma = toQ(settings.sigma, f, 'sigma');
  const alpha = toQ(settings.alpha, f, 'alpha');
  if (rho <= 0) throw new RangeError(`rho: must be positive in Q${31 - f}.${f}, got ${settings.rho}`);
  if (sigma <= 0) throw new RangeError(`sigma: must be positive in Q${31 - f}.${f}, got ${settings.sigma}`);
  if (alpha <= 0 || alpha >= 2 ** (f + 1)) throw new RangeError(`alpha: must be in (0, 2), got ${settings.alpha}`);
  const { K, kShift } = computeK(f, { P, C, rho, sigma }, settings.kShift);
  return { P, q: vec(qp.q, 'q', n), C, l, u, K, kShift, rho, sigma, alpha };
}

/** The command: reads a decimal QP as JSON, writes the integer spec. */
function main(argv: string[]): number {
  if (argv.length < 1 || argv.length > 2) {
    console.error('usage: tsx tools/admm/precompute.ts qp.json [out.json]');
    return 2;
  }
  try {
    const input = JSON.parse(fs.readFileSync(argv[0], 'utf8')) as FloatQp & FloatAdmmSettings & { f?: number };
    const inf = (v: (number | null)[], s: number) => v.map((e) => (e === null ? s : e));
    const spec = compileAdmm(
      input.f ?? 16,
      { ...input, l: inf(input.l, -Infinity), u: inf(input.u, Infinity) },
      { rho: input.rho, sigma: input.sigma, alpha: input.alpha, kShift: input.kShift },
    );
    const text = `${JSON.stringify(spec)}\n`;
    if (argv[1]) fs.writeFileSync(argv[1], text);
    else process.stdout.write(text);
    return 0;
  } catch (e) {
    console.error(`precompute: ${(e as Error).message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
