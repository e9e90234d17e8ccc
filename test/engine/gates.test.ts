/**
 * The gates (SPEC 8): the phase angle against a BigInt reference, PAS exact
 * (against a BigInt model of its definition on the table values) and close
 * to float64, the chiral gate, and the non-commutativity test on hand-worked
 * operator pairs.
 */
import { describe, expect, it } from 'vitest';
import { HALF_TURN, QUARTER_TURN } from '../../src/fixed/angle.js';
import { createQ, Flag, type QContext } from '../../src/fixed/q.js';
import { sigmoid } from '../../src/fixed/sigmoid.js';
import { cos, sin } from '../../src/fixed/trig.js';
import { createPolytope } from '../../src/geometry/polytope.js';
import { chiralGate, createGateWork, GATE_R_MAX, nonCommutativity, pas, phaseAngle } from '../../src/engine/gates.js';
import type { Operator, StepContext } from '../../src/engine/operator.js';
import { builtinOperators } from '../../src/engine/operators/index.js';
import { PURITY } from '../helpers/budget.js';
import { INT32_EDGES } from '../helpers/edges.js';
import { isqrtFloor, rneShift } from '../helpers/ref.js';
import { Rng } from '../helpers/rng.js';

const ONE = 1 << 16;
const Q = (v: number, f = 16): number => Math.round(v * 2 ** f);
const MAX = 0x7fffffff;
const I = (a: number[]) => Int32Array.from(a);

/** phaseAngle by definition, with BigInt. */
function refAngle(f: number, x: number, w: number): number {
  const p = BigInt(x) * BigInt(w);
  const s = 2 * f - 24;
  const a = s >= 0 ? rneShift(p, s) : p << BigInt(-s);
  return Number(((a % 16777216n) + 16777216n) % 16777216n);
}

/**
 * PAS by its documented definition, with BigInt for the magnitude: the core's
 * own sin/cos of the relative phases (per-term rounded to Q(f - e) when
 * n 2^f > 2^29), then RNE(sqrt(C^2 + S^2) / n) exactly, clamped to 1.0.
 */
function refPas(q: QContext, x: ArrayLike<number>, omega: ArrayLike<number>, n: number): number {
  const f = q.f;
  let e = 32 - Math.clz32(n - 1) + f - 29;
  if (e < 0) e = 0;
  const ref = phaseAngle(q, x[0], omega[0]);
  let C = 0n;
  let S = 0n;
  for (let i = 0; i < n; i++) {
    const a = (phaseAngle(q, x[i], omega[i]) - ref) & 0xffffff;
    C += rneShift(BigInt(cos(q, a)), e);
    S += rneShift(BigInt(sin(q, a)), e);
  }
  const u = C * C + S * S;
  const N = BigInt(n);
  // floor(sqrt(u) / n) = floor(isqrt(u) / n); then round: up iff (n (2r + 1))^2 < 4u, or = and r odd.
  let r = isqrtFloor(u) / N;
  const D = N * (2n * r + 1n);
  if (D * D < 4n * u || (D * D === 4n * u && (r & 1n) === 1n)) r += 1n;
  const lim = 1n << BigInt(f - e);
  if (r > lim) r = lim;
  return Number(r << BigInt(e));
}

describe('phaseAngle: RNE(x omega / 2^(2f - 24)) mod 2^24', () => {
  it('is exact against BigInt for every f, on edges and random inputs', () => {
    const rng = new Rng(0xa9);
    for (let f = 8; f <= 24; f++) {
      const q = createQ(f);
      for (const x of INT32_EDGES) {
        for (const w of INT32_EDGES) expect(phaseAngle(q, x, w), `f=${f} x=${x} w=${w}`).toBe(refAngle(f, x, w));
      }
      for (let t = 0; t < (PURITY ? 500 : 20_000); t++) {
        const x = rng.range(0, 1) ? rng.int32() : rng.wide();
        const w = rng.range(0, 1) ? rng.int32() : rng.wide();
        const got = phaseAngle(q, x, w);
        if (got !== refAngle(f, x, w)) expect({ f, x, w, got }).toEqual({ f, x, w, got: refAngle(f, x, w) });
      }
    }
  });

  it('turns per unit: omega = 1.0 gives a quarter turn at x = 1/4, half a turn at x = -1/2', () => {
    const q = createQ(16);
    expect(phaseAngle(q, Q(0.25), ONE)).toBe(QUARTER_TURN);
    expect(phaseAngle(q, Q(-0.5), ONE)).toBe(HALF_TURN);
    expect(phaseAngle(q, Q(3), ONE)).toBe(0);
    expect(phaseAngle(q, Q(-0.25), ONE)).toBe(3 * QUARTER_TURN);
    expect(q.flags).toBe(0);
  });
});

