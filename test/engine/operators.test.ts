/**
 * The built-in operators (SPEC 6): exact values on hand-worked cases, exact
 * agreement with a BigInt model of each documented rounding where the
 * operator is defined exactly (linear, drift, anisotropy), float64 bounds
 * where exactness is not the point (gyroid, traversal's direction), the
 * traversal's exact "never through a facet" guarantee, and the validation
 * messages (JSON path + rule).
 */
import { describe, expect, it } from 'vitest';
import { QUARTER_TURN, HALF_TURN } from '../../src/fixed/angle.js';
import { createQ, Flag, type QContext } from '../../src/fixed/q.js';
import { createPolytope, type Polytope } from '../../src/geometry/polytope.js';
import type { Operator, StepContext } from '../../src/engine/operator.js';
import { builtinOperators, chiralRotate, gyroidField, TRAVERSAL_FIX_PASSES } from '../../src/engine/operators/index.js';
import { phaseAngle } from '../../src/engine/gates.js';
import { PURITY } from '../helpers/budget.js';
import { rneShift, sat } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';
import { randomPolytope } from '../geometry/gen.js';

const ONE = 1 << 16;
const Q = (v: number, f = 16): number => Math.round(v * 2 ** f);
const MAX = 0x7fffffff;
const MIN = -0x7fffffff - 1;

/** A step context on polytope P (a dummy 1-facet box when omitted). */
function context(q: QContext, n: number, P?: Polytope, active: number[] = [], chi = q.one >> 1): StepContext {
  const poly = P ?? createPolytope(1, n, new Int32Array(n).fill(0).map((_, j) => (j === 0 ? q.one : 0)), Int32Array.from([q.one]));
  const act = new Int32Array(Math.max(8, active.length));
  act.set(active);
  return { q, n, level: 0, polytope: poly, active: act, activeCount: active.length, chi, step: 0 };
}

function run(op: Operator, x: number[], ctx: StepContext): number[] {
  const out = new Int32Array(x.length);
  op.apply(out, Int32Array.from(x), ctx);
  return Array.from(out);
}

const rows = (M: number[][]) => M;

/** sat(RNE((c 2^s + sum_j a_j x_j) / 2^s)) as the kernel defines it. */
function refAffine(a: ArrayLike<number>, off: number, x: ArrayLike<number>, n: number, s: number, c: number): { value: number; flags: number } {
  let sum = BigInt(c) << BigInt(s);
  for (let j = 0; j < n; j++) sum += BigInt(a[off + j]) * BigInt(x[j]);
  return sat(rneShift(sum, s));
}

describe('linear: x\' = M x + c', () => {
  const q = createQ(16);
  it('identity gives x + c exactly; a quarter-turn rotation gives (-x1, x0)', () => {
    const id = builtinOperators.linear(q, 3, { kind: 'linear', M: rows([[ONE, 0, 0], [0, ONE, 0], [0, 0, ONE]]), c: [1, -2, Q(0.5)] }, 'operators[0]');
    expect(id.name).toBe('linear');
    expect(run(id, [Q(1.25), -7, 0], context(q, 3))).toEqual([Q(1.25) + 1, -9, Q(0.5)]);
    const rot = builtinOperators.linear(q, 2, { M: [[0, -ONE], [ONE, 0]] }, 'op');
    expect(run(rot, [Q(0.75), Q(-2)], context(q, 2))).toEqual([Q(2), Q(0.75)]);
    // Four quarter turns are the identity, exactly.
    let x = [12345, -678];
    for (let k = 0; k < 4; k++) x = run(rot, x, context(q, 2));
    expect(x).toEqual([12345, -678]);
  });

  it('rounds once (RNE) and saturates with the flag', () => {
    const half = builtinOperators.linear(q, 1, { M: [[Q(0.5)]] }, 'op');
    const ctx = context(q, 1);
    expect(run(half, [1], ctx)).toEqual([0]); // 0.5 unit -> 0 (even)
    expect(run(half, [3], ctx)).toEqual([2]); // 1.5 -> 2
    expect(run(half, [-3], ctx)).toEqual([-2]);
    expect(q.flags).toBe(0);
    const big = builtinOperators.linear(q, 1, { M: [[Q(4)]] }, 'op');
    expect(run(big, [MAX], ctx)).toEqual([MAX]);
    expect(q.flags & Flag.SATURATED).toBe(Flag.SATURATED);
    q.flags = 0;
  });

  it('equals the BigInt reference on random inputs (every f), also with out = x', () => {
    const rng = new Rng(0x11ea);
    for (let t = 0; t < (PURITY ? 200 : 3000); t++) {
      const f = rng.range(8, 24);
      const qf = createQ(f);
      const n = rng.range(1, 6);
      const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.wide()));
      const c = Array.from({ length: n }, () => rng.wide());
      const op = builtinOperators.linear(qf, n, { M, c }, 'op');
      const x = Int32Array.from({ length: n }, () => rng.wide());
      const flat = M.flat();
      let flags = 0;
      const want = Array.from({ length: n }, (_, i) => {
        const r = refAffine(flat, i * n, x, n, f, c[i]);
        flags |= r.flags;
        return r.value;
      });
      const out = new Int32Array(n);
      op.apply(out, x, context(qf, n));
      expect(Array.from(out)).toEqual(want);
      expect(qf.flags).toBe(flags);
      op.apply(x, x, context(qf, n)); // aliasing
      expect(Array.from(x)).toEqual(want);
    }
  });

  it('rejects bad parameters naming the JSON path and the rule', () => {
    const mk = (params: Record<string, unknown>, n = 4) => () => builtinOperators.linear(q, n, params, 'operators[2]');
    const I4 = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
    expect(mk({ M: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1], [0, 0, 0, 1]] })).toThrow('operators[2].M: row 2 has 3 entries, n is 4');
    expect(mk({ M: I4.slice(0, 3) })).toThrow('operators[2].M: has 3 rows, n is 4');
    expect(mk({})).toThrow('operators[2].M: must be an array of 4 rows, got undefined');
    expect(mk({ M: [[1, 0, 0, 0], [0, 1.5, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]] })).toThrow('operators[2].M[1][1]: must be an int32 (Q units), got 1.5');
    expect(mk({ M: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 2 ** 31, 0], [0, 0, 0, 1]] })).toThrow('operators[2].M[2][2]: must be an int32');
    expect(mk({ M: I4, c: [1, 2, 3] })).toThrow('operators[2].c: has 3 entries, n is 4');
    expect(mk({ M: I4, c: [1, 2, '3', 4] })).toThrow('operators[2].c[2]: must be an int32 (Q units), got "3"');
    expect(mk({ M: I4, C: [0, 0, 0, 0] })).toThrow('operators[2].C: unknown parameter (known: M, c)');
    expect(mk({ M: I4 }, 0)).toThrow('operators[2]: state dimension n must be an integer in 1..4096, got 0');
  });
});

