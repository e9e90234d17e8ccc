/**
 * SPEC 11 uses: the look-ahead of the next facet crossing and the boundary
 * record terms (Jacobian rows, curvature).
 */
import { describe, expect, it } from 'vitest';
import {
  createQ,
  createTensorWork,
  dot,
  finiteDifferences,
  Flag,
  jacobianOnDirections,
  Lookahead,
  pureIndex,
  taylorLookahead,
  TensorStatus,
} from '../../src/index.js';
import { Rng } from '../helpers/rng.js';

const S = 8; // lattice step Delta = 2^8 Q units
const DELTA = 1 << S;

/** F(x) = (x0 + Delta p(z0), x1 + x0 >> 4), z0 = x0 / Delta: motion along e0 in whole lattice steps. */
function makeF(coef: number[]) {
  return (out: Int32Array, x: Int32Array): void => {
    const z = x[0] >> S;
    let p = 0;
    for (let k = coef.length - 1; k >= 0; k--) p = p * z + coef[k];
    out[0] = x[0] + DELTA * p;
    out[1] = x[1] + (x[0] >> 4);
  };
}

/** The true first step t in 1..tMax with b - x0_t <= band (0 if none). */
function truth(F: (o: Int32Array, x: Int32Array) => void, x0: Int32Array, b: number, band: number, tMax: number): number {
  let x = Int32Array.from(x0);
  const y = new Int32Array(2);
  for (let t = 1; t <= tMax; t++) {
    F(y, x);
    if (b - y[0] <= band) return t;
    x = Int32Array.from(y);
  }
  return 0;
}

describe('taylorLookahead', () => {
  it('predicts the true crossing step when F along the normal is a polynomial of degree <= order', () => {
    const rng = new Rng(0x100c);
    const q = createQ(16);
    const work = createTensorWork(2, 2, 3);
    const dirs = Int32Array.of(q.one, 0, 0, q.one); // facet normal e0 is direction 0
    const a = Int32Array.of(q.one, 0);
    let crossings = 0;
    for (let trial = 0; trial < 300; trial++) {
      const order = rng.range(1, 3);
      const deg = rng.range(0, order);
      // p(z) = w + c1 z + c2 z^2 + c3 z^3, kept small so the motion stays moderate.
      const coef = [rng.range(-2, 4), 0, 0, 0].slice(0, deg + 1);
      for (let k = 1; k <= deg; k++) coef[k] = rng.range(-1, 1) * (k === 1 ? 1 : 0) + (k > 1 && rng.range(0, 3) === 0 ? rng.range(-1, 1) : 0);
      const F = makeF(coef);
      const x = Int32Array.of(rng.range(-3, 3) * DELTA, rng.range(-100, 100));
      const b = rng.range(0, 40) * DELTA + rng.range(0, DELTA - 1);
      const band = rng.range(0, 2) * 100;
      const tMax = rng.range(1, 30);
      expect(finiteDifferences(q, work, F, x, dirs, null, 2, Int32Array.of(DELTA, DELTA), order)).toBe(TensorStatus.OK);
      const want = truth(F, x, b, band, tMax);
      // Trajectories that run far out may saturate the prediction: then UNKNOWN is allowed.
      const got = taylorLookahead(q, work, a, 0, b, x, 0, band, tMax);
      if (got === Lookahead.UNKNOWN) continue;
      expect(got, `coef [${coef}] x0 ${x[0]} b ${b} band ${band} tMax ${tMax}`).toBe(want);
      if (want > 0) {
        crossings++;
        expect(work.predictedSlack).toBeLessThanOrEqual(band);
      }
    }
    expect(crossings).toBeGreaterThan(50);
    expect(q.flags).toBe(0);
  });

  it('a constant drift crosses after ceil((b - band - z0) / w) steps', () => {
    const q = createQ(16);
    const work = createTensorWork(2, 1, 2);
    const F = makeF([3]); // 3 lattice steps per step
    const x = Int32Array.of(0, 0);
    finiteDifferences(q, work, F, x, Int32Array.of(q.one, 0), null, 1, Int32Array.of(DELTA), 2);
    const a = Int32Array.of(q.one, 0);
    expect(taylorLookahead(q, work, a, 0, 10 * DELTA, x, 0, 0, 100)).toBe(4); // 3, 6, 9, 12 steps of Delta
    expect(taylorLookahead(q, work, a, 0, 9 * DELTA, x, 0, 0, 100)).toBe(3);
    expect(taylorLookahead(q, work, a, 0, 10 * DELTA, x, 0, DELTA, 100)).toBe(3); // band of one step
    expect(taylorLookahead(q, work, a, 0, 10 * DELTA, x, 0, 0, 3)).toBe(Lookahead.NONE);
    expect(work.predictedSlack).toBe(10 * DELTA - 9 * DELTA);
    expect(taylorLookahead(q, work, a, 0, 2 * DELTA, x, 0, 0, 1)).toBe(1); // t = 1: the exact slack of F(x)
  });

  it('reads a facet row at an offset (the engine passes P.A and the facet index)', () => {
    const q = createQ(16);
    const work = createTensorWork(2, 1, 1);
    const F = makeF([2]);
    const x = Int32Array.of(0, 0);
    finiteDifferences(q, work, F, x, Int32Array.of(q.one, 0), null, 1, Int32Array.of(DELTA), 1);
    const A = Int32Array.of(0, q.one, q.one, 0); // row 1 is the facet
    expect(taylorLookahead(q, work, A, 2, 5 * DELTA, x, 0, 0, 10)).toBe(3);
  });

  it('returns UNKNOWN without touching q.flags when no prediction is possible', () => {
    const q = createQ(16);
    const work = createTensorWork(2, 2, 2);
    const a = Int32Array.of(q.one, 0);
    const x = Int32Array.of(0, 0);
    expect(taylorLookahead(q, work, a, 0, DELTA, x, 0, 0, 10)).toBe(Lookahead.UNKNOWN); // no differences yet
    finiteDifferences(q, work, makeF([1]), x, Int32Array.of(q.one, 0, 0, q.one), null, 2, Int32Array.of(DELTA, DELTA), 2);
    expect(taylorLookahead(q, work, a, 0, DELTA, x, 2, 0, 10)).toBe(Lookahead.UNKNOWN); // k >= K
    expect(taylorLookahead(q, work, a, 0, DELTA, x, 0, -1, 10)).toBe(Lookahead.UNKNOWN); // band < 0
    expect(taylorLookahead(q, work, a, 0, DELTA, x, 0, 0, 0)).toBe(Lookahead.UNKNOWN); // tMax
    expect(taylorLookahead(q, work, a, 0, DELTA, x, 0, 0, 1025)).toBe(Lookahead.UNKNOWN);
    expect(taylorLookahead(q, work, a, 0, DELTA, x, 1, 0, 10)).toBe(Lookahead.UNKNOWN); // direction 1 does not move <a, .>
    expect(taylorLookahead(q, work, Int32Array.of(-q.one, 0), 0, DELTA, x, 0, 0, 10)).toBe(Lookahead.UNKNOWN); // c < 0
    // A huge predicted motion saturates: UNKNOWN, and the step's flags are untouched.
    finiteDifferences(q, work, makeF([1 << 20, 0, 1 << 10]), x, Int32Array.of(q.one, 0, 0, q.one), null, 2, Int32Array.of(DELTA, DELTA), 2);
    q.flags = Flag.DIV_ZERO;
    expect(taylorLookahead(q, work, a, 0, 0x7fff0000, x, 0, 0, 1000)).toBe(Lookahead.UNKNOWN);
    expect(q.flags).toBe(Flag.DIV_ZERO);
  });
});