describe('pas: |1/n sum_i e^{j phi_i}|', () => {
  it('is exactly 1.0 when every phase agrees, whatever the common phase', () => {
    const rng = new Rng(0x9a5);
    for (let t = 0; t < (PURITY ? 300 : 3000); t++) {
      const f = rng.range(8, 24);
      const q = createQ(f);
      const n = rng.range(1, 64);
      // phi_i = omega_i x_i all equal: the same x and omega, or phases a whole number of turns apart.
      const x0 = rng.int32();
      const w0 = rng.int32();
      const x = new Int32Array(n).fill(x0);
      const w = new Int32Array(n).fill(w0);
      expect(pas(q, x, w, n)).toBe(q.one);
    }
    const q = createQ(16);
    // x_i omega_i = 0.3, 1.3, 2.3 turns.
    expect(pas(q, I([Q(0.3), Q(1.3), Q(2.3)]), I([ONE, ONE, ONE]), 3)).toBe(pas(q, I([Q(0.3), Q(0.3), Q(0.3)]), I([ONE, ONE, ONE]), 3));
    expect(pas(q, I([Q(0.25), Q(1.25), Q(0.125)]), I([ONE, ONE, 2 * ONE]), 3)).toBe(ONE);
  });

  it('is exactly 0 when the phases cancel', () => {
    const q = createQ(16);
    // n = 2, half a turn apart.
    expect(pas(q, I([0, Q(0.5)]), I([ONE, ONE]), 2)).toBe(0);
    expect(pas(q, I([Q(0.1), Q(0.6)]), I([ONE, ONE]), 2)).toBe(0);
    // n = 4 at quarter turns.
    expect(pas(q, I([0, Q(0.25), Q(0.5), Q(0.75)]), I([ONE, ONE, ONE, ONE]), 4)).toBe(0);
    // Two pairs, each cancelling.
    expect(pas(q, I([Q(0.2), Q(0.7), Q(0.9), Q(0.4)]), I([ONE, ONE, ONE, ONE]), 4)).toBe(0);
  });

  it('hand-worked: a quarter turn apart gives RNE(2^16 sqrt(2) / 2) = 46341; one of three opposite gives 1/3', () => {
    const q = createQ(16);
    expect(pas(q, I([0, Q(0.25)]), I([ONE, ONE]), 2)).toBe(46341); // 46340.95
    // (1 + 1 - 1) / 3 = 1/3: RNE(65536 / 3) = 21845.
    expect(pas(q, I([0, 0, Q(0.5)]), I([ONE, ONE, ONE]), 3)).toBe(21845);
  });

  it('equals the BigInt model of its definition (random, every f, n up to 64 incl. e > 0)', () => {
    const rng = new Rng(0x7a5);
    for (let t = 0; t < (PURITY ? 300 : 6000); t++) {
      // Every fifth case in f = 22..24 with n up to 4096, where terms are pre-rounded (e up to 7).
      const f = t % 5 === 0 ? rng.range(22, 24) : rng.range(8, 24);
      const q = createQ(f);
      const n = t % 5 === 0 ? (t % 25 === 0 ? rng.range(65, 4096) : rng.range(33, 64)) : rng.range(1, 12);
      const x = Int32Array.from({ length: n }, () => rng.wide());
      const w = Int32Array.from({ length: n }, () => (rng.range(0, 3) === 0 ? rng.int32() : rng.range(-(2 << f), 2 << f)));
      // Some aligned cases, where the rounding to 1.0 and ties matter.
      if (rng.range(0, 3) === 0) for (let i = 1; i < n; i++) if (rng.range(0, 1)) { x[i] = x[0]; w[i] = w[0]; }
      q.flags = 0;
      const got = pas(q, x, w, n);
      const want = refPas(q, x, w, n);
      if (got !== want) expect({ t, f, n, got }).toEqual({ t, f, n, got: want });
      expect(got).toBeGreaterThanOrEqual(0);
      expect(got).toBeLessThanOrEqual(q.one);
      expect(q.flags).toBe(0);
    }
  });

  it('is within about one unit of float64 on the same phases (e = 0)', () => {
    const rng = new Rng(0x51a);
    let worst = 0;
    for (let t = 0; t < (PURITY ? 300 : 5000); t++) {
      const f = rng.range(8, 24);
      const q = createQ(f);
      const n = rng.range(1, Math.min(32, 1 << (29 - f)));
      const x = Int32Array.from({ length: n }, () => rng.wide());
      const w = Int32Array.from({ length: n }, () => rng.range(-(2 << f), 2 << f));
      let c = 0;
      let s = 0;
      for (let i = 0; i < n; i++) {
        const a = (phaseAngle(q, x[i], w[i]) / 2 ** 24) * 2 * Math.PI;
        c += Math.cos(a);
        s += Math.sin(a);
      }
      const real = Math.min(1, Math.hypot(c, s) / n) * 2 ** f;
      const err = Math.abs(pas(q, x, w, n) - real);
      worst = Math.max(worst, err);
    }
    // Table sin/cos are within 0.54 units each: the mean vector within 0.77, plus 0.5 rounding.
    expect(worst).toBeLessThanOrEqual(1.3);
    expect(worst).toBeGreaterThan(0.4);
  });

  it('n < 1 is a domain error: 0 and Flag.DOMAIN', () => {
    const q = createQ(16);
    expect(pas(q, I([1]), I([1]), 0)).toBe(0);
    expect(q.flags).toBe(Flag.DOMAIN);
  });
});

