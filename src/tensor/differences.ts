/**
 * Lattice finite differences of F along K directions (SPEC 11), exact.
 *
 * ## Stencil
 *
 * Direction k is a vector `u_k` (n entries, Q format; the engine passes the
 * normals of the active facets) with a step `h_k` (a positive number of Q
 * units; the engine passes the level's Delta along that direction). Its
 * lattice displacement is the integer vector
 *
 *     d_k[j] = RNE(h_k * u_k[j] / 2^f)        (Q units; exact 64-bit product)
 *
 * and the stencil is the forward simplex of lattice points
 *
 *     x + m_0 d_0 + ... + m_{K-1} d_{K-1},   m_k >= 0 integers, sum m_k <= order,
 *
 * one point per packed entry (the multi-index with m_k copies of k):
 * C(K + order, order) points, for example 20 for K = 3, order 3. This count
 * depends on K and the order only, never on n: the cost of a call is that
 * many evaluations of F plus a pass over the values (see the bench,
 * tools/bench/tensor.ts).
 *
 * ## Differences
 *
 * For the multi-index alpha (alpha_k copies of direction k, |alpha| = d):
 *
 *     Delta^alpha F(x) = sum_{beta <= alpha} (-1)^{d - |beta|} prod_k C(alpha_k, beta_k) F(x + sum_k beta_k d_k)
 *
 * (the forward difference, one application of `Delta_k g(y) = g(y + d_k) -
 * g(y)` per copy of k). It is a sum of integers with integer coefficients, so
 * it is computed EXACTLY: the stored value is that integer, in Q units of F.
 * As a derivative: `d^alpha F / du^alpha ~ Delta^alpha F / prod_k h_k^{alpha_k}`
 * (real units, h in real units), with error O(h) (forward difference); for a
 * polynomial F of total degree d the order-d differences equal the analytic
 * mixed derivative times prod h exactly and the higher ones are zero.
 * `differenceToDerivative` turns an entry into a Q derivative, rounded once.
 *
 * ## Range of the sums (why every intermediate is an int32)
 *
 * Each F value v is split into `v = hi * 2^16 + lo`, lo in [0, 2^16), hi in
 * [-2^15, 2^15). The sum of |coefficients| of one difference is
 * prod_k 2^{alpha_k} = 2^d <= 32, so `sum c lo` lies in (-2^21, 2^21) and
 * `sum c hi` in [-2^20, 2^20]: both int32 whatever the values. Every
 * product `c * lo`, `c * hi` has `c` in 1..10 (the sign is applied by
 * subtracting), so no product is -0. The total `H * 2^16 + L` is then
 * carried (L into [0, 2^16)) and fits int32 iff H is in [-2^15, 2^15);
 * otherwise the entry saturates to INT32_MIN / INT32_MAX with
 * `Flag.SATURATED`. So large F values (up to the whole int32 range) with
 * small differences are exact: there is no intermediate overflow.
 *
 * ## The callback F
 *
 * `F(out, x)` writes F(x) (n entries) into `out`. It is made ONCE, at setup
 * (for the engine: a function that applies its operator sequence with
 * quantization between operators, on buffers it owns), never per step, and
 * must not allocate, throw or keep `out` or `x`. `out` and `x` are distinct
 * workspace buffers. Saturation inside F is reported by F through `q.flags`.
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';
import { mulShift } from '../fixed/mul.js';
import { Rounding, WIDE_LIMBS, wideAdd, wideBitLength, wideCopy, wideDivToInt, wideSet, wideShl } from '../linalg/wide.js';
import type { TensorWork } from './work.js';

/** The dynamics as the tensor code sees it: `out = F(x)`, n entries each. */
export type TensorF = (out: Int32Array, x: Int32Array) => void;

/** What a call of the tensor functions reports. */
export const TensorStatus = {
  /** Every value is exact. */
  OK: 0,
  /** A stencil point, a value of F or a difference did not fit int32 (clamped; `Flag.SATURATED` set). */
  SATURATED: 1,
  /** K, the order or the workspace state is out of range: nothing was computed. */
  BAD_ARGUMENT: 2,
} as const;
export type TensorStatus = (typeof TensorStatus)[keyof typeof TensorStatus];

/** Messages of `TensorStatus`, by code. */
export const TENSOR_STATUS_MESSAGES: readonly string[] = Object.freeze([
  'ok',
  'a stencil point, a value of F or a difference saturated',
  'number of directions or order out of range for the workspace',
]);

