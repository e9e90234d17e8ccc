/**
 * The `gyroid` operator (SPEC 6): flux along the gyroid
 *
 *     G(x) = sum_i sin(w x_i) cos(w x_{i+1})      (indices cyclic mod n)
 *
 * (n = 3 is the classic gyroid sin x cos y + sin y cos z + sin z cos x).
 *
 * Frequency. `w x_i` is the binary angle `phaseAngle(x_i, frequency)`
 * (src/engine/gates.ts): `frequency` is in Q f and counts TURNS per unit of
 * x, so one period of the gyroid along each axis is `1 / frequency` units.
 * A model gives either `frequency` or `period` (Q f, the period length),
 * converted once at setup to `frequency = RNE(2^f 2^f / period)`. In
 * radians, w = 2 pi frequency (`omega`, Q f, computed once at setup).
 *
 * Flow. One explicit step of
 *
 *     x' = x - k G(x) grad G(x) + c chi J grad G(x)
 *
 * - `-k G grad G` is a gradient step on `1/2 G^2`: attraction to the surface
 *   G = 0 (gain k = `gain`, Q f, in units of length^2).
 * - `c chi J grad G` is the chirality-gated tangential flow: `chi` =
 *   `ctx.chi` (the chiral gate Gamma_chi(x) in [0, 1.0]) opens it,
 *   c = `tangentGain` (Q f; its sign picks the handedness), and `J` is the
 *   fixed skew-symmetric "chiral rotation" of `chiralRotate`, so that
 *   `<J g, g> = 0`: the flow is tangent to the level set of G through x.
 *   For n = 3, `J g = g x (1, 1, 1)`: the rotation about the gyroid's [111]
 *   axis.
 *
 * grad G_j = w (cos(w x_j) cos(w x_{j+1}) - sin(w x_{j-1}) sin(w x_j)), which
 * holds for every n >= 1 with cyclic indices.
 *
 * Model parameters (raw int32, Q f): `gain`, `tangentGain` (optional,
 * default 0), and exactly one of `frequency`, `period` (both > 0).
 */
import { add, sub } from '../../fixed/arith.js';
import { div } from '../../fixed/div.js';
import { mul, mulShift } from '../../fixed/mul.js';
import { Flag, INT32_MAX, type QContext } from '../../fixed/q.js';
import { cos, sin } from '../../fixed/trig.js';
import { phaseAngle } from '../gates.js';
import type { Operator, StepContext } from '../operator.js';
import { checkKeys, checkN, fail, intParam } from './params.js';

/** 2 pi in Q28: round(2 pi 2^28) = 1686629713 (6.28318530...). */
const TWO_PI_Q28 = 1686629713;

/**
 * `out = J v`, the chiral rotation: a fixed skew-symmetric map (so `<J v, v>
 * = 0` exactly in real arithmetic: J v is orthogonal to v), used for the
 * tangent flows of `gyroid` and `traversal`:
 *
 * - n = 1: `J = 0` (no direction is orthogonal to v);
 * - n = 2: a quarter turn, `J (v0, v1) = (-v1, v0)`;
 * - n >= 3: the cyclic difference `(J v)_i = v_{i+1} - v_{i-1}` (indices mod
 *   n). For n = 3 this is `v x (1, 1, 1)`; in general J v = 0 exactly when v
 *   is constant (and, for even n, alternating), where no flow results.
 *
 * - Domain: any int32 `v` (any common format), n >= 1.
 * - Rounding: none. Overflow: a difference beyond int32 saturates and ORs
 *   `Flag.SATURATED`.
 * - Aliasing: `out` must not be `v`. Allocation: none.
 */
export function chiralRotate(q: QContext, out: Int32Array, v: Int32Array, n: number): void {
  if (n === 1) {
    out[0] = 0;
  } else if (n === 2) {
    const v0 = v[0];
    const v1 = v[1];
    out[0] = sub(q, 0, v1); // saturates only for v1 = INT32_MIN
    out[1] = v0;
  } else {
    for (let i = 0; i < n; i++) {
      const next = i + 1 === n ? 0 : i + 1;
      const prev = i === 0 ? n - 1 : i - 1;
      out[i] = sub(q, v[next], v[prev]);
    }
  }
}

/**
 * The gyroid field at x: returns `G(x)` (Q f) and writes `grad G(x)` (Q f,
 * per unit length) into `grad`, using `sn`, `cs` (n each) as scratch for the
 * sines and cosines (left holding sin/cos(w x_i), Q f).
 *
 * - Domain: any int32 `x` (Q f); `frequency` in turns per unit, Q f;
 *   `omega` = 2 pi frequency, Q f; n >= 1.
 * - Rounding: angles per `phaseAngle` (RNE, wrapped); sin/cos by table
 *   (<= 0.54 units); each product `mul` (RNE); G is the exact sum of the
 *   rounded products; grad_j = RNE(omega (c_j c_{j+1} - s_{j-1} s_j) / 2^f)
 *   with both products rounded first. Each product of table values is
 *   within 1.6 units of 2^-f of the real one, so |G - G_real| <= 1.6 n units
 *   and grad is within 3.2 |w| + 1.5 units (w = 2 pi frequency as a real),
 *   for the same angles.
 * - Overflow: G saturates (flag) only if n >= 2^(31 - f); grad saturates
 *   with `Flag.SATURATED` when |w| >= 2^(30 - f) (16384 rad per unit in Q16).
 * - Aliasing: `grad`, `sn`, `cs` distinct from each other and from x.
 * - Allocation: none.
 */
