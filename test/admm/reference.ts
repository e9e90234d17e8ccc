/**
 * Float64 reference for the fixed-point ADMM (tests only): OSQP's ADMM in
 * double precision (direct form, Cholesky of P + sigma I + rho C'C, many
 * iterations, tight tolerance), then a "polish" step as OSQP's: guess the
 * active set from y, solve the equality-constrained KKT system exactly
 * (Gaussian elimination, partial pivoting) and keep the result if it
 * satisfies every KKT condition better than the ADMM iterate. The result
 * is checked by `kktError`, so it is a certified optimum to ~1e-9.
 *
 * Also the random problem generators of the accuracy tests: well-scaled
 * feasible QPs (feasible by construction) and infeasible ones (infeasible
 * by construction), drawn as Q16.16 integers so the float problem and the
 * fixed-point problem are exactly the same numbers.
 */
import { cholesky, choleskySolve, type FloatQp } from '../../tools/admm/precompute.js';
import { Rng } from '../helpers/rng.js';

export interface RefResult {
  status: 'solved' | 'infeasible' | 'max_iter';
  x: number[];
  y: number[];
  iters: number;
  /** kktError of (x, y). */
  kkt: number;
}

const matVec = (M: number[][], v: number[]) => M.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
const matTVec = (M: number[][], v: number[], n: number) => {
  const out = new Array<number>(n).fill(0);
  M.forEach((row, i) => row.forEach((a, j) => (out[j] += a * v[i])));
  return out;
};
const normInf = (v: number[]) => v.reduce((s, a) => Math.max(s, Math.abs(a)), 0);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * The largest violation of the KKT conditions of (x, y): primal
 * feasibility, stationarity `P x + q + C'y = 0`, the sign of y against the
 * bounds and complementarity (y_i > 0 only at u_i, y_i < 0 only at l_i),
 * each measured absolutely.
 */
export function kktError(qp: FloatQp, x: number[], y: number[]): number {
  const n = qp.P.length;
  const cx = matVec(qp.C, x);
  let e = 0;
  cx.forEach((v, i) => {
    e = Math.max(e, qp.l[i] - v, v - qp.u[i]);
    if (y[i] > 0) e = Math.max(e, Math.min(y[i], Math.abs(qp.u[i] - v)));
    if (y[i] < 0) e = Math.max(e, Math.min(-y[i], Math.abs(v - qp.l[i])));
  });
  const g = matVec(qp.P, x).map((v, i) => v + qp.q[i]);
  const cty = matTVec(qp.C, y, n);
  return Math.max(e, normInf(g.map((v, i) => v + cty[i])));
}

/** Solves A x = b (square) by Gaussian elimination with partial pivoting; null if singular. */
function gaussSolve(A: number[][], b: number[]): number[] | null {
  const N = A.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < N; c++) {
    let p = c;
    for (let r = c + 1; r < N; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-13) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < N; r++) {
      const k = M[r][c] / M[c][c];
      if (k !== 0) for (let j = c; j <= N; j++) M[r][j] -= k * M[c][j];
    }
  }
  const x = new Array<number>(N).fill(0);
  for (let r = N - 1; r >= 0; r--) {
    let s = M[r][N];
    for (let j = r + 1; j < N; j++) s -= M[r][j] * x[j];
    x[r] = s / M[r][r];
  }
  return x;
}

/** OSQP polish: solve the KKT system with the active set guessed from y; null if it fails. */
function polish(qp: FloatQp, y: number[]): { x: number[]; y: number[] } | null {
  const n = qp.P.length;
  const active: { i: number; b: number }[] = [];
  y.forEach((v, i) => {
    if (v > 1e-9) active.push({ i, b: qp.u[i] });
    else if (v < -1e-9) active.push({ i, b: qp.l[i] });
  });
  const k = active.length;
  const A: number[][] = [];
  const rhs: number[] = [];
  for (let r = 0; r < n; r++) {
    A.push([...qp.P[r], ...active.map((a) => qp.C[a.i][r])]);
    rhs.push(-qp.q[r]);
  }
  for (const a of active) {
    A.push([...qp.C[a.i], ...new Array<number>(k).fill(0)]);
    rhs.push(a.b);
  }
  const sol = gaussSolve(A, rhs);
  if (!sol) return null;
  const yy = new Array<number>(qp.C.length).fill(0);
  active.forEach((a, j) => (yy[a.i] = sol[n + j]));
  return { x: sol.slice(0, n), y: yy };
}