describe('drift: x\' = x - eta (P x + q)', () => {
  const q = createQ(16);
  it('a diagonal quadratic, worked by hand', () => {
    // P = diag(2, 4), q = (1, -1), eta = 1/4, x = (1, 0.5):
    // g = (2 + 1, 2 - 1) = (3, 1); x' = (1 - 0.75, 0.5 - 0.25) = (0.25, 0.25).
    const op = builtinOperators.drift(q, 2, { kind: 'drift', P: [[Q(2), 0], [0, Q(4)]], q: [Q(1), Q(-1)], eta: Q(0.25) }, 'op');
    expect(op.name).toBe('drift');
    expect(run(op, [Q(1), Q(0.5)], context(q, 2))).toEqual([Q(0.25), Q(0.25)]);
    // Fixed point of the step: x* = -P^-1 q = (-0.5, 0.25).
    expect(run(op, [Q(-0.5), Q(0.25)], context(q, 2))).toEqual([Q(-0.5), Q(0.25)]);
    // Iterating reaches a quantized fixed point one unit from x*: at x_0 = x*_0 + 1 unit,
    // eta g_0 = 1/4 * 2 units = 0.5 unit, which rounds to 0 (ties to even).
    let x = [Q(3), Q(-2)];
    for (let k = 0; k < 200; k++) x = run(op, x, context(q, 2));
    expect(x).toEqual([Q(-0.5) + 1, Q(0.25)]);
    expect(run(op, x, context(q, 2))).toEqual(x);
  });

  it('equals the BigInt model of its two roundings, and float64 within (1 + |eta|)/2 units', () => {
    const rng = new Rng(0xd81f7);
    let worst = 0;
    for (let t = 0; t < (PURITY ? 200 : 3000); t++) {
      const f = rng.range(8, 24);
      const qf = createQ(f);
      const one = 2 ** f;
      const n = rng.range(1, 5);
      const P = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.range(-4 * one, 4 * one)));
      const qv = Array.from({ length: n }, () => rng.range(-4 * one, 4 * one));
      const eta = rng.range(-one, one);
      const op = builtinOperators.drift(qf, n, { P, q: qv, eta }, 'op');
      const x = Array.from({ length: n }, () => rng.range(-8 * one, 8 * one));
      const got = run(op, x, context(qf, n));
      const flat = P.flat();
      for (let i = 0; i < n; i++) {
        const g = refAffine(flat, i * n, x, n, f, qv[i]).value;
        const p = sat(rneShift(BigInt(eta) * BigInt(g), f)).value;
        expect(got[i]).toBe(sat(BigInt(x[i]) - BigInt(p)).value);
        let gr = qv[i] / one;
        for (let j = 0; j < n; j++) gr += (flat[i * n + j] / one) * (x[j] / one);
        const real = (x[i] / one - (eta / one) * gr) * one;
        const err = Math.abs(got[i] - real);
        expect(err).toBeLessThanOrEqual((1 + Math.abs(eta / one)) / 2 + 1e-6);
        worst = Math.max(worst, err);
      }
    }
    expect(worst).toBeGreaterThan(0);
  });

  it('rejects bad parameters', () => {
    expect(() => builtinOperators.drift(q, 2, { P: [[1, 0], [0, 1]] }, 'operators[1]')).toThrow('operators[1].eta: must be an int32 (Q units), got undefined');
    expect(() => builtinOperators.drift(q, 2, { P: [[1, 0], [0, 1]], q: [1], eta: 1 }, 'operators[1]')).toThrow('operators[1].q: has 1 entries, n is 2');
    expect(() => builtinOperators.drift(q, 2, { P: [[1, 0]], eta: 1 }, 'operators[1]')).toThrow('operators[1].P: has 1 rows, n is 2');
  });
});

