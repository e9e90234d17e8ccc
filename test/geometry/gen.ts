/**
 * Test-side helpers for the geometry tests: random polytopes, exact (BigInt)
 * slacks, and a float64 reference projection by active-set enumeration
 * (exact QP solution up to float rounding, for small n and m).
 */
import { rneShift, sat } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

export interface RandPoly {
  m: number;
  n: number;
  A: Int32Array;
  b: Int32Array;
  /** A point strictly inside (Q). */
  center: number[];
}

/**
 * A random polytope in Q(f): m facets through random directions around a
 * center, each at a random distance; a share of box facets (one nonzero
 * coefficient), normals of varied lengths. Never empty (contains a ball
 * around `center`).
 */
export function randomPolytope(rng: Rng, n: number, m: number, f: number, opts: { scale?: number; radius?: number } = {}): RandPoly {
  const one = 2 ** f;
  const radius = opts.radius ?? 4; // in real units
  const A = new Int32Array(m * n);
  const b = new Int32Array(m);
  const center = Array.from({ length: n }, () => Math.round((rng.range(-1000, 1000) / 1000) * one));
  for (let i = 0; i < m; i++) {
    const box = rng.range(0, 4) === 0;
    // Normal length: a random power-of-two-ish scale, 1/4 .. 4 (real).
    const len = (opts.scale ?? 1) * 2 ** (rng.range(-2, 2)) * (0.5 + rng.range(0, 1000) / 1000);
    const dir: number[] = [];
    if (box) {
      const j = rng.range(0, n - 1);
      for (let k = 0; k < n; k++) dir.push(k === j ? (rng.range(0, 1) ? 1 : -1) : 0);
    } else {
      let norm = 0;
      for (let k = 0; k < n; k++) {
        const v = rng.range(-1000, 1000) / 1000;
        dir.push(v);
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (let k = 0; k < n; k++) dir[k] /= norm;
    }
    let dotc = 0;
    for (let k = 0; k < n; k++) {
      const a = Math.round(dir[k] * len * one);
      A[i * n + k] = a;
      dotc += (a / one) * (center[k] / one);
    }
    let an = 0;
    for (let k = 0; k < n; k++) an += (A[i * n + k] / one) ** 2;
    const dist = (0.25 + (rng.range(0, 1000) / 1000) * radius) * Math.sqrt(an);
    b[i] = Math.round((dotc + dist) * one);
  }
  return { m, n, A, b, center };
}

/** Exact slack of facet i at x, as the core defines it: sat(RNE(b_i - <a_i, x> / 2^f)). */
export function refSlack(P: { n: number; A: Int32Array; b: Int32Array }, i: number, x: ArrayLike<number>, f: number): number {
  let s = 0n;
  for (let j = 0; j < P.n; j++) s += BigInt(P.A[i * P.n + j]) * BigInt(x[j]);
  return sat(rneShift((BigInt(P.b[i]) << BigInt(f)) - s, f)).value;
}

/** True if every exact slack (unrounded) is >= -(beta + 1/2) ulp, i.e. every rounded slack >= -beta. */
export function refAllSlacks(P: { m: number; n: number; A: Int32Array; b: Int32Array }, x: ArrayLike<number>, f: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < P.m; i++) out.push(refSlack(P, i, x, f));
  return out;
}

/** Solves the small dense system M z = r (Gaussian elimination with pivoting); null if singular. */
function solve(M: number[][], r: number[]): number[] | null {
  const k = r.length;
  const a = M.map((row, i) => [...row, r[i]]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let i = c + 1; i < k; i++) if (Math.abs(a[i][c]) > Math.abs(a[p][c])) p = i;
    if (Math.abs(a[p][c]) < 1e-12) return null;
    [a[c], a[p]] = [a[p], a[c]];
    for (let i = 0; i < k; i++) {
      if (i === c) continue;
      const t = a[i][c] / a[c][c];
      for (let j = c; j <= k; j++) a[i][j] -= t * a[c][j];
    }
  }
  return a.map((row, i) => row[k] / row[i]);
}

/**
 * Float64 projection of y onto { x : A x <= b } (real values) in the metric
 * `sum w_j d_j^2` (w null: Euclidean), by enumerating active sets of up to n
 * facets and keeping the KKT point (feasible, multipliers >= 0) nearest to
 * y. Exact up to float rounding. Returns null for an empty polytope.
 */
export function refProject(A: number[][], b: number[], y: number[], w: number[] | null): number[] | null {
  const m = A.length;
  const n = y.length;
  const winv = Array.from({ length: n }, (_, j) => (w ? 1 / w[j] : 1));
  const feasible = (x: number[]) => A.every((a, i) => a.reduce((s, v, j) => s + v * x[j], 0) <= b[i] + 1e-9 * (1 + Math.abs(b[i])));
  if (feasible(y)) return y.slice();
  let best: number[] | null = null;
  let bestD = Infinity;
  const subsets = 1 << m;
  for (let mask = 1; mask < subsets; mask++) {
    const S: number[] = [];
    for (let i = 0; i < m; i++) if (mask & (1 << i)) S.push(i);
    if (S.length > n) continue;
    // (A_S W^-1 A_S') lam = A_S y - b_S
    const G = S.map((i) => S.map((k) => A[i].reduce((s, v, j) => s + v * winv[j] * A[k][j], 0)));
    const r = S.map((i) => A[i].reduce((s, v, j) => s + v * y[j], 0) - b[i]);
    const lam = solve(G, r);
    if (!lam || lam.some((l) => l < -1e-12)) continue;
    const x = y.map((v, j) => v - S.reduce((s, i, t) => s + lam[t] * winv[j] * A[i][j], 0));
    if (!feasible(x)) continue;
    const d = x.reduce((s, v, j) => s + (w ? w[j] : 1) * (v - y[j]) ** 2, 0);
    if (d < bestD) {
      bestD = d;
      best = x;
    }
  }
  return best;
}

export { Rng };
