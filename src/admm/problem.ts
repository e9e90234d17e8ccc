/**
 * The fixed-point ADMM problem (SPEC 7): the model tables of
 *
 *     minimize 1/2 x'Px + q'x   subject to   l <= C x <= u
 *
 * with the OSQP iteration's settings (rho, sigma, alpha_r) and its
 * precomputed linear-system inverse `K = (P + sigma I + rho C'C)^-1`.
 *
 * Every entry is a raw int32 in the Q format of the `QContext` (`f`
 * fractional bits), except `K`, which has its own fractional bits `kShift`
 * (the host compiler picks the finest format its largest entry fits, see
 * tools/admm/precompute.ts; `kShift = f` is plain Q format).
 *
 * Infinite bounds: `l_i = ADMM_NEG_INF` (INT32_MIN) means "no lower bound",
 * `u_i = ADMM_POS_INF` (INT32_MAX) "no upper bound". The projection clamps
 * to them like to any bound (a no-op: every int32 is inside), and the
 * infeasibility certificate (solve.ts) treats them as infinite, as OSQP
 * does. A finite bound is therefore any value strictly inside int32.
 *
 * Lifetime: created once by `createAdmmProblem` (validates, copies,
 * allocates; may throw with a message naming the field), read-only after.
 */
import { div } from '../fixed/div.js';
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';
import { createMatrix, LINALG_M_MAX, LINALG_N_MAX, type Matrix } from '../linalg/matvec.js';

/** `u_i` with no upper bound. */
export const ADMM_POS_INF = INT32_MAX;
/** `l_i` with no lower bound. */
export const ADMM_NEG_INF = INT32_MIN;

/** Largest fractional bits of `K` (the exact kernel takes shifts up to 63; 62 keeps `kShift + 1` in range). */
export const ADMM_K_SHIFT_MAX = 62;

/** What `createAdmmProblem` reads: raw int32 (Q f unless said otherwise). */
export interface AdmmSpec {
  /** n rows of n, Q: symmetric positive semidefinite cost. */
  P: ArrayLike<ArrayLike<number>>;
  /** n, Q: linear cost. */
  q: ArrayLike<number>;
  /** m rows of n, Q: constraint rows (the facets). */
  C: ArrayLike<ArrayLike<number>>;
  /** m, Q: lower bounds (`ADMM_NEG_INF` for none). */
  l: ArrayLike<number>;
  /** m, Q: upper bounds (`ADMM_POS_INF` for none), `l_i <= u_i`. */
  u: ArrayLike<number>;
  /** n rows of n, Q kShift: `(P + sigma I + rho C'C)^-1` (host-computed). */
  K: ArrayLike<ArrayLike<number>>;
  /** Fractional bits of `K`, 1..ADMM_K_SHIFT_MAX (default: f). */
  kShift?: number;
  /** Q, > 0: the ADMM step `rho`; `1 / rho` must fit the Q format. */
  rho: number;
  /** Q, > 0: the proximal weight `sigma` (only K depends on it; kept for the record). */
  sigma: number;
  /** Q, in (0, 2): the relaxation `alpha_r` (1.0 = none; OSQP uses 1.6). */
  alpha: number;
}

export interface AdmmProblem {
  /** Variables. */
  readonly n: number;
  /** Constraints (facets). */
  readonly m: number;
  /** n x n, Q: the cost matrix. */
  readonly P: Matrix;
  /** n, Q: the linear cost. */
  readonly q: Int32Array;
  /** m x n, Q: the constraint rows. */
  readonly C: Matrix;
  /** n x m, Q: C transposed (its own table, so `C'v` runs on the row kernel). */
  readonly Ct: Matrix;
  /** m, Q: lower bounds (INT32_MIN = none). */
  readonly l: Int32Array;
  /** m, Q: upper bounds (INT32_MAX = none). */
  readonly u: Int32Array;
  /** n x n, Q kShift: `(P + sigma I + rho C'C)^-1`. */
  readonly K: Matrix;
  /** Fractional bits of K. */
  readonly kShift: number;
  /** Q: rho. */
  readonly rho: number;
  /** Q: RNE(1 / rho), computed exactly at setup. */
  readonly rhoInv: number;
  /** Q: sigma. */
  readonly sigma: number;
  /** Q: alpha_r. */
  readonly alpha: number;
}

/** Throws `${path}: ${rule}`. */
function fail(path: string, rule: string): never {
  throw new RangeError(`${path}: ${rule}`);
}

/** True for an integer in int32 range. */
function isInt32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

/** True for an Array or an Int32Array (what a vector or a row may be). */
function isList(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || v instanceof Int32Array;
}

/** An int32 scalar in lo..hi. */
function scalar(path: string, v: unknown, lo: number, hi: number): number {
  if (!isInt32(v)) fail(path, `must be an int32 (Q units), got ${String(v)}`);
  if (v < lo || v > hi) fail(path, `must be in ${lo}..${hi}, got ${v}`);
  return v;
}

/** A vector of exactly `len` int32, copied into a new Int32Array. */
function vector(path: string, v: unknown, len: number, lenRule: string): Int32Array {
  if (!isList(v)) fail(path, `must be an array of ${len} int32`);
  if (v.length !== len) fail(path, `has ${v.length} entries, ${lenRule}`);
  const out = new Int32Array(len);
  for (let i = 0; i < len; i++) {
    const e = v[i];
    if (!isInt32(e)) fail(`${path}[${i}]`, `must be an int32 (Q units), got ${String(e)}`);
    out[i] = e;
  }
  return out;
}