describe('jacobianOnDirections', () => {
  it('copies the first-order rows and computes the normal curvature; zero rows beyond K', () => {
    const rng = new Rng(0x1ac0);
    const n = 4;
    const q = createQ(16);
    const work = createTensorWork(n, 3, 3);
    const F = (out: Int32Array, x: Int32Array) => {
      for (let i = 0; i < n; i++) {
        const z = x[i] >> 6;
        out[i] = (z * z + (x[(i + 1) % n] >> 3)) | 0;
      }
    };
    const A = Int32Array.from({ length: 5 * n }, () => rng.range(-q.one, q.one));
    const rows = Int32Array.of(4, 2);
    const x = Int32Array.from({ length: n }, () => rng.range(-5000, 5000));
    expect(jacobianOnDirections(q, work, A, rows)).toBe(TensorStatus.BAD_ARGUMENT);
    work.jacobian.fill(7);
    work.curvature.fill(7);
    expect(finiteDifferences(q, work, F, x, A, rows, 2, Int32Array.of(512, 300), 3)).toBe(TensorStatus.OK);
    expect(jacobianOnDirections(q, work, A, rows)).toBe(TensorStatus.OK);
    for (let k = 0; k < 2; k++) {
      const p1 = pureIndex(work, k, 1);
      expect(Array.from(work.jacobian.subarray(k * n, k * n + n))).toEqual(Array.from(work.values.subarray(p1 * n, p1 * n + n)));
      expect(work.curvature[k]).toBe(dot(q, A, rows[k] * n, work.values, pureIndex(work, k, 2) * n, n, 16));
    }
    expect(Array.from(work.jacobian.subarray(2 * n))).toEqual([0, 0, 0, 0]);
    expect(work.curvature[2]).toBe(0);
    // Order 1: no curvature.
    finiteDifferences(q, work, F, x, A, rows, 2, Int32Array.of(512, 300), 1);
    jacobianOnDirections(q, work, A, rows);
    expect(Array.from(work.curvature)).toEqual([0, 0, 0]);
  });
});