describe('chiralGate: sigmoid(<x, chi>)', () => {
  const q = createQ(16);
  it('is exactly 0.5 for x orthogonal to chi, and matches sigmoid of the exact dot', () => {
    expect(chiralGate(q, I([ONE, ONE]), I([ONE, -ONE]), 2)).toBe(ONE / 2);
    expect(chiralGate(q, I([Q(3), Q(-2), 7]), I([Q(2), Q(3), 0]), 3)).toBe(ONE / 2);
    expect(chiralGate(q, I([0, 0, 0]), I([MAX, MAX, MAX]), 3)).toBe(ONE / 2);
    // <x, chi> = 1.0: sigmoid(1) = 0.7310585... -> 47911.
    expect(chiralGate(q, I([ONE, 0]), I([ONE, Q(5)]), 2)).toBe(sigmoid(q, ONE));
    const rng = new Rng(0xc41);
    for (let t = 0; t < (PURITY ? 300 : 5000); t++) {
      const f = rng.range(8, 24);
      const qf = createQ(f);
      const n = rng.range(1, 8);
      const x = Int32Array.from({ length: n }, () => rng.wide());
      const c = Int32Array.from({ length: n }, () => rng.wide());
      let d = 0n;
      for (let j = 0; j < n; j++) d += BigInt(x[j]) * BigInt(c[j]);
      let r = rneShift(d, f);
      if (r > 0x7fffffffn) r = 0x7fffffffn;
      if (r < -0x80000000n) r = -0x80000000n;
      expect(chiralGate(qf, x, c, n)).toBe(sigmoid(qf, Number(r)));
      expect(qf.flags).toBe(0); // a saturated dot raises nothing: sigmoid is 0 or 1.0 there anyway
    }
  });

  it('saturates to 1.0 / 0 for huge dots, without a flag', () => {
    q.flags = 0;
    expect(chiralGate(q, I([MAX, MAX]), I([MAX, MAX]), 2)).toBe(ONE);
    expect(chiralGate(q, I([MAX, MAX]), I([-MAX, -MAX]), 2)).toBe(0);
    expect(q.flags).toBe(0);
  });
});

