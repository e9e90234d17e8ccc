/**
 * The gates of the Matrioshka step (SPEC 8): phase alignment (PAS), the
 * chiral gate Gamma_chi, and the non-commutativity test of the operators.
 *
 * Phases. A phase rate `omega` is in Q f and counts TURNS per unit of x, so
 * the phase of `x` (Q f) is the binary angle (2^24 units a turn, SPEC 1)
 *
 *     phi = RNE(x * omega / 2^(2f - 24)) mod 2^24        (f >= 12)
 *     phi = (x * omega * 2^(24 - 2f)) mod 2^24            (f < 12, exact)
 *
 * computed from the exact 64-bit product (`phaseAngle`): the angle wraps, it
 * never saturates. Example, Q16.16: omega = 1.0 (65536) gives a quarter
 * turn at x = 0.25, a full turn at x = 1.0.
 */
import { ANGLE_MASK } from '../fixed/angle.js';
import { sub } from '../fixed/arith.js';
import { Flag, type QContext } from '../fixed/q.js';
import { shr } from '../fixed/shift.js';
import { sigmoid } from '../fixed/sigmoid.js';
import { cos, sin } from '../fixed/trig.js';
import { dot, LINALG_N_MAX } from '../linalg/matvec.js';
import type { Operator, StepContext } from './operator.js';

/**
 * The binary angle of `x * omega` (both Q f, omega in turns per unit), as
 * defined in the module comment: `RNE(x omega / 2^(2f-24)) mod 2^24` for
 * f >= 12, `(x omega 2^(24-2f)) mod 2^24` for f < 12.
 *
 * - Domain: any int32 `x`, `omega`; `q.f` in 8..24.
 * - Rounding: round to nearest, ties to even, once, on the exact 64-bit
 *   product (f > 12); none for f <= 12 (the angle is exact). Rounding is
 *   applied to the signed value, then reduced: phaseAngle(-x) =
 *   -phaseAngle(x) mod 2^24.
 * - Overflow: none: the result is the exact rounded value reduced modulo a
 *   turn, in [0, 2^24). Never sets a flag.
 * - Aliasing: n/a (scalars). Allocates nothing.
 * - Cost: for f > 12 the limb product of `mulShift` (no call); for f <= 12
 *   one `Math.imul`.
 */
export function phaseAngle(q: QContext, x: number, omega: number): number {
  const s = q.f + q.f - 24; // -8..24
  // f <= 12: x omega 2^(-s) mod 2^24 needs only the low 32 bits of the product.
  if (s <= 0) return (Math.imul(x, omega) << (0 - s)) & ANGLE_MASK;

  // f > 12 (s even, 2..24): |x omega| = h 2^32 + p1 2^16 + p0 from 16-bit limbs
  // of the magnitudes, exactly as in mulShift (src/fixed/mul.ts): every partial
  // product has non-negative factors and fits int32.
  const negative = (x ^ omega) < 0;
  let ah: number;
  let al: number;
  if (x >= 0) {
    ah = x >> 16;
    al = x & 0xffff;
  } else {
    const t = ~x;
    al = (t & 0xffff) + 1; // <= 2^16
    ah = (t >> 16) + (al >> 16); // <= 2^15
    al = al & 0xffff;
  }
  let bh: number;
  let bl: number;
  if (omega >= 0) {
    bh = omega >> 16;
    bl = omega & 0xffff;
  } else {
    const t = ~omega;
    bl = (t & 0xffff) + 1;
    bh = (t >> 16) + (bl >> 16);
    bl = bl & 0xffff;
  }
  const t0 = al * (bl & 0xff); // < 2^24
  const t1 = al * (bl >> 8); // < 2^24, weight 2^8
  const m1 = ah * bl; // < 2^31, weight 2^16
  const m2 = al * bh; // < 2^31, weight 2^16
  const w = t0 + ((t1 & 0xff) << 8); // < 2^25
  let p0 = w & 0xffff;
  const y = (w >> 16) + (t1 >> 8) + (m1 & 0xffff) + (m2 & 0xffff); // < 2^18
  let p1 = y & 0xffff;
  let h = ah * bh + (m1 >> 16) + (m2 >> 16) + (y >> 16); // <= 2^30
  // RNE(M / 2^s) = floor((M + 2^(s-1) - 1 + lsb) / 2^s), lsb = bit s of M.
  const lsb = s < 16 ? (p0 >> s) & 1 : (p1 >> (s - 16)) & 1;
  const bias = (1 << (s - 1)) - 1 + lsb; // < 2^23
  p0 = p0 + (bias & 0xffff);
  p1 = p1 + (bias >> 16) + (p0 >> 16);
  p0 = p0 & 0xffff;
  h = h + (p1 >> 16); // <= 2^30 + 1
  p1 = p1 & 0xffff;
  // Bits [s, s + 24) of M' (s + 24 <= 48): p1:p0 shifted, then h above bit 32 - s
  // (bitwise shifts: bits pushed past bit 31 are dropped, which is the reduction).
  const low = s < 16 ? (p1 << (16 - s)) | (p0 >> s) : p1 >> (s - 16);
  const r = (low | (h << (32 - s))) & ANGLE_MASK;
  return negative ? (0 - r) & ANGLE_MASK : r; // 0 - r in (-2^24, 0]
}