describe('anisotropy: x\' = x - diag(alpha) (P x + q)', () => {
  const q = createQ(16);
  it('per-axis rates, worked by hand; distinct from drift', () => {
    // P = I, q = 0, alpha = (1/2, 1/4): x' = (x0 / 2, 3 x1 / 4).
    const op = builtinOperators.anisotropy(q, 2, { kind: 'anisotropy', alpha: [Q(0.5), Q(0.25)], P: [[ONE, 0], [0, ONE]] }, 'op');
    expect(op.name).toBe('anisotropy');
    expect(run(op, [Q(1), Q(1)], context(q, 2))).toEqual([Q(0.5), Q(0.75)]);
    // A tilted basin: from (1, 1) the path leaves the diagonal.
    let x = [Q(1), Q(1)];
    for (let k = 0; k < 3; k++) x = run(op, x, context(q, 2));
    expect(x).toEqual([Q(0.125), Q(27 / 64)]);
  });

  it('equals the BigInt model on random inputs', () => {
    const rng = new Rng(0xa115);
    for (let t = 0; t < (PURITY ? 200 : 2000); t++) {
      const f = rng.range(8, 24);
      const qf = createQ(f);
      const n = rng.range(1, 5);
      const alpha = Array.from({ length: n }, (_, i) => rng.wide() * 8 + i); // distinct mod 8
      const P = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.wide()));
      const qv = Array.from({ length: n }, () => rng.wide());
      const op = builtinOperators.anisotropy(qf, n, { alpha: alpha.map((a) => a | 0), P, q: qv }, 'op');
      const al = alpha.map((a) => a | 0);
      const x = Array.from({ length: n }, () => rng.wide());
      const got = run(op, x, context(qf, n));
      for (let i = 0; i < n; i++) {
        const g = refAffine(P.flat(), i * n, x, n, f, qv[i]).value;
        const p = sat(rneShift(BigInt(al[i]) * BigInt(g), f)).value;
        expect(got[i]).toBe(sat(BigInt(x[i]) - BigInt(p)).value);
      }
    }
  });

  it('requires pairwise distinct alphas', () => {
    const P = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    expect(() => builtinOperators.anisotropy(q, 3, { alpha: [ONE, 2, ONE], P }, 'operators[3]')).toThrow(
      'operators[3].alpha: entries 0 and 2 are both 65536, the alphas must be pairwise distinct',
    );
    expect(() => builtinOperators.anisotropy(q, 3, { alpha: [1, 2], P }, 'operators[3]')).toThrow('operators[3].alpha: has 2 entries, n is 3');
    expect(() => builtinOperators.anisotropy(q, 3, { alpha: [1, 2, 3], P, eta: 1 }, 'operators[3]')).toThrow('operators[3].eta: unknown parameter (known: alpha, P, q)');
  });
});

/** Float64 model of the gyroid step on the SAME binary angles (exact table-free sin/cos). */
function gyroidFloat(x: number[], f: number, frequency: number, gain: number, tangentGain: number, chi: number) {
  const one = 2 ** f;
  const q = createQ(f);
  const n = x.length;
  const ang = x.map((v) => (phaseAngle(q, v, frequency) / 2 ** 24) * 2 * Math.PI);
  const s = ang.map(Math.sin);
  const c = ang.map(Math.cos);
  const w = 2 * Math.PI * (frequency / one);
  let G = 0;
  for (let i = 0; i < n; i++) G += s[i] * c[(i + 1) % n];
  const grad = x.map((_, j) => w * (c[j] * c[(j + 1) % n] - s[(j + n - 1) % n] * s[j]));
  const J = (v: number[]) => (n === 1 ? [0] : n === 2 ? [-v[1], v[0]] : v.map((_, i) => v[(i + 1) % n] - v[(i + n - 1) % n]));
  const t = J(grad);
  const out = x.map((v, j) => v - (gain / one) * G * grad[j] * one + (tangentGain / one) * (chi / one) * t[j] * one);
  return { G, grad, out, w };
}