describe('nonCommutativity: kappa_ij = ||F_i(F_j(x)) - F_j(F_i(x))||_inf', () => {
  const q = createQ(16);
  const ctx: StepContext = {
    q,
    n: 2,
    level: 0,
    polytope: createPolytope(1, 2, I([ONE, 0]), I([ONE])),
    active: new Int32Array(4),
    activeCount: 0,
    chi: ONE / 2,
    step: 0,
  };
  const linear = (M: number[][], c?: number[]) => builtinOperators.linear(q, 2, c ? { M, c } : { M }, 'op');

  it('commuting operators: kappa 0, nothing over tau, mask untouched', () => {
    const ops = [linear([[Q(2), 0], [0, Q(3)]]), linear([[Q(0.5), 0], [0, Q(-1)]])];
    const work = createGateWork(2, 2);
    const kappa = new Int32Array(4).fill(-1);
    const mask = new Uint8Array(2);
    expect(nonCommutativity(q, kappa, ops, I([Q(1.5), Q(-0.25)]), ctx, work, 0, mask)).toBe(0);
    expect(Array.from(kappa)).toEqual([0, 0, 0, 0]);
    expect(Array.from(mask)).toEqual([0, 0]);
  });

  it('a rotation and a scaling, worked by hand; strict threshold; mask is only set', () => {
    // R = quarter turn, D = diag(2, 1). x = (1, 0): R D x = (0, 2), D R x = (0, 1): kappa = 1.0 on axis 1.
    const ops = [linear([[0, -ONE], [ONE, 0]]), linear([[Q(2), 0], [0, ONE]])];
    const work = createGateWork(2, 2);
    const kappa = new Int32Array(4);
    const mask = new Uint8Array(2);
    expect(nonCommutativity(q, kappa, ops, I([ONE, 0]), ctx, work, Q(0.5), mask)).toBe(1);
    expect(Array.from(kappa)).toEqual([0, ONE, ONE, 0]);
    expect(Array.from(mask)).toEqual([0, 1]);
    // tau = kappa: not over (strictly greater is required).
    const mask2 = new Uint8Array(2);
    expect(nonCommutativity(q, kappa, ops, I([ONE, 0]), ctx, work, ONE, mask2)).toBe(0);
    expect(Array.from(mask2)).toEqual([0, 0]);
    // The mask is ORed, never cleared.
    const mask3 = new Uint8Array([1, 0]);
    nonCommutativity(q, kappa, ops, I([0, 0]), ctx, work, 0, mask3);
    expect(Array.from(mask3)).toEqual([1, 0]);
  });

  it('three operators: symmetric r x r with zero diagonal, equal to a direct computation', () => {
    const rng = new Rng(0xc0);
    for (let t = 0; t < (PURITY ? 50 : 500); t++) {
      const n = rng.range(1, 5);
      const r = rng.range(2, 4);
      const ctxN: StepContext = { ...ctx, n, polytope: createPolytope(1, n, new Int32Array(n).fill(ONE), I([ONE])) };
      const ops: Operator[] = [];
      for (let k = 0; k < r; k++) {
        const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.range(-2 * ONE, 2 * ONE)));
        const c = Array.from({ length: n }, () => rng.range(-ONE, ONE));
        ops.push(builtinOperators.linear(q, n, { M, c }, 'op'));
      }
      const x = Int32Array.from({ length: n }, () => rng.range(-4 * ONE, 4 * ONE));
      const tau = rng.range(0, 64);
      const work = createGateWork(n, r);
      const kappa = new Int32Array(r * r).fill(-7);
      const mask = new Uint8Array(n);
      const over = nonCommutativity(q, kappa, ops, x, ctxN, work, tau, mask);
      let wantOver = 0;
      const wantMask = new Uint8Array(n);
      const a = new Int32Array(n);
      const b = new Int32Array(n);
      const fi = new Int32Array(n);
      const fj = new Int32Array(n);
      for (let i = 0; i < r; i++) {
        expect(kappa[i * r + i]).toBe(0);
        for (let j = i + 1; j < r; j++) {
          ops[j].apply(fj, x, ctxN);
          ops[i].apply(a, fj, ctxN);
          ops[i].apply(fi, x, ctxN);
          ops[j].apply(b, fi, ctxN);
          let k = 0;
          for (let e = 0; e < n; e++) k = Math.max(k, Math.abs(a[e] - b[e]));
          expect(kappa[i * r + j]).toBe(k);
          expect(kappa[j * r + i]).toBe(k);
          if (k > tau) {
            wantOver++;
            for (let e = 0; e < n; e++) if (Math.abs(a[e] - b[e]) > tau) wantMask[e] = 1;
          }
        }
      }
      expect(over).toBe(wantOver);
      expect(Array.from(mask)).toEqual(Array.from(wantMask));
    }
  });

  it('a difference beyond int32 saturates kappa with the flag', () => {
    const ops = [linear([[ONE, 0], [0, ONE]], [MAX, 0]), linear([[-ONE, 0], [0, ONE]])];
    const kappa = new Int32Array(4);
    q.flags = 0;
    // F0(F1(x)) = -x0 + MAX, F1(F0(x)) = -(x0 + MAX): differ by 2 MAX at x0 = 0.
    expect(nonCommutativity(q, kappa, ops, I([0, 0]), ctx, createGateWork(2, 2), 0, new Uint8Array(2))).toBe(1);
    expect(kappa[1]).toBe(MAX);
    expect(q.flags & Flag.SATURATED).toBe(Flag.SATURATED);
    q.flags = 0;
  });

  it('createGateWork validates its sizes', () => {
    expect(() => createGateWork(0, 2)).toThrow('gate work: n must be an integer in 1..4096, got 0');
    expect(() => createGateWork(3, GATE_R_MAX + 1)).toThrow(`gate work: r must be an integer in 0..${GATE_R_MAX}, got ${GATE_R_MAX + 1}`);
    const w = createGateWork(3, 0);
    expect(w.once.length).toBe(0);
  });
});