/** Bits of a non-negative int32 (0 for 0). */
function bitLength(v: number): number {
  return 32 - Math.clz32(v);
}

/**
 * Sign of `a b - (uh 2^30 + ul)` for `0 <= a, b < 2^30`, `0 <= ul < 2^30`,
 * `0 <= uh < 2^31`: -1, 0 or 1. The product is formed exactly from 15-bit
 * limbs (`a b = hi 2^30 + lo`), every partial sum below 2^31.
 */
function compareProduct(a: number, b: number, uh: number, ul: number): number {
  const a1 = a >> 15;
  const a0 = a & 0x7fff;
  const b1 = b >> 15;
  const b0 = b & 0x7fff;
  const mid = a1 * b0 + a0 * b1; // < 2^31
  let lo = a0 * b0 + ((mid & 0x7fff) << 15); // < 2^31
  const hi = a1 * b1 + (mid >> 15) + (lo >> 30); // < 2^30 + 2^17
  lo = lo & 0x3fffffff;
  if (hi !== uh) return hi < uh ? -1 : 1;
  return lo < ul ? -1 : lo > ul ? 1 : 0;
}

/**
 * Phase alignment score `PAS(x) = |1/n sum_i e^{j phi_i(x)}|` in Q f, in
 * [0, 1.0], with `phi_i = phaseAngle(x_i, omega_i)` (module comment).
 *
 * Method (all integer, every step exact):
 * 1. Phases are taken relative to the first, `psi_i = (phi_i - phi_0) mod
 *    2^24`: the modulus is invariant under a common rotation, and this makes
 *    agreeing phases give exactly 1.0 whatever their common value (psi_i = 0,
 *    cos = 1.0 and sin = 0 exactly).
 * 2. `C = sum_i cos(psi_i)`, `S = sum_i sin(psi_i)` from the table functions
 *    (Q f), summed exactly. If `n 2^f > 2^29` (only for f > 29 - log2 n, e.g.
 *    n > 32 at f = 24) each term is first rounded to Q(f - e) (RNE, e the
 *    fewest bits that keep `n 2^(f-e) <= 2^29`) and the result is computed
 *    in Q(f - e), then shifted back; e = 0 otherwise.
 * 3. The result is `RNE(sqrt(C^2 + S^2) / n)` (correctly rounded, ties to
 *    even), found bit by bit with exact 60-bit comparisons `(t n)^2 <= C^2 +
 *    S^2` (no sqrt or division is rounded on the way), then clamped to 1.0
 *    (table values may put it one unit above).
 *
 * - Domain: `1 <= n <= LINALG_N_MAX`; `x`, `omega` hold at least n int32
 *   (any values). `n < 1`: returns 0 and ORs `Flag.DOMAIN`.
 * - Rounding: as above; the only departures from the exact real PAS of x
 *   are the table sin/cos (<= 0.54 units each) and, with e > 0, the per-term
 *   rounding to Q(f - e). Exactly 1.0 when every phi_i is equal; exactly 0
 *   when the unit vectors cancel on table values (e.g. n = 2, phases half a
 *   turn apart).
 * - Overflow: cannot; never sets a flag (besides DOMAIN).
 * - Aliasing: reads `x`, `omega` only. Allocation: none.
 * - Cost: n phase angles and n sin/cos pairs (calls), then f - e + 2 exact
 *   comparisons (calls).
 */