export interface RefOptions {
  rho?: number;
  sigma?: number;
  alpha?: number;
  eps?: number;
  maxIter?: number;
  epsPinf?: number;
}

/** Float64 OSQP-like ADMM with polishing (see the module comment). */
export function osqpReference(qp: FloatQp, opts: RefOptions = {}): RefResult {
  const { rho = 0.1, sigma = 1e-6, alpha = 1.6, eps = 1e-10, maxIter = 200_000, epsPinf = 1e-6 } = opts;
  const n = qp.P.length;
  const m = qp.C.length;
  const M = qp.P.map((row, i) =>
    row.map((v, j) => v + (i === j ? sigma : 0) + qp.C.reduce((s, c) => s + rho * c[i] * c[j], 0)),
  );
  const L = cholesky(M, 'reference KKT matrix');
  let x = new Array<number>(n).fill(0);
  let z = qp.l.map((l, i) => clamp(0, l, qp.u[i]));
  let y = new Array<number>(m).fill(0);
  let status: RefResult['status'] = 'max_iter';
  let iters = 0;
  for (; iters < maxIter; iters++) {
    const rhsv = x.map((v, i) => sigma * v - qp.q[i]);
    const cts = matTVec(qp.C, z.map((v, i) => rho * v - y[i]), n);
    const xt = choleskySolve(L, rhsv.map((v, i) => v + cts[i]));
    const zt = matVec(qp.C, xt);
    const xn = xt.map((v, i) => alpha * v + (1 - alpha) * x[i]);
    const zr = zt.map((v, i) => alpha * v + (1 - alpha) * z[i]);
    const zn = zr.map((v, i) => clamp(v + y[i] / rho, qp.l[i], qp.u[i]));
    const yn = y.map((v, i) => v + rho * (zr[i] - zn[i]));
    // Infeasibility certificate on dy (OSQP).
    const dy = yn.map((v, i) => {
      const d = v - y[i];
      const uInf = qp.u[i] === Infinity;
      const lInf = qp.l[i] === -Infinity;
      return uInf && lInf ? 0 : uInf ? Math.min(d, 0) : lInf ? Math.max(d, 0) : d;
    });
    x = xn;
    z = zn;
    y = yn;
    const nd = normInf(dy);
    if (nd > 1e-12) {
      const lhs = dy.reduce((s, d, i) => s + (d > 0 ? qp.u[i] * d : d < 0 ? qp.l[i] * d : 0), 0);
      if (lhs < -epsPinf * nd && normInf(matTVec(qp.C, dy, n)) <= epsPinf * nd) {
        status = 'infeasible';
        break;
      }
    }
    const prim = normInf(matVec(qp.C, x).map((v, i) => v - z[i]));
    const cty = matTVec(qp.C, y, n);
    const dual = normInf(matVec(qp.P, x).map((v, i) => v + qp.q[i] + cty[i]));
    if (prim <= eps && dual <= eps) {
      status = 'solved';
      break;
    }
  }
  if (status === 'infeasible') return { status, x, y, iters, kkt: Infinity };
  let kkt = kktError(qp, x, y);
  const p = polish(qp, y);
  if (p) {
    const e = kktError(qp, p.x, p.y);
    if (e < kkt) {
      x = p.x;
      y = p.y;
      kkt = e;
    }
  }
  return { status, x, y, iters, kkt };
}

// ------------------------------------------------------------ generators

const F = 16;
const Q = 2 ** F;
/** A decimal rounded to the Q16.16 grid (so float and fixed problems are the same numbers). */
const grid = (v: number) => Math.round(v * Q) / Q;
const uniform = (rng: Rng, lo: number, hi: number) => lo + ((rng.int32() >>> 0) / 2 ** 32) * (hi - lo);

/**
 * A random well-scaled feasible QP: P = B'B / n + d I (eigenvalues about
 * 0.2..4), q, C entries in [-1, 1], a feasible point x0 in [-1, 1]^n and
 * bounds around C x0 (two-sided, one-sided or, for a few rows, equalities),
 * every number on the Q16.16 grid. Feasible by construction (equality rows
 * are few and independent, so their rounded values stay consistent).
 */