/** `rows` rows of `cols` int32, copied row-major into a new Int32Array. */
function matrix(path: string, v: unknown, rows: number, cols: number, rowRule: string, colRule: string): Int32Array {
  if (!isList(v)) fail(path, `must be an array of ${rows} rows`);
  if (v.length !== rows) fail(path, `has ${v.length} rows, ${rowRule}`);
  const out = new Int32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = v[i];
    if (!isList(row)) fail(`${path}[${i}]`, `must be an array of ${cols} int32`);
    if (row.length !== cols) fail(`${path}[${i}]`, `has ${row.length} entries, ${colRule}`);
    for (let j = 0; j < cols; j++) {
      const e = row[j];
      if (!isInt32(e)) fail(`${path}[${i}][${j}]`, `must be an int32 (Q units), got ${String(e)}`);
      out[i * cols + j] = e;
    }
  }
  return out;
}

/**
 * Validates `spec` and builds the problem tables. Setup time only: copies
 * every table, allocates the kernel matrices (P, C, C', K), computes
 * `1 / rho` exactly; may throw a RangeError whose message starts with
 * `${path}.<field>` and states the rule broken.
 *
 * Checks: n = rows of P in 1..LINALG_N_MAX (and `n` if given), m = rows of
 * C in 1..LINALG_N_MAX - 1 (C' has m columns, the certificate m + 1), every size,
 * P symmetric, l_i <= u_i, rho > 0 with 1/rho representable, sigma > 0,
 * 0 < alpha < 2.0, kShift in 1..ADMM_K_SHIFT_MAX. Positive semidefiniteness
 * of P and the accuracy of K are the host compiler's job
 * (tools/admm/precompute.ts).
 */
export function createAdmmProblem(q: QContext, spec: AdmmSpec, path: string = 'admm', n?: number): AdmmProblem {
  if (typeof spec !== 'object' || spec === null) fail(path, 'must be an object with P, q, C, l, u, K, rho, sigma, alpha');
  const Pin: unknown = spec.P;
  if (!isList(Pin)) fail(`${path}.P`, 'must be an array of n rows');
  const nn = n === undefined ? Pin.length : n;
  if (!Number.isInteger(nn) || nn < 1 || nn > LINALG_N_MAX) fail(`${path}.P`, `n must be in 1..${LINALG_N_MAX}, got ${nn}`);
  const Cin: unknown = spec.C;
  if (!isList(Cin)) fail(`${path}.C`, 'must be an array of m rows');
  const m = Cin.length;
  // C' has m columns and the certificate table m + 1 (workspace.ts): both within the kernel's column limit.
  const mMax = (LINALG_M_MAX < LINALG_N_MAX ? LINALG_M_MAX : LINALG_N_MAX) - 1;
  if (m < 1 || m > mMax) fail(`${path}.C`, `must have 1..${mMax} rows (constraints), got ${m}`);

  const nRule = `n is ${nn}`;
  const mRule = `m (rows of C) is ${m}`;
  const P = matrix(`${path}.P`, Pin, nn, nn, nRule, nRule);
  for (let i = 0; i < nn; i++) {
    for (let j = 0; j < i; j++) {
      if (P[i * nn + j] !== P[j * nn + i]) fail(`${path}.P[${i}][${j}]`, `must equal P[${j}][${i}] (P is symmetric), got ${P[i * nn + j]} and ${P[j * nn + i]}`);
    }
  }
  const qv = vector(`${path}.q`, spec.q, nn, nRule);
  const C = matrix(`${path}.C`, Cin, m, nn, mRule, nRule);
  const l = vector(`${path}.l`, spec.l, m, mRule);
  const u = vector(`${path}.u`, spec.u, m, mRule);
  for (let i = 0; i < m; i++) {
    if (l[i] > u[i]) fail(`${path}.l[${i}]`, `must be <= u[${i}], got l = ${l[i]} > u = ${u[i]}`);
  }
  const kShift = spec.kShift === undefined ? q.f : scalar(`${path}.kShift`, spec.kShift, 1, ADMM_K_SHIFT_MAX);
  const K = matrix(`${path}.K`, spec.K, nn, nn, nRule, nRule);
  const rho = scalar(`${path}.rho`, spec.rho, 1, INT32_MAX);
  const sigma = scalar(`${path}.sigma`, spec.sigma, 1, INT32_MAX);
  const alpha = scalar(`${path}.alpha`, spec.alpha, 1, (q.one << 1) - 1);

  // 1 / rho, correctly rounded; refused if it does not fit the format.
  const probe: QContext = { f: q.f, one: q.one, flags: 0 };
  const rhoInv = div(probe, q.one, rho);
  if ((probe.flags & Flag.SATURATED) !== 0) fail(`${path}.rho`, `too small: 1 / rho does not fit Q${31 - q.f}.${q.f} (rho = ${rho})`);

  const Ct = new Int32Array(nn * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < nn; j++) Ct[j * m + i] = C[i * nn + j];

  return {
    n: nn,
    m,
    P: createMatrix(nn, nn, P),
    q: qv,
    C: createMatrix(m, nn, C),
    Ct: createMatrix(nn, m, Ct),
    l,
    u,
    K: createMatrix(nn, nn, K),
    kShift,
    rho,
    rhoInv,
    sigma,
    alpha,
  };
}