/**
 * Computes F at every stencil point and the exact packed differences
 * Delta^alpha F(x) of orders 0..order (see the module comment) into
 * `work.values`: entry p (see `packedIndex`) at `values[p * n .. p * n + n)`.
 *
 * - `x`: n entries (Q). `dirs`: rows of n entries (Q), direction k is row
 *   `rows[k]` of `dirs` (or row k when `rows` is null: then `dirs` is K x n);
 *   this lets the engine pass its facet table and active ids directly.
 *   `step`: K entries, h_k > 0 in Q units (index k, not the row).
 * - Domain: 1 <= K <= work.kMax and 1 <= order <= work.orderMax, else
 *   returns BAD_ARGUMENT (nothing written, no flag). Other arguments are not
 *   checked (hot path): rows must exist, buffers hold n entries.
 * - Rounding: only the displacements d_k (RNE of the exact product); the
 *   differences themselves are exact.
 * - Overflow: a displacement, a stencil point coordinate (summed one
 *   displacement at a time, each partial sum saturating), or a difference
 *   outside int32 is clamped and sets `Flag.SATURATED`; F's own flags are
 *   kept. Returns SATURATED if this call set the flag, else OK.
 * - Cost: C(K + order, order) calls of F, plus sum over entries of
 *   prod_k (alpha_k + 1) terms times n for the differences.
 * - Aliasing: `x` is read only; F never sees `x` itself (it gets
 *   `work.point`). Allocates nothing.
 */
export function finiteDifferences(
  q: QContext,
  work: TensorWork,
  F: TensorF,
  x: Int32Array,
  dirs: Int32Array,
  rows: Int32Array | null,
  K: number,
  step: Int32Array,
  order: number,
): TensorStatus {
  if (!(K >= 1 && K <= work.kMax && order >= 1 && order <= work.orderMax && (K | 0) === K && (order | 0) === order)) {
    return TensorStatus.BAD_ARGUMENT;
  }
  const n = work.n;
  const f = q.f;
  const flagsBefore = q.flags;
  q.flags = 0;

  // Displacements d_k = RNE(h_k u_k / 2^f).
  const disp = work.disp;
  const steps = work.steps;
  for (let k = 0; k < K; k++) {
    const h = step[k];
    steps[k] = h;
    const base = (rows === null ? k : rows[k]) * n;
    const out = k * n;
    for (let j = 0; j < n; j++) disp[out + j] = mulShift(q, h, dirs[base + j], f);
  }

  // F at every stencil point of orders 0..order (the valid prefix of each block).
  const values = work.values;
  const point = work.point;
  const fout = work.fout;
  const offset = work.offset;
  const entryDirs = work.entryDirs;
  const orderMax = work.orderMax;
  const binom = work.binom;
  const cols = orderMax + 1;
  let evaluations = 0;
  for (let d = 0; d <= order; d++) {
    const first = offset[d];
    const end = first + binom[(K + d - 1) * cols + d]; // C(K + d - 1, d) valid entries
    for (let p = first; p < end; p++) {
      for (let j = 0; j < n; j++) point[j] = x[j];
      for (let i = 0; i < d; i++) {
        const base = entryDirs[p * orderMax + i] * n;
        for (let j = 0; j < n; j++) {
          const a = point[j];
          const b = disp[base + j];
          // Saturating add: the bounds INT32_MAX - b (b > 0), INT32_MIN - b (b < 0) are in range.
          if (b > 0 && a > INT32_MAX - b) {
            q.flags |= Flag.SATURATED;
            point[j] = INT32_MAX;
          } else if (b < 0 && a < INT32_MIN - b) {
            q.flags |= Flag.SATURATED;
            point[j] = INT32_MIN;
          } else {
            point[j] = a + b;
          }
        }
      }
      F(fout, point);
      const out = p * n;
      for (let j = 0; j < n; j++) values[out + j] = fout[j];
      evaluations++;
    }
  }

  // Differences, in place, highest order first: entry alpha reads the values
  // at beta <= alpha, which are of lower order (not yet overwritten) or alpha
  // itself (read before it is written, component by component).
  const termStart = work.termStart;
  const termBase = work.termBase;
  const termMag = work.termMag;
  const termNeg = work.termNeg;
  for (let d = order; d >= 1; d--) {
    const first = offset[d];
    const end = first + binom[(K + d - 1) * cols + d];
    for (let p = end - 1; p >= first; p--) {
      const t0 = termStart[p];
      const t1 = termStart[p + 1];
      const out = p * n;
      for (let j = 0; j < n; j++) {
        let H = 0; // sum of c * hi, |.| <= 2^20
        let L = 0; // sum of c * lo, |.| < 2^21
        for (let t = t0; t < t1; t++) {
          const v = values[termBase[t] + j];
          const c = termMag[t];
          if (termNeg[t] === 0) {
            H += c * (v >> 16);
            L += c * (v & 0xffff);
          } else {
            H -= c * (v >> 16);
            L -= c * (v & 0xffff);
          }
        }
        H += L >> 16; // floor carry: L becomes L & 0xffff in [0, 2^16)
        if (H >= 0x8000) {
          q.flags |= Flag.SATURATED;
          values[out + j] = INT32_MAX;
        } else if (H < -0x8000) {
          q.flags |= Flag.SATURATED;
          values[out + j] = INT32_MIN;
        } else {
          values[out + j] = (H << 16) | (L & 0xffff);
        }
      }
    }
  }

  work.lastK = K;
  work.lastOrder = order;
  work.evaluations = evaluations;
  const saturated = q.flags & Flag.SATURATED;
  q.flags |= flagsBefore;
  return saturated !== 0 ? TensorStatus.SATURATED : TensorStatus.OK;
}