export function pas(q: QContext, x: Int32Array, omega: Int32Array, n: number): number {
  if (n < 1) {
    q.flags |= Flag.DOMAIN;
    return 0;
  }
  const f = q.f;
  let e = bitLength(n - 1) + f - 29; // n <= 2^bitLength(n - 1)
  if (e < 0) e = 0;
  const fe = f - e; // working format: n 2^fe <= 2^29
  const ref = phaseAngle(q, x[0], omega[0]);
  let C = 0; // |C| <= n 2^fe <= 2^29
  let S = 0;
  for (let i = 0; i < n; i++) {
    const a = (phaseAngle(q, x[i], omega[i]) - ref) & ANGLE_MASK; // difference in (-2^24, 2^24)
    let c = cos(q, a); // [-2^f, 2^f]
    let s = sin(q, a);
    if (e > 0) {
      c = shr(q, c, e);
      s = shr(q, s, e);
    }
    C += c;
    S += s;
  }
  if (C < 0) C = 0 - C;
  if (S < 0) S = 0 - S;
  if (C === 0 && S === 0) return 0;
  // u = C^2 + S^2 = uh 2^30 + ul, exactly, from 15-bit limbs (C, S <= 2^29).
  const c1 = C >> 15;
  const c0 = C & 0x7fff;
  const s1 = S >> 15;
  const s0 = S & 0x7fff;
  const cm = c1 * c0; // < 2^29
  const sm = s1 * s0;
  // C^2 = c1^2 2^30 + 2 c1 c0 2^15 + c0^2 with 2 c1 c0 2^15 = cm 2^16 =
  // (cm >> 14) 2^30 + (cm & 0x3fff) 2^16; the same for S. Each low part is
  // < 2^30 + 2^30 and is carried before the two are added.
  let lc = c0 * c0 + ((cm & 0x3fff) << 16); // < 2^31
  let ls = s0 * s0 + ((sm & 0x3fff) << 16); // < 2^31
  let uh = c1 * c1 + s1 * s1 + (cm >> 14) + (sm >> 14) + (lc >> 30) + (ls >> 30); // <= 2^29 + 2^16
  lc = lc & 0x3fffffff;
  ls = ls & 0x3fffffff;
  let ul = lc + ls; // < 2^31
  uh = uh + (ul >> 30);
  ul = ul & 0x3fffffff;
  // floor(sqrt(u) / n): the largest r <= lim with (r n)^2 <= u. r n <= 2^29 + n.
  const lim = (1 << fe) + 1;
  let r = 0;
  for (let b = fe; b >= 0; b--) {
    const t = r + (1 << b);
    if (t <= lim) {
      const tn = t * n; // <= (2^fe + 1) n <= 2^29 + n
      if (compareProduct(tn, tn, uh, ul) <= 0) r = t;
    }
  }
  // Round: up iff sqrt(u) / n > r + 1/2, i.e. D^2 < 4u with D = n (2r + 1) <
  // 2^31; or a tie (D^2 = 4u, only for even D) and r odd. H = floor(D / 2):
  // for even D, D^2 vs 4u is H^2 vs u; for odd D, D^2 < 4u iff H (H + 1) < u.
  const D = n * (r + r + 1);
  const H = D >> 1;
  let up = false;
  if ((D & 1) === 0) {
    const cmp = compareProduct(H, H, uh, ul);
    up = cmp < 0 || (cmp === 0 && (r & 1) === 1);
  } else {
    up = compareProduct(H, H + 1, uh, ul) < 0;
  }
  if (up) r = r + 1;
  if (r > 1 << fe) r = 1 << fe;
  return r << e;
}

/**
 * The chiral gate `Gamma_chi(x) = sigmoid(<x, chi>)` in Q f, in [0, 1.0].
 *
 * - Domain: `1 <= n <= LINALG_N_MAX`; `x`, `chi` hold at least n int32 (Q f).
 * - Rounding: `<x, chi>` is the exact dot rounded once (RNE) to Q f
 *   (src/linalg), then `sigmoid` (error <= 0.53 units, docs/accuracy.md).
 *   Exactly 0.5 when `<x, chi>` rounds to 0 (in particular x ⟂ chi).
 * - Overflow: a dot beyond int32 saturates, which cannot change the result
 *   (sigmoid is already exactly 0 or 1.0 beyond |22|), so no flag is raised.
 * - Aliasing: reads only. Allocation: none.
 */