export function randomFeasibleQp(rng: Rng, n: number, m: number): FloatQp {
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => uniform(rng, -1, 1)));
  const d = uniform(rng, 0.2, 0.6);
  const P = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => B.reduce((s, row) => s + row[i] * row[j], 0) / n + (i === j ? d : 0)),
  );
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) P[i][j] = P[j][i] = grid(P[j][i]);
  for (let i = 0; i < n; i++) P[i][i] = grid(P[i][i]);
  const q = Array.from({ length: n }, () => grid(uniform(rng, -1, 1)));
  const C = Array.from({ length: m }, () => Array.from({ length: n }, () => grid(uniform(rng, -1, 1))));
  const x0 = Array.from({ length: n }, () => uniform(rng, -1, 1));
  const cx0 = matVec(C, x0);
  const l: number[] = [];
  const u: number[] = [];
  let equalities = 0;
  for (let i = 0; i < m; i++) {
    const kind = rng.range(0, 9);
    if (kind === 0 && equalities < Math.floor(n / 3)) {
      equalities++;
      l.push(grid(cx0[i]));
      u.push(grid(cx0[i]));
    } else if (kind <= 2) {
      l.push(-Infinity);
      u.push(grid(cx0[i] + uniform(rng, 0.02, 0.5)));
    } else if (kind <= 4) {
      l.push(grid(cx0[i] - uniform(rng, 0.02, 0.5)));
      u.push(Infinity);
    } else {
      l.push(grid(cx0[i] - uniform(rng, 0.02, 0.5)));
      u.push(grid(cx0[i] + uniform(rng, 0.02, 0.5)));
    }
  }
  return { P, q, C, l, u };
}

/**
 * A random infeasible QP: a feasible one with m - 2 rows plus two rows that
 * contradict (gap in 0.1..0.5, so no point is within 0.05 of feasible), in
 * one of three ways:
 * - parallel: `c'x <= t` and `s c'x >= s (t + gap)` (s in 0.5..2);
 * - sum: `c'x >= t`, `d'x >= t` and, replacing the base's row 0,
 *   `(c + d)'x <= 2t - gap`;
 * - opposite: `t - 1 <= c'x <= t` and `-c'x <= -(t + gap)`.
 */
export function randomInfeasibleQp(rng: Rng, n: number, m: number): FloatQp {
  const base = randomFeasibleQp(rng, n, m - 2);
  const c = Array.from({ length: n }, () => grid(uniform(rng, -1, 1)));
  const gap = uniform(rng, 0.1, 0.5);
  const t = uniform(rng, -1, 1);
  const kind = rng.range(0, 2);
  let r1: number[];
  let r2: number[];
  let b1: [number, number];
  let b2: [number, number];
  if (kind === 0) {
    // c'x <= t and s c'x >= s (t + gap)
    const s = grid(uniform(rng, 0.5, 2));
    r1 = c;
    r2 = c.map((v) => grid(v * s));
    b1 = [-Infinity, grid(t)];
    b2 = [grid(s * (t + gap)), Infinity];
  } else if (kind === 1) {
    // c'x >= t, d'x >= t, (c + d)'x <= 2t - gap: put the sum row into the base's first row.
    const dv = Array.from({ length: n }, () => grid(uniform(rng, -1, 1)));
    r1 = c;
    r2 = dv;
    b1 = [grid(t), Infinity];
    b2 = [grid(t), Infinity];
    base.C[0] = c.map((v, i) => v + dv[i]);
    base.l[0] = -Infinity;
    base.u[0] = grid(2 * t - gap);
  } else {
    // -c'x <= -(t + gap) written as an upper bound on -c, and c'x <= t as a two-sided row
    r1 = c;
    r2 = c.map((v) => -v);
    b1 = [grid(t - 1), grid(t)];
    b2 = [-Infinity, grid(-(t + gap))];
  }
  const at = rng.range(0, m - 2);
  base.C.splice(at, 0, r1, r2);
  base.l.splice(at, 0, b1[0], b2[0]);
  base.u.splice(at, 0, b1[1], b2[1]);
  return base;
}