describe('gyroid: flux along G(x) = sum_i sin(w x_i) cos(w x_{i+1})', () => {
  const q = createQ(16);
  const field = (x: number[], frequency = ONE) => {
    const n = x.length;
    const grad = new Int32Array(n);
    const omega = Math.round(2 * Math.PI * frequency); // as the factory computes it (Q16, exact here)
    const G = gyroidField(q, grad, new Int32Array(n), new Int32Array(n), Int32Array.from(x), frequency, omega, n);
    return { G, grad: Array.from(grad) };
  };
  const TWO_PI = 411775; // RNE(2 pi 2^16)

  it('G and grad G exact at quarter turns (frequency 1: one period per unit)', () => {
    // Classic gyroid, n = 3. x = (1/4, 0, 0): s = (1, 0, 0), c = (0, 1, 1).
    expect(field([Q(0.25), 0, 0])).toEqual({ G: ONE, grad: [0, TWO_PI, 0] });
    // x = 0: G = 0, grad_j = w (1 - 0) = 2 pi.
    expect(field([0, 0, 0])).toEqual({ G: 0, grad: [TWO_PI, TWO_PI, TWO_PI] });
    // x = (1/4, 1/4, 1/4): s = 1, c = 0: G = 0, grad_j = w (0 - 1).
    expect(field([Q(0.25), Q(0.25), Q(0.25)])).toEqual({ G: 0, grad: [-TWO_PI, -TWO_PI, -TWO_PI] });
    // x = (1/4, 1/2, 3/4) with a whole period added to x_1 (periodicity): s = (1, 0, -1), c = (0, -1, 0).
    // G = 1 * -1 + 0 * 0 + -1 * 0 = -1; grad = w (c_j c_{j+1} - s_{j-1} s_j) = w (0 - (-1)(1), 0 - 0, 0 - 0).
    expect(field([Q(0.25), Q(1.5), Q(0.75)])).toEqual({ G: -ONE, grad: [TWO_PI, 0, 0] });
    // n = 2: G = sin(w (x0 + x1)); n = 1: G = sin(w x) cos(w x).
    expect(field([Q(0.125), Q(0.125)]).G).toBe(ONE);
    expect(field([Q(0.25)])).toEqual({ G: 0, grad: [-TWO_PI] });
  });

  it('one step worked by hand: attraction plus gated tangent flow', () => {
    const op = builtinOperators.gyroid(q, 3, { kind: 'gyroid', gain: ONE, tangentGain: ONE, frequency: ONE }, 'op');
    expect(op.name).toBe('gyroid');
    // At x = (1/4, 0, 0): G = 1, grad = (0, 2pi, 0); J grad = grad x (1,1,1) = (2pi, 0, -2pi).
    // chi = 1/2: x' = x - 1 * 1 * grad + 1/2 * J grad, RNE(411775 / 2) = 205888 (tie to even).
    expect(run(op, [Q(0.25), 0, 0], context(q, 3, undefined, [], ONE >> 1))).toEqual([Q(0.25) + 205888, -TWO_PI, -205888]);
    // chi = 0 closes the tangent flow.
    expect(run(op, [Q(0.25), 0, 0], context(q, 3, undefined, [], 0))).toEqual([Q(0.25), -TWO_PI, 0]);
    // On the surface (G = 0) with the gate closed nothing moves.
    expect(run(op, [0, 0, 0], context(q, 3, undefined, [], 0))).toEqual([0, 0, 0]);
    // period 2.0 is frequency 1/2: x = 1/2 is a quarter turn.
    const slow = builtinOperators.gyroid(q, 3, { gain: ONE, period: Q(2) }, 'op');
    const fast = builtinOperators.gyroid(q, 3, { gain: ONE, frequency: Q(0.5) }, 'op');
    expect(run(slow, [Q(0.5), Q(0.1), 0], context(q, 3))).toEqual(run(fast, [Q(0.5), Q(0.1), 0], context(q, 3)));
  });

  it('J is skew: <J v, v> = 0 exactly for n = 1..6', () => {
    const rng = new Rng(0x5e3);
    for (let t = 0; t < 500; t++) {
      const n = rng.range(1, 6);
      const v = Int32Array.from({ length: n }, () => rng.range(-(1 << 20), 1 << 20));
      const out = new Int32Array(n);
      chiralRotate(q, out, v, n);
      let d = 0n;
      for (let j = 0; j < n; j++) d += BigInt(out[j]) * BigInt(v[j]);
      expect(d).toBe(0n);
    }
    const out = new Int32Array(3);
    chiralRotate(q, out, Int32Array.from([1, 2, 3]), 3); // (1,2,3) x (1,1,1) = (2-3, 3-1, 1-2)
    expect(Array.from(out)).toEqual([-1, 2, -1]);
  });

  it('is within the propagated table error of float64 on random inputs', () => {
    const rng = new Rng(0x6e01d);
    let worstRatio = 0;
    for (let t = 0; t < (PURITY ? 300 : 5000); t++) {
      const f = [12, 16, 20, 24][t & 3];
      const qf = createQ(f);
      const one = 2 ** f;
      const n = rng.range(1, 6);
      const frequency = rng.range(one >> 3, 2 * one);
      const gain = rng.range(-one, one);
      const tangentGain = rng.range(-one, one);
      const chi = rng.range(0, one);
      const x = Array.from({ length: n }, () => rng.range(-4 * one, 4 * one));
      const op = builtinOperators.gyroid(qf, n, { gain, tangentGain, frequency }, 'op');
      const got = run(op, x, context(qf, n, undefined, [], chi));
      const ref = gyroidFloat(x, f, frequency, gain, tangentGain, chi);
      // Error budget (units of 2^-f): G within 1.6 n, grad within 3.2 w + 2 (w's own
      // rounding included), J grad twice that; each product adds 1/2.
      const eG = 1.6 * n + 0.5;
      const eGrad = 3.2 * ref.w + 2;
      const k = Math.abs(gain / one);
      const c = Math.abs((tangentGain / one) * (chi / one));
      for (let j = 0; j < n; j++) {
        const gj = Math.abs(ref.grad[(j + 1) % n]) + Math.abs(ref.grad[(j + n - 1) % n]);
        const tol = (k * eG + 0.5) * (Math.abs(ref.grad[j]) + 1) + (k * Math.abs(ref.G) + 0.5 / one) * eGrad + (c + 1 / one) * 2 * eGrad + 1.5 * gj / one + 2;
        const err = Math.abs(got[j] - ref.out[j]);
        expect(err, `f=${f} x=${x} j=${j}`).toBeLessThanOrEqual(tol);
        worstRatio = Math.max(worstRatio, err / tol);
      }
    }
    expect(worstRatio).toBeLessThan(1);
  });

  it('attracts to the surface G = 0; the tangent flow keeps G to second order', () => {
    const rng = new Rng(0x9a1);
    for (let t = 0; t < 20; t++) {
      const op = builtinOperators.gyroid(q, 3, { gain: Q(0.01), frequency: ONE }, 'op');
      const x0 = [rng.range(0, ONE), rng.range(0, ONE), rng.range(0, ONE)];
      let x = x0;
      const G0 = Math.abs(field(x).G);
      for (let k = 0; k < 300; k++) x = run(op, x, context(q, 3, undefined, [], 0));
      const G1 = Math.abs(field(x).G);
      expect(G1).toBeLessThanOrEqual(Math.max(G0 * 0.05, 64));
    }
    // Tangent only: a step of length ~0.005 changes G by O(step^2) plus rounding.
    const tan = builtinOperators.gyroid(q, 3, { gain: 0, tangentGain: Q(0.0005), frequency: ONE }, 'op');
    for (let t = 0; t < 50; t++) {
      const x = [rng.range(0, ONE), rng.range(0, ONE), rng.range(0, ONE)];
      const y = run(tan, x, context(q, 3, undefined, [], ONE));
      const moved = Math.hypot(...y.map((v, j) => (v - x[j]) / ONE));
      const dG = Math.abs(field(y).G - field(x).G) / ONE;
      expect(dG).toBeLessThanOrEqual(40 * moved * moved + 8 / ONE);
    }
  });

  it('rejects bad parameters', () => {
    const mk = (p: Record<string, unknown>, qf = q) => () => builtinOperators.gyroid(qf, 3, p, 'operators[0]');
    expect(mk({ frequency: ONE })).toThrow('operators[0].gain: must be an int32 (Q units), got undefined');
    expect(mk({ gain: 1 })).toThrow('operators[0]: needs frequency (turns per unit, Q) or period (Q)');
    expect(mk({ gain: 1, frequency: ONE, period: ONE })).toThrow('operators[0]: give either frequency or period, not both');
    expect(mk({ gain: 1, frequency: 0 })).toThrow('operators[0].frequency: must be in 1..2147483647, got 0');
    expect(mk({ gain: 1, frequency: MAX })).toThrow('operators[0].frequency: 2 pi frequency does not fit Q16');
    expect(mk({ gain: 1, period: -3 })).toThrow('operators[0].period: must be in 1..2147483647, got -3');
    expect(mk({ gain: 1, period: 1 << 18 }, createQ(8))).toThrow('operators[0].period: 262144 gives a frequency (2^f / period) outside 1..2^31 - 1 in Q8');
    expect(mk({ gain: 1, frequency: 1, omega: 3 })).toThrow('operators[0].omega: unknown parameter (known: gain, tangentGain, frequency, period)');
  });
});