export function chiralGate(q: QContext, x: Int32Array, chi: Int32Array, n: number): number {
  const saved = q.flags;
  const d = dot(q, x, 0, chi, 0, n, q.f);
  q.flags = saved;
  return sigmoid(q, d);
}

/** Largest operator count `createGateWork` accepts. */
export const GATE_R_MAX = 256;

/** Scratch of `nonCommutativity`, allocated once by `createGateWork`. */
export interface GateWork {
  /** State dimension. */
  readonly n: number;
  /** Operators served (at most). */
  readonly r: number;
  /** r buffers of n, Q: `F_i(x)`. */
  readonly once: Int32Array[];
  /** n, Q: `F_i(F_j(x))`. */
  readonly ij: Int32Array;
  /** n, Q: `F_j(F_i(x))`. */
  readonly ji: Int32Array;
}

/**
 * Allocates the scratch of `nonCommutativity` for dimension n and up to r
 * operators: (r + 2) n int32. Setup time: validates (RangeError naming the
 * argument) and allocates.
 */
export function createGateWork(n: number, r: number): GateWork {
  if (!Number.isInteger(n) || n < 1 || n > LINALG_N_MAX) throw new RangeError(`gate work: n must be an integer in 1..${LINALG_N_MAX}, got ${n}`);
  if (!Number.isInteger(r) || r < 0 || r > GATE_R_MAX) throw new RangeError(`gate work: r must be an integer in 0..${GATE_R_MAX}, got ${r}`);
  const once: Int32Array[] = [];
  for (let i = 0; i < r; i++) once.push(new Int32Array(n));
  return { n, r, once, ij: new Int32Array(n), ji: new Int32Array(n) };
}

/** `|a - b|` of two int32, saturated to INT32_MAX with `Flag.SATURATED`. */
function absDiff(q: QContext, a: number, b: number): number {
  return a >= b ? sub(q, a, b) : sub(q, b, a);
}

/**
 * The non-commutativity test (SPEC 8): for each pair i < j of the r
 * operators, `kappa_ij = || F_i(F_j(x)) - F_j(F_i(x)) ||_inf` (Q, the
 * largest per-axis difference), written symmetric into `kappaOut` (r x r,
 * row-major, zero diagonal). For every pair with `kappa_ij > tau`, the axes
 * where the two orders differ by more than tau are set to 1 in `axisMask`
 * (the engine marks them VOLATILE; entries are only set, never cleared, so
 * the caller clears the mask). Returns the number of pairs over tau.
 *
 * The operators are applied raw, all with the same `ctx` (that of x: its
 * active set, chi, level), without the engine's quantization between them.
 *
 * - Domain: r = `ops.length` (only the first `work.r` are used if more);
 *   `x`, `axisMask` hold `work.n` entries, `kappaOut` r^2; `tau` >= 0, Q.
 * - Rounding: exact differences (the operators round as they document).
 * - Overflow: a difference beyond int32 saturates kappa at INT32_MAX and
 *   ORs `Flag.SATURATED`; the operators' own saturations are flagged too.
 * - Cost: r + r (r - 1) operator applications.
 * - Aliasing: `x` is read only (each apply writes a scratch buffer of
 *   `work`). Allocation: none; never throws (if the operators don't).
 */
export function nonCommutativity(q: QContext, kappaOut: Int32Array, ops: readonly Operator[], x: Int32Array, ctx: StepContext, work: GateWork, tau: number, axisMask: Uint8Array): number {
  const r = ops.length < work.r ? ops.length : work.r;
  const n = work.n;
  const once = work.once;
  const ij = work.ij;
  const ji = work.ji;
  for (let i = 0; i < r; i++) ops[i].apply(once[i], x, ctx);
  let over = 0;
  for (let i = 0; i < r; i++) {
    kappaOut[i * r + i] = 0;
    for (let j = i + 1; j < r; j++) {
      ops[i].apply(ij, once[j], ctx);
      ops[j].apply(ji, once[i], ctx);
      let kappa = 0;
      for (let k = 0; k < n; k++) {
        const d = absDiff(q, ij[k], ji[k]);
        if (d > kappa) kappa = d;
      }
      kappaOut[i * r + j] = kappa;
      kappaOut[j * r + i] = kappa;
      if (kappa > tau) {
        over++;
        for (let k = 0; k < n; k++) if (absDiff(q, ij[k], ji[k]) > tau) axisMask[k] = 1;
      }
    }
  }
  return over;
}
