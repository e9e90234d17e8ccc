/**
 * Test-side integer polynomials in lattice coordinates, with BigInt
 * references for forward differences along integer direction vectors and
 * analytic directional derivatives. Not core code.
 */
import type { Rng } from '../helpers/rng.js';

/** A multivariate integer polynomial: monomials (coefficient, exponent vector). */
export interface Poly {
  terms: { c: bigint; e: number[] }[];
}

/** Evaluates at integer point z. */
export function evalPoly(p: Poly, z: readonly bigint[]): bigint {
  let s = 0n;
  for (const t of p.terms) {
    let v = t.c;
    for (let j = 0; j < t.e.length; j++) for (let r = 0; r < t.e[j]; r++) v *= z[j];
    s += v;
  }
  return s;
}

/** Directional derivative D_v p = sum_j v_j d p / d z_j. */
export function derive(p: Poly, v: readonly number[]): Poly {
  const map = new Map<string, { c: bigint; e: number[] }>();
  for (const t of p.terms) {
    for (let j = 0; j < t.e.length; j++) {
      if (t.e[j] === 0 || v[j] === 0) continue;
      const e = t.e.slice();
      const c = t.c * BigInt(e[j]) * BigInt(v[j]);
      e[j] -= 1;
      const key = e.join(',');
      const old = map.get(key);
      if (old) old.c += c;
      else map.set(key, { c, e });
    }
  }
  return { terms: [...map.values()].filter((t) => t.c !== 0n) };
}

/** A random polynomial in n variables of total degree exactly `deg` (a nonzero top monomial), small coefficients. */
export function randomPoly(rng: Rng, n: number, deg: number, terms: number, cmax: number): Poly {
  const out: { c: bigint; e: number[] }[] = [];
  for (let t = 0; t < terms; t++) {
    const d = t === 0 ? deg : rng.range(0, deg);
    const e = new Array<number>(n).fill(0);
    for (let r = 0; r < d; r++) e[rng.range(0, n - 1)] += 1;
    let c = rng.range(-cmax, cmax);
    if (t === 0 && c === 0) c = 1;
    out.push({ c: BigInt(c), e });
  }
  return { terms: out };
}

/**
 * The forward difference prod_i Delta_{v_{k_i}} g at z (unit lattice steps
 * along integer vectors), by the recursive definition, with BigInt.
 */
export function forwardDifference(g: (z: bigint[]) => bigint, z: bigint[], dirs: number[][], ks: number[]): bigint {
  if (ks.length === 0) return g(z);
  const [k, ...rest] = ks;
  const z1 = z.map((v, j) => v + BigInt(dirs[k][j]));
  return forwardDifference(g, z1, dirs, rest) - forwardDifference(g, z, dirs, rest);
}