/** Exact <a_k, v> (raw integer units) with BigInt. */
function exactDot(A: ArrayLike<number>, row: number, v: ArrayLike<number>, n: number): bigint {
  let s = 0n;
  for (let j = 0; j < n; j++) s += BigInt(A[row + j]) * BigInt(v[j]);
  return s;
}

describe('traversal: slides along the active facets, never through them', () => {
  const q = createQ(16);
  /** The box |x_j| <= h (2n facets: +e_j, -e_j per axis). */
  const box = (n: number, h: number) => {
    const A = new Int32Array(2 * n * n);
    const b = new Int32Array(2 * n).fill(Q(h));
    for (let j = 0; j < n; j++) {
      A[2 * j * n + j] = ONE;
      A[(2 * j + 1) * n + j] = -ONE;
    }
    return createPolytope(2 * n, n, A, b);
  };

  it('slides along a box facet exactly, and never leaves it over 1000 steps', () => {
    const P = box(3, 1);
    const op = builtinOperators.traversal(q, 3, { kind: 'traversal' }, 'op');
    expect(op.name).toBe('traversal');
    // On x_0 = 1 (facet 0 active), chi = 1/2, phase a quarter turn (sin 1):
    // T = 0.5 e_0; J T = (0, -0.5, 0.5): tangent already, so the slide is exact.
    expect(run(op, [ONE, 0, 0], context(q, 3, P, [0], ONE >> 1))).toEqual([ONE, -Q(0.5), Q(0.5)]);
    // Facet 1 (x_0 >= -1, normal -e_0): the slide turns the other way.
    expect(run(op, [-ONE, 0, 0], context(q, 3, P, [1], ONE >> 1))).toEqual([-ONE, Q(0.5), -Q(0.5)]);
    // No active facet, or chi = 0: no motion.
    expect(run(op, [ONE, 5, 6], context(q, 3, P, [], ONE))).toEqual([ONE, 5, 6]);
    expect(run(op, [ONE, 5, 6], context(q, 3, P, [0], 0))).toEqual([ONE, 5, 6]);
    // Repeated: x_0 stays exactly on the facet.
    const small = builtinOperators.traversal(q, 3, { gain: Q(0.01) }, 'op');
    let x = [ONE, 0, 0];
    for (let k = 0; k < 1000; k++) {
      x = run(small, x, context(q, 3, P, [0], ONE));
      expect(x[0]).toBe(ONE);
    }
    expect(x[2] - x[1]).toBe(2 * 1000 * Q(0.01));
  });

  it('phases: sin(phi_k) per facet id, the default beyond the list; n = 2 turns a quarter', () => {
    const P = box(2, 1);
    // Facet 0 phase -1/4 turn (sin -1), facet 2 phase 1/2 turn (sin 0), others the default 1/4 turn.
    const op = builtinOperators.traversal(q, 2, { phases: [-QUARTER_TURN, 0, HALF_TURN] }, 'op');
    // n = 2, on x_0 = 1 (facet 0): T = -1 * e_0, J T = (0, -1).
    expect(run(op, [ONE, 0], context(q, 2, P, [0], ONE))).toEqual([ONE, -ONE]);
    // facet 2 (x_1 <= 1): sin 0, no slide.
    expect(run(op, [0, ONE], context(q, 2, P, [2], ONE))).toEqual([0, ONE]);
    // facet 3 (x_1 >= -1, normal -e_1, default phase): J(0, -1) = (1, 0).
    expect(run(op, [0, -ONE], context(q, 2, P, [3], ONE))).toEqual([ONE, -ONE]);
    // At the corner x = (1, 1), facets 0 and 2 active: the tangent space is {0}.
    expect(run(op, [ONE, ONE], context(q, 2, P, [0, 2], ONE))).toEqual([ONE, ONE]);
  });

  it('a general facet: the slide is tangent (<n, x\' - x> <= 0 exactly) and has the expected length', () => {
    // Facet x_0 + x_1 <= 1 in 3D (normal (1, 1, 0), not unit).
    const P = createPolytope(1, 3, Int32Array.from([ONE, ONE, 0]), Int32Array.from([ONE]));
    const op = builtinOperators.traversal(q, 3, {}, 'op');
    const x = [Q(0.5), Q(0.5), 0];
    const y = run(op, x, context(q, 3, P, [0], ONE));
    const d = y.map((v, j) => v - x[j]);
    expect(exactDot(P.A, 0, d, 3) <= 0n).toBe(true);
    // Real step: J (1, 1, 0) = (1 - 0, 0 - 1, 1 - 1) = (1, -1, 0), already tangent.
    expect(d).toEqual([ONE, -ONE, 0]);
  });

  it('random polytopes and active sets: never an outward component on any active facet (exact)', () => {
    const rng = new Rng(0x7a5e);
    let moved = 0;
    let single = 0;
    let singleMoved = 0;
    let fallbacks = 0;
    const cases = PURITY ? 300 : 6000;
    for (let t = 0; t < cases; t++) {
      const f = [12, 16, 20, 24][t & 3];
      const qf = createQ(f);
      const one = 2 ** f;
      const n = rng.range(1, 6);
      const m = rng.range(1, 8);
      const R = randomPolytope(rng, n, m, f);
      const P = createPolytope(m, n, R.A, R.b);
      const K = rng.range(1, Math.min(m, 4));
      const ids: number[] = [];
      while (ids.length < K) {
        const k = rng.range(0, m - 1);
        if (ids.indexOf(k) < 0) ids.push(k);
      }
      const params: Record<string, unknown> = { gain: rng.range(one >> 4, 2 * one) };
      if (rng.range(0, 1)) params.phases = Array.from({ length: m }, () => rng.int32());
      const op = builtinOperators.traversal(qf, n, params, 'op');
      const x = R.center.map((v) => v + rng.range(-one, one));
      const y = run(op, x, context(qf, n, P, ids, rng.range(0, one)));
      const d = y.map((v, j) => v - x[j]);
      for (const k of ids) expect(exactDot(P.A, k * n, d, n) <= 0n, `case ${t} facet ${k}`).toBe(true);
      const nz = d.some((v) => v !== 0);
      if (nz) moved++;
      if (K === 1 && n >= 2) {
        single++;
        if (nz) singleMoved++;
      }
      if (!nz) fallbacks++;
    }
    // Most cases move (zero is legitimate: n = 1, sin(phi) ~ 0, several normals spanning the space).
    expect(moved).toBeGreaterThan(cases / 2);
    expect(singleMoved / single).toBeGreaterThan(0.9);
    expect(fallbacks).toBeLessThan(cases);
  });

  it('one general facet: matches the float64 projection of gain chi sin(phi) J n', () => {
    const rng = new Rng(0x51de);
    for (let t = 0; t < (PURITY ? 200 : 3000); t++) {
      const one = ONE;
      const n = rng.range(2, 6);
      const a = Array.from({ length: n }, () => rng.range(-2 * one, 2 * one));
      const P = createPolytope(1, n, Int32Array.from(a), Int32Array.from([one]));
      const gain = rng.range(one >> 2, one);
      const chi = rng.range(0, one);
      const phase = rng.int32();
      const op = builtinOperators.traversal(q, n, { gain, phase }, 'op');
      const x = Array.from({ length: n }, () => rng.range(-one, one));
      const y = run(op, x, context(q, n, P, [0], chi));
      const w = (gain / one) * (chi / one) * Math.sin((2 * Math.PI * ((phase & 0xffffff) >>> 0)) / 2 ** 24);
      const T = a.map((v) => w * (v / one));
      const J = n === 2 ? [-T[1], T[0]] : T.map((_, i) => T[(i + 1) % n] - T[(i + n - 1) % n]);
      const an = a.reduce((s, v) => s + (v / one) ** 2, 0);
      const dn = a.reduce((s, v, j) => s + (v / one) * J[j], 0);
      const want = J.map((v, j) => (v - (dn / an) * (a[j] / one)) * one);
      // Tolerance: the rounding of T and J T (a few units per entry) plus, when the
      // slide needed a correction, the move to the margin m = 2 + floor(||n||_1 / 2^f)
      // slack units inside: at most ~2 m / ||n|| units along n.
      const m = 2 + Math.floor(a.reduce((s, v) => s + Math.abs(v), 0) / one);
      const tol = n + 2 + (2 * m + 1) / Math.sqrt(an);
      for (let j = 0; j < n; j++) expect(Math.abs(y[j] - x[j] - want[j]), `t=${t} j=${j}`).toBeLessThanOrEqual(tol);
    }
  });

  it('several general facets, well conditioned: close to the float64 orthogonal projection', () => {
    // Float reference: Gram-Schmidt on the active normals, then the projection of J T.
    const project = (N: number[][], v: number[]) => {
      const U: number[][] = [];
      let ratio = 1;
      for (const a of N) {
        let u = a.slice();
        for (const b of U) {
          const d = u.reduce((s, x, j) => s + x * b[j], 0);
          u = u.map((x, j) => x - d * b[j]);
        }
        const nn = Math.hypot(...u);
        ratio = Math.min(ratio, nn / Math.hypot(...a));
        if (nn > 1e-9) U.push(u.map((x) => x / nn));
      }
      let r = v.slice();
      for (const b of U) {
        const d = r.reduce((s, x, j) => s + x * b[j], 0);
        r = r.map((x, j) => x - d * b[j]);
      }
      return { r, ratio };
    };
    const rng = new Rng(0x90e1);
    let checked = 0;
    let sum = 0;
    for (let t = 0; t < (PURITY ? 300 : 4000); t++) {
      const f = [12, 16, 20, 24][t & 3];
      const qf = createQ(f);
      const one = 2 ** f;
      const n = rng.range(2, 8);
      const m = rng.range(2, 10);
      const R = randomPolytope(rng, n, m, f);
      const P = createPolytope(m, n, R.A, R.b);
      const K = rng.range(2, Math.min(m, 6));
      const ids: number[] = [];
      while (ids.length < K) {
        const k = rng.range(0, m - 1);
        if (ids.indexOf(k) < 0) ids.push(k);
      }
      const N = ids.map((k) => Array.from(P.A.subarray(k * n, k * n + n)).map((v) => v / one));
      const T = new Array(n).fill(0);
      for (const a of N) for (let j = 0; j < n; j++) T[j] += a[j];
      const JT = T.map((_, i) => (n === 2 ? (i === 0 ? -T[1] : T[0]) : T[(i + 1) % n] - T[(i + n - 1) % n]));
      const { r, ratio } = project(N, JT);
      if (ratio < 0.1) continue; // ill-conditioned corner: the float answer itself is fragile
      const op = builtinOperators.traversal(qf, n, {}, 'op');
      const y = run(op, R.center, context(qf, n, P, ids, one));
      const margins = ids.reduce((s, k) => s + 2 + Math.floor(P.l1[k] / one), 0);
      const dev = Math.max(...r.map((v, j) => Math.abs(v * one - (y[j] - R.center[j])))) / margins;
      expect(dev, `case ${t}`).toBeLessThanOrEqual(128);
      sum += dev;
      checked++;
    }
    expect(checked).toBeGreaterThan(PURITY ? 100 : 1500);
    expect(sum / checked).toBeLessThan(3); // in rounding margins m_k: typically about 1
  });

  it('a corner of two general facets: the slide follows their intersection', () => {
    // x_0 + x_1 <= 1 and x_0 - x_1 <= 1 meet along x_0 = 1, x_1 = 0 (direction e_2).
    const P = createPolytope(2, 3, Int32Array.from([ONE, ONE, 0, ONE, -ONE, 0]), Int32Array.from([ONE, ONE]));
    const op = builtinOperators.traversal(q, 3, { phases: [QUARTER_TURN, QUARTER_TURN] }, 'op');
    const x = [ONE, 0, 0];
    const y = run(op, x, context(q, 3, P, [0, 1], ONE));
    const d = y.map((v, j) => v - x[j]);
    expect(exactDot(P.A, 0, d, 3) <= 0n).toBe(true);
    expect(exactDot(P.A, 3, d, 3) <= 0n).toBe(true);
    // T = n_0 + n_1 = (2, 0, 0); J T = (0 - 0, 0 - 2, 2 - 0) = (0, -2, 2); projected onto e_2: (0, 0, 2).
    // Both slacks are aimed at m = 2 + 2 = 4 units inside: d_0 = -4, d_1 = 0, within rounding.
    expect(Math.abs(d[0] + 4)).toBeLessThanOrEqual(2);
    expect(Math.abs(d[1])).toBeLessThanOrEqual(2);
    expect(Math.abs(d[2] - 2 * ONE)).toBeLessThanOrEqual(2);
  });

  it('never saturates into a crossing: x + v beyond int32 keeps x and raises the flag', () => {
    const P = box(3, 1);
    const op = builtinOperators.traversal(q, 3, { gain: Q(100) }, 'op');
    q.flags = 0;
    expect(run(op, [ONE, MIN + 5, 0], context(q, 3, P, [0], ONE))).toEqual([ONE, MIN + 5, 0]);
    expect(q.flags & Flag.SATURATED).toBe(Flag.SATURATED);
    q.flags = 0;
    expect(TRAVERSAL_FIX_PASSES).toBeGreaterThan(0);
  });

  it('skips bad active ids and a polytope of another dimension', () => {
    const P = box(3, 1);
    const op = builtinOperators.traversal(q, 3, {}, 'op');
    expect(run(op, [ONE, 0, 0], context(q, 3, P, [-1, 99, 0], ONE))).toEqual(run(op, [ONE, 0, 0], context(q, 3, P, [0], ONE)));
    const op2 = builtinOperators.traversal(q, 2, {}, 'op');
    expect(run(op2, [ONE, 7], context(q, 2, P, [0], ONE))).toEqual([ONE, 7]);
  });

  it('rejects bad parameters', () => {
    const mk = (p: Record<string, unknown>) => () => builtinOperators.traversal(q, 3, p, 'operators[4]');
    expect(mk({ sweeps: 4 })).toThrow('operators[4].sweeps: unknown parameter (known: phases, phase, gain)');
    expect(mk({ phases: [0, 1.5] })).toThrow('operators[4].phases[1]: must be an int32 (Q units), got 1.5');
    expect(mk({ phases: 3 })).toThrow('operators[4].phases: must be an array of int32, got 3');
    expect(mk({ gain: 'big' })).toThrow('operators[4].gain: must be an int32 (Q units), got "big"');
  });
});

describe('builtinOperators', () => {
  it('names every built-in, frozen', () => {
    expect(Object.keys(builtinOperators).sort()).toEqual(['admm', 'anisotropy', 'drift', 'gyroid', 'linear', 'traversal']);
    expect(Object.isFrozen(builtinOperators)).toBe(true);
  });
});