export function gyroidField(q: QContext, grad: Int32Array, sn: Int32Array, cs: Int32Array, x: Int32Array, frequency: number, omega: number, n: number): number {
  for (let i = 0; i < n; i++) {
    const a = phaseAngle(q, x[i], frequency);
    sn[i] = sin(q, a);
    cs[i] = cos(q, a);
  }
  let G = 0;
  for (let i = 0; i < n; i++) {
    const next = i + 1 === n ? 0 : i + 1;
    const prev = i === 0 ? n - 1 : i - 1;
    G = add(q, G, mul(q, sn[i], cs[next]));
    // Each product is in [-1.0, 1.0]: the difference is within +-2^(f+1).
    grad[i] = mul(q, omega, mul(q, cs[i], cs[next]) - mul(q, sn[prev], sn[i]));
  }
  return G;
}

/**
 * Makes a `gyroid` operator. Setup time: validates (RangeError naming the
 * JSON path), converts `period` to `frequency`, computes `omega = 2 pi
 * frequency` (RNE), allocates scratch (4 n int32).
 *
 * `apply(out, x, ctx)`:
 * `out_j = x_j - RNE(RNE(k G / 2^f) grad_j / 2^f) + RNE(RNE(c chi / 2^f) (J grad)_j / 2^f)`,
 * each sum saturating, with G and grad from `gyroidField` and J =
 * `chiralRotate`.
 * - Domain: any int32 `x` (Q f, `f = ctx.q.f` = the setup format);
 *   `ctx.chi` in [0, 1.0] (any int32 works).
 * - Rounding: every product RNE (see `gyroidField` for G and grad); not
 *   correctly rounded overall: a few units of 2^-f times the gains (the
 *   tests bound it against float64).
 * - Overflow: saturates and ORs `Flag.SATURATED` into `ctx.q.flags`.
 * - Aliasing: `out` may be `x` (x is read completely first).
 * - Allocation: none; never throws. Not re-entrant (scratch).
 */
export function createGyroidOperator(q: QContext, n: number, params: Record<string, unknown>, path: string): Operator {
  checkN(path, n);
  checkKeys(path, params, ['gain', 'tangentGain', 'frequency', 'period']);
  const gain = intParam(`${path}.gain`, params.gain); // Q, length^2
  const tangentGain = params.tangentGain === undefined ? 0 : intParam(`${path}.tangentGain`, params.tangentGain); // Q
  let frequency: number; // Q, turns per unit length
  if (params.frequency !== undefined && params.period !== undefined) fail(path, 'give either frequency or period, not both');
  if (params.frequency !== undefined) {
    frequency = intParam(`${path}.frequency`, params.frequency, 1, INT32_MAX);
  } else if (params.period !== undefined) {
    const period = intParam(`${path}.period`, params.period, 1, INT32_MAX);
    const scratch = { f: q.f, one: q.one, flags: 0 };
    frequency = div(scratch, q.one, period);
    if (frequency < 1 || (scratch.flags & Flag.SATURATED) !== 0) {
      fail(`${path}.period`, `${period} gives a frequency (2^f / period) outside 1..2^31 - 1 in Q${q.f}`);
    }
  } else {
    fail(path, 'needs frequency (turns per unit, Q) or period (Q)');
  }
  const scratch = { f: q.f, one: q.one, flags: 0 };
  const omega = mulShift(scratch, frequency, TWO_PI_Q28, 28); // Q, radians per unit
  if ((scratch.flags & Flag.SATURATED) !== 0) {
    fail(`${path}.${params.frequency !== undefined ? 'frequency' : 'period'}`, `2 pi frequency does not fit Q${q.f}`);
  }
  const sn = new Int32Array(n); // n, Q: sin(w x_i)
  const cs = new Int32Array(n); // n, Q: cos(w x_i)
  const grad = new Int32Array(n); // n, Q: grad G
  const tangent = new Int32Array(n); // n, Q: J grad G
  return {
    name: 'gyroid',
    apply(out: Int32Array, x: Int32Array, ctx: StepContext): void {
      const qc = ctx.q;
      const G = gyroidField(qc, grad, sn, cs, x, frequency, omega, n);
      chiralRotate(qc, tangent, grad, n);
      const kG = mul(qc, gain, G);
      const cChi = mul(qc, tangentGain, ctx.chi);
      for (let j = 0; j < n; j++) {
        out[j] = add(qc, sub(qc, x[j], mul(qc, kG, grad[j])), mul(qc, cChi, tangent[j]));
      }
    },
  };
}