/** `w = w * v` for a non-negative wide `w` and `v` in [0, 2^15): limb * v + carry < 2^31. */
function wideMulSmall(w: Int32Array, v: number): void {
  let carry = 0;
  for (let i = 0; i < WIDE_LIMBS; i++) {
    const t = w[i] * v + carry; // <= 0xffff * 0x7fff + 0x7fff < 2^31, never -0 (v, w[i] >= 0)
    w[i] = t & 0xffff;
    carry = t >> 16;
  }
}

/**
 * The derivative estimate of component `j` of packed entry `p` of the last
 * `finiteDifferences` call, as a Q number:
 *
 *     RNE(Delta^alpha F_j * 2^(f d) / prod_i h_{k_i})     (d = |alpha|)
 *
 * i.e. the difference divided by the product of the steps in real units
 * (`h / 2^f`), rounded once. Entry 0 (order 0) returns F_j(x).
 *
 * - Domain: p an entry valid for the last call (else returns 0 and sets
 *   `Flag.DOMAIN`), 0 <= j < n. The exact quotient is formed in 128-bit
 *   integers after removing the common powers of two: with `tz` the
 *   trailing zero bits of the steps, it needs `bits(|diff|) + f d - tz <= 125`
 *   and `bits(prod of the odd parts of the steps) <= 94`, which covers every
 *   order up to 5 in Q16 with steps below 2^18 Q units. Outside it the
 *   result is INT32_MIN / INT32_MAX with `Flag.SATURATED` when the quotient
 *   certainly exceeds int32, else 0 with `Flag.DOMAIN`.
 * - Rounding: round to nearest, ties to even, once, on the exact quotient.
 * - Overflow: saturates to INT32_MIN / INT32_MAX with `Flag.SATURATED`.
 * - Cost: a 128-bit long division (for a boundary record or a report, not
 *   for inner loops). Allocates nothing (uses the wide scratch of `work`).
 */
export function differenceToDerivative(q: QContext, work: TensorWork, p: number, j: number): number {
  const K = work.lastK;
  if (K === 0 || p < 0 || p >= work.entries || j < 0 || j >= work.n || work.entryTop[p] >= K || work.entryOrder[p] > work.lastOrder) {
    q.flags |= Flag.DOMAIN;
    return 0;
  }
  const diff = work.values[p * work.n + j];
  const d = work.entryOrder[p];
  if (d === 0 || diff === 0) return diff;
  const num = work.wideNum;
  const den = work.wideDen;
  const r = work.wideR;
  const t = work.wideT;
  // den = prod of the odd parts of the steps; shift = f d - their trailing zeros.
  wideSet(den, 1);
  let shift = 0;
  for (let i = 0; i < d; i++) {
    let h = work.steps[work.entryDirs[p * work.orderMax + i]];
    if (h <= 0) {
      q.flags |= Flag.DOMAIN;
      return 0;
    }
    shift += q.f;
    while ((h & 1) === 0) {
      h >>= 1;
      shift -= 1;
    }
    // den *= h as den h0 + (den h1) 2^15 + (den h2) 2^30 (15-bit digits of h < 2^31).
    wideCopy(r, den);
    wideCopy(t, den);
    wideMulSmall(den, h & 0x7fff);
    wideMulSmall(r, (h >> 15) & 0x7fff);
    wideMulSmall(t, h >> 30);
    wideShl(r, 15);
    wideShl(t, 30);
    wideAdd(den, r);
    wideAdd(den, t);
  }
  if (shift < 0) {
    // den 2^-shift: if that exceeds 2^94 the quotient is below 2^(33 - 94) and rounds to 0.
    if (wideBitLength(den) - shift > 94) return 0;
    wideShl(den, 0 - shift);
    shift = 0;
  }
  const mag = diff < 0 ? ~diff : diff; // |diff| - 1 or |diff|: below 2^31
  const numBits = 33 - Math.clz32(mag) + shift; // >= bits(|diff| 2^shift)
  const denBits = wideBitLength(den);
  if (numBits > 125 || denBits > 94) {
    // The quotient exceeds 2^(numBits - 2 - denBits): beyond int32 when that is >= 2^32.
    if (numBits - denBits >= 34) {
      q.flags |= Flag.SATURATED;
      return diff < 0 ? INT32_MIN : INT32_MAX;
    }
    q.flags |= Flag.DOMAIN;
    return 0;
  }
  wideSet(num, diff);
  wideShl(num, shift);
  return wideDivToInt(q, num, den, Rounding.NEAREST_EVEN, r, t);
}
