/**
 * One ADMM iteration bit for bit against a BigInt model of its documented
 * arithmetic (src/admm/solve.ts): exact sums rounded once (round to
 * nearest, ties to even), saturating sums, `mul` for the scalar products.
 * Random problems and states span small values and the whole int32 range,
 * so saturation paths are covered too; the sticky flags must agree.
 */
import { describe, expect, it } from 'vitest';
import { admmIterate, createAdmmProblem, createAdmmWorkspace } from '../../src/admm/index.js';
import { createQ, Flag } from '../../src/fixed/q.js';
import { PURITY } from '../helpers/budget.js';
import { ref, rneShift, sat } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';
import type { CompiledAdmm } from '../../tools/admm/precompute.js';

const CASES = PURITY ? 300 : 3000;

interface Model {
  x: number[];
  z: number[];
  y: number[];
  flags: number;
}

/** The iteration in BigInt, following the stages of solve.ts literally. */
function modelIterate(f: number, s: CompiledAdmm, st: Model): Model {
  let flags = 0;
  const take = (r: { value: number; flags: number }) => {
    flags |= r.flags;
    return r.value;
  };
  const n = s.P.length;
  const m = s.C.length;
  const add = (a: number, b: number) => take(ref.add(a, b));
  const sub = (a: number, b: number) => take(ref.sub(a, b));
  const mul = (a: number, b: number) => take(ref.mul(f, a, b));
  /** sat(RNE(c + sum_j A_ij v_j / 2^sh)) with the exact sum. */
  const row = (A: ArrayLike<number>, v: number[], sh: number, c: number) => {
    let acc = 0n;
    for (let j = 0; j < v.length; j++) acc += BigInt(A[j]) * BigInt(v[j]);
    return take(sat(rneShift(acc + (BigInt(c) << BigInt(sh)), sh)));
  };
  const x = [...st.x];
  const z = [...st.z];
  const y = [...st.y];
  const rhoInv = ref.div(f, 1 << f, s.rho).value;
  const cx = s.C.map((c) => row(c, x, f, 0));
  const w = cx.map((v, i) => add(y[i], mul(s.rho, sub(v, z[i]))));
  const r0 = s.P.map((p, i) => row(p, x, f, s.q[i]));
  const ct = Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => s.C[i][j]));
  const r = ct.map((c, i) => row(c, w, f, r0[i]));
  const d = s.K.map((k) => row(k, r, s.kShift, 0));
  const xt = x.map((v, i) => sub(v, d[i]));
  const zt = s.C.map((c) => row(c, xt, f, 0));
  for (let i = 0; i < n; i++) {
    const step = mul(s.alpha, sub(xt[i], x[i]));
    if (step !== 0) x[i] = add(x[i], step);
  }
  const zr = z.map((v, i) => add(v, mul(s.alpha, sub(zt[i], v))));
  for (let i = 0; i < m; i++) {
    const v = add(zr[i], mul(y[i], rhoInv));
    z[i] = v < s.l[i] ? s.l[i] : v > s.u[i] ? s.u[i] : v;
  }
  for (let i = 0; i < m; i++) {
    const t = mul(s.rho, sub(zr[i], z[i]));
    if (t !== 0) y[i] = add(y[i], t);
  }
  return { x, z, y, flags };
}

/** A value: mostly moderate, sometimes anywhere in int32. */
function value(rng: Rng, wide: boolean, bits: number): number {
  return wide ? rng.wide() : rng.range(-(1 << bits), 1 << bits);
}

function randomSpec(rng: Rng, n: number, m: number, wide: boolean): CompiledAdmm {
  const P = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) P[i][j] = P[j][i] = value(rng, wide, 18);
  const l: number[] = [];
  const u: number[] = [];
  for (let i = 0; i < m; i++) {
    const a = value(rng, wide, 20);
    const b = value(rng, wide, 20);
    const kind = rng.range(0, 4);
    l.push(kind === 0 ? -0x80000000 : Math.min(a, b));
    u.push(kind === 1 ? 0x7fffffff : Math.max(a, b));
  }
  return {
    P,
    q: Array.from({ length: n }, () => value(rng, wide, 18)),
    C: Array.from({ length: m }, () => Array.from({ length: n }, () => value(rng, wide, 17))),
    l,
    u,
    K: Array.from({ length: n }, () => Array.from({ length: n }, () => value(rng, wide, 26))),
    kShift: rng.range(16, 30),
    rho: rng.range(1 << 10, 1 << 18),
    sigma: rng.range(1, 1 << 16),
    alpha: rng.range(1, (1 << 17) - 1),
  };
}

describe('admmIterate', () => {
  it(`${CASES} random problems and states: bit-identical to the BigInt model, flags included`, () => {
    const rng = new Rng(0xad33);
    let saturated = 0;
    for (let c = 0; c < CASES; c++) {
      const n = rng.range(1, 6);
      const m = rng.range(1, 8);
      const wide = rng.range(0, 3) === 0;
      const spec = randomSpec(rng, n, m, wide);
      const q = createQ(16);
      const ws = createAdmmWorkspace(q, createAdmmProblem(q, spec));
      const st: Model = {
        x: Array.from({ length: n }, () => value(rng, wide, 20)),
        z: Array.from({ length: m }, () => value(rng, wide, 20)),
        y: Array.from({ length: m }, () => value(rng, wide, 20)),
        flags: 0,
      };
      ws.x.set(st.x);
      ws.z.set(st.z);
      ws.y.set(st.y);
      // Two iterations: the second starts from the first's result.
      let want = st;
      for (let k = 0; k < 2; k++) {
        want = modelIterate(16, spec, { ...want, flags: 0 });
        q.flags = 0;
        admmIterate(ws);
        const got = { x: Array.from(ws.x), z: Array.from(ws.z), y: Array.from(ws.y), flags: q.flags };
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          expect(got, `case ${c}, iteration ${k}: ${JSON.stringify(spec)}`).toEqual(want);
        }
        if (q.flags & Flag.SATURATED) saturated++;
      }
    }
    // Both regimes were exercised.
    expect(saturated).toBeGreaterThan(CASES / 20);
    expect(saturated).toBeLessThan(2 * CASES);
  });
});
