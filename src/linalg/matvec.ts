/**
 * Exact matrix-vector product and dot product: the engine's hottest loop
 * (slacks of every facet, linear operators, projections).
 *
 *     out_i = sat(RNE(c_i + sign * (sum_j A_ij x_j) / 2^s))
 *
 * The sum is accumulated EXACTLY (no rounding per term) and rounded once,
 * round to nearest, ties to even, then saturated to int32 with
 * `Flag.SATURATED`. `A`, `x` and `c` are raw int32 (any scale: the result is
 * in the scale of `A * x / 2^s`; for Q-format `A` and `x` pass `s = q.f`).
 *
 * ## Domain
 * - every `A_ij`, `x_j`, `c_i`: any int32 (no range restriction);
 * - `1 <= n <= LINALG_N_MAX` (4096), `1 <= m <= LINALG_M_MAX`;
 * - `s` an integer in 0..63; `sign` is 1 or -1.
 *
 * ## How the product stays int32 on XS (docs/integer-purity.md)
 * XS keeps a number an integer only while every result fits int32, and
 * `0 * negative` is -0, a double. So every partial product here has two
 * NON-NEGATIVE factors, each partial product fits int32, and sums are
 * bounded below 2^31 by construction:
 *
 * - `A' = A + 2^31` in [0, 2^32) is read as three digits taken straight from
 *   the bits of `A` (no biased copy is stored): `d0 = A & 0x7ff`,
 *   `d1 = (A >> 11) & 0x7ff` (11 bits each) and `d2 = (A >> 22) + 512`
 *   (the top 10 bits with the sign bit flipped): `A' = d2 2^22 + d1 2^11 + d0`.
 * - `x' = x + 2^31` in [0, 2^32) as two 16-bit limbs: `u = x & 0xffff`,
 *   `v = (x >> 16) + 32768`: `x' = v 2^16 + u`.
 * - Six products per term, `dk * u` and `dk * v`, each at most
 *   `2047 * 65535 = 134,150,145 < 2^27`, summed into six accumulators
 *   (one per weight 2^0, 2^16, 2^11, 2^27, 2^22, 2^38). A block of at most
 *   16 terms sums to at most `16 * 134,150,145 = 2,146,402,320 < 2^31 - 1`:
 *   no accumulator can overflow, and no carry is propagated inside a block.
 * - After each block the six sums are folded into five base-2^16 limbs
 *   `W0..W4` (each receives less than 2^19 per fold, so after at most
 *   4096 / 16 = 256 blocks every limb is below 2^27).
 * - The biases are removed once per row: `sum A x = sum A'x' - 2^31 (R + X')`
 *   with `R = sum_j A_ij` (precomputed per row by `createMatrix`) and
 *   `X' = sum_j x'_j` (once per call). `|R| <= n 2^31 <= 2^43` and
 *   `X' < n 2^32 <= 2^44`, so their 16-bit halves stay below 2^29.
 * - The signed total `|S| < n 2^62 <= 2^74` is normalised into limbs
 *   (top limb signed), shifted by `s` with a half bit and a sticky bit,
 *   `c` is added, rounded once (ties to even) and saturated.
 *
 * ## Cost (per term of the inner loop, XS)
 * One typed-array read of `A`, five shift/mask operations and six
 * multiply-adds, with no call and no branch; the limbs of `x` are split once
 * per call into plain Arrays (cheaper reads than a typed array in XS) and
 * each read serves two rows (rows go in pairs). Per row: one fold per 16
 * terms, the bias removal and one call of the rounding step. Measured on
 * soft-float ARM XS (tools/bench/geometry.ts), m = 32, n = 16: 1.77 M
 * instructions, 2.9 times a bare small-int multiply-accumulate per product.
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';

/** Largest column count (the overflow proof above assumes it). */
export const LINALG_N_MAX = 4096;
/** Largest row count. */
export const LINALG_M_MAX = 65535;

/** Terms summed between two folds: 16 products below 2^27 stay below 2^31. */
const BLOCK = 16;

/**
 * A matrix prepared for `matVec`: the caller's table plus per-row sums and
 * the scratch the kernel splits `x` into. Model tables: read-only after
 * `createMatrix` (call `refreshMatrix` after changing entries of `a`).
 */
export interface Matrix {
  /** Rows. */
  readonly m: number;
  /** Columns. */
  readonly n: number;
  /** m x n, row-major, raw int32 (the caller's scale). Shared, not copied. */
  readonly a: Int32Array;
  /** 2m: row sum `R_i = sum_j a_ij` as `[R_i >> 16, R_i & 0xffff]` (exact). */
  readonly rowSum: Int32Array;
  /** n: scratch, low 16 bits of `x_j` (plain Array: cheaper reads in XS). */
  readonly xl: number[];
  /** n: scratch, `(x_j >> 16) + 32768`. */
  readonly xh: number[];
}

function checkSize(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new RangeError(`matrix: ${name} must be an integer in 1..${max}, got ${v}`);
  }
}

/**
 * Prepares an m x n matrix. Setup time only: validates, allocates, may throw
 * (the message names the field).
 *
 * - `a`: an Int32Array of exactly m * n entries, kept by reference (not
 *   copied); omitted: a zero table is allocated.
 * - Allocates the row sums and the scratch; computes the row sums.
 */
export function createMatrix(m: number, n: number, a?: Int32Array): Matrix {
  checkSize('m', m, LINALG_M_MAX);
  checkSize('n', n, LINALG_N_MAX);
  if (a !== undefined && (!(a instanceof Int32Array) || a.length !== m * n)) {
    const got = a instanceof Int32Array ? `${a.length} entries` : 'another type';
    throw new RangeError(`matrix: a must be an Int32Array of m * n = ${m * n} entries, got ${got}`);
  }
  const xl: number[] = [];
  const xh: number[] = [];
  for (let j = 0; j < n; j++) {
    xl.push(0);
    xh.push(0);
  }
  const M: Matrix = { m, n, a: a ?? new Int32Array(m * n), rowSum: new Int32Array(2 * m), xl, xh };
  refreshMatrix(M);
  return M;
}

/**
 * Recomputes the row sums after entries of `M.a` changed. Exact; no
 * allocation; O(m n). Not for the hot path (call it when a table changes).
 */
export function refreshMatrix(M: Matrix): void {
  const { m, n, a, rowSum } = M;
  let k = 0;
  for (let i = 0; i < m; i++) {
    let hi = 0; // sum of a >> 16: |.| <= n 2^15 <= 2^27
    let lo = 0; // sum of a & 0xffff: < n 2^16 <= 2^28
    for (let j = 0; j < n; j++) {
      const w = a[k++];
      hi += w >> 16;
      lo += w & 0xffff;
    }
    rowSum[2 * i] = hi + (lo >> 16);
    rowSum[2 * i + 1] = lo & 0xffff;
  }
}

/**
 * The rounding step shared by every kernel: `sat(RNE(S / 2^s + c))` where
 * `S = w4 2^64 + w3 2^48 + w2 2^32 + w1 2^16 + w0` exactly.
 *
 * - Domain: every `|wk| < 2^29` (not normalised; any sign), `|S| < 2^78`;
 *   `s` in 0..63; `c` any int32.
 * - Rounding: `floor(S / 2^s)` and the discarded bits as a half bit and a
 *   sticky bit; `c` is added to the floor; then +1 if the discarded part is
 *   above one half, or exactly one half and the sum is odd. One rounding.
 * - Overflow: outside int32 returns INT32_MAX / INT32_MIN by the sign and
 *   ORs `Flag.SATURATED`.
 * - Allocation: none.
 */
function roundLimbs(q: QContext, w0: number, w1: number, w2: number, w3: number, w4: number, s: number, c: number): number {
  // Normalise: w0..w3 in [0, 2^16), w4 signed (|w4| < 2^15 since |S| < 2^78).
  w1 += w0 >> 16;
  w0 &= 0xffff;
  w2 += w1 >> 16;
  w1 &= 0xffff;
  w3 += w2 >> 16;
  w2 &= 0xffff;
  w4 += w3 >> 16;
  w3 &= 0xffff;
  // floor(S / 2^s) in one pass: whole limbs, then bits. `last` is the most
  // recent limb shifted out, `sticky` the OR of everything below it.
  let half = 0;
  let sticky = 0;
  if (s > 0) {
    let last = 0;
    if (s >= 16) {
      last = w0;
      w0 = w1;
      w1 = w2;
      w2 = w3;
      w3 = w4 & 0xffff;
      w4 >>= 16;
    }
    if (s >= 32) {
      sticky = last;
      last = w0;
      w0 = w1;
      w1 = w2;
      w2 = w3;
      w3 = w4 & 0xffff;
      w4 >>= 16;
    }
    if (s >= 48) {
      sticky |= last;
      last = w0;
      w0 = w1;
      w1 = w2;
      w2 = w3;
      w3 = w4 & 0xffff;
      w4 >>= 16;
    }
    const r = s & 15;
    if (r === 0) {
      // s >= 16: the half bit is the top bit of the last limb out.
      half = last >> 15;
      sticky |= last & 0x7fff;
    } else {
      const up = 16 - r;
      half = (w0 >> (r - 1)) & 1;
      sticky |= last | (w0 & ((1 << (r - 1)) - 1));
      w0 = (w0 >> r) | ((w1 << up) & 0xffff);
      w1 = (w1 >> r) | ((w2 << up) & 0xffff);
      w2 = (w2 >> r) | ((w3 << up) & 0xffff);
      w3 = (w3 >> r) | ((w4 << up) & 0xffff);
      w4 >>= r;
    }
  }
  // floor(S / 2^s) + c; the parity of the sum is that of w0 (w1 weighs 2^16).
  w0 += c & 0xffff; // < 2^17
  w1 += c >> 16; // in [-2^15, 2^16 + 2^15)
  if (half !== 0 && (sticky !== 0 || (w0 & 1) !== 0)) w0 += 1;
  w1 += w0 >> 16;
  w0 &= 0xffff;
  w2 += w1 >> 16;
  w1 &= 0xffff;
  w3 += w2 >> 16;
  w2 &= 0xffff;
  w4 += w3 >> 16;
  w3 &= 0xffff;
  // Fits int32 iff the bits above bit 31 are the sign extension of bit 31.
  if (w4 === 0 && w3 === 0 && w2 === 0 && w1 < 0x8000) return (w1 << 16) | w0;
  if (w4 === -1 && w3 === 0xffff && w2 === 0xffff && w1 >= 0x8000) return (w1 << 16) | w0;
  q.flags |= Flag.SATURATED;
  return w4 < 0 ? INT32_MIN : INT32_MAX;
}

/**
 * `out_i = sat(RNE(c_i + sign * (sum_j A_ij x_j) / 2^s))` for i in 0..m-1.
 *
 * - Domain: see the module comment (any int32 entries; `s` in 0..63; `sign`
 *   1 or -1; `c` null for 0). `x` holds at least n entries, `out` and `c` at
 *   least m (not checked: the hot path does not validate).
 * - Rounding: the exact sum, shifted and offset, rounded once (RNE).
 * - Overflow: saturates per entry, ORs `Flag.SATURATED`.
 * - Aliasing: `out` may be `x` (x is read completely before any write) and
 *   may be `c` (c_i is read just before out_i is written).
 * - Allocation: none (uses the scratch of `M`: not re-entrant for one `M`).
 */
export function matVecAffine(q: QContext, out: Int32Array, M: Matrix, x: Int32Array, s: number, c: Int32Array | null, sign: number): void {
  const m = M.m;
  const n = M.n;
  const a = M.a;
  const xl = M.xl;
  const xh = M.xh;
  const rowSum = M.rowSum;
  // Split x once: x' = x + 2^31 = v 2^16 + u; X' = sum x' as xsh 2^16 + xsl.
  let sumU = 0; // < n 2^16 <= 2^28
  let sumV = 0; // < n 2^16 <= 2^28
  for (let j = 0; j < n; j++) {
    const w = x[j];
    const u = w & 0xffff;
    const v = (w >> 16) + 32768;
    xl[j] = u;
    xh[j] = v;
    sumU += u;
    sumV += v;
  }
  const xsh = sumV + (sumU >> 16); // < 2^29
  const xsl = sumU & 0xffff;
  // Rows in pairs: one read of the limbs of x serves both rows.
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const k = i * n;
    const k2 = k + n;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    let w4 = 0;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    let z4 = 0;
    let j = 0;
    while (j < n) {
      const end = j + BLOCK < n ? j + BLOCK : n;
      let c00 = 0;
      let c01 = 0;
      let c10 = 0;
      let c11 = 0;
      let c20 = 0;
      let c21 = 0;
      let g00 = 0;
      let g01 = 0;
      let g10 = 0;
      let g11 = 0;
      let g20 = 0;
      let g21 = 0;
      for (; j < end; j++) {
        const u = xl[j];
        const v = xh[j];
        const w = a[k + j];
        const d0 = w & 0x7ff;
        const d1 = (w >> 11) & 0x7ff;
        const d2 = (w >> 22) + 512;
        c00 += d0 * u;
        c01 += d0 * v;
        c10 += d1 * u;
        c11 += d1 * v;
        c20 += d2 * u;
        c21 += d2 * v;
        const y = a[k2 + j];
        const e0 = y & 0x7ff;
        const e1 = (y >> 11) & 0x7ff;
        const e2 = (y >> 22) + 512;
        g00 += e0 * u;
        g01 += e0 * v;
        g10 += e1 * u;
        g11 += e1 * v;
        g20 += e2 * u;
        g21 += e2 * v;
      }
      w0 += (c00 & 0xffff) + ((c10 & 0x1f) << 11);
      w1 += (c00 >> 16) + (c01 & 0xffff) + ((c10 >> 5) & 0xffff) + ((c11 & 0x1f) << 11) + ((c20 & 0x3ff) << 6);
      w2 += (c01 >> 16) + (c10 >> 21) + ((c11 >> 5) & 0xffff) + ((c20 >> 10) & 0xffff) + ((c21 & 0x3ff) << 6);
      w3 += (c11 >> 21) + (c20 >> 26) + ((c21 >> 10) & 0xffff);
      w4 += c21 >> 26;
      z0 += (g00 & 0xffff) + ((g10 & 0x1f) << 11);
      z1 += (g00 >> 16) + (g01 & 0xffff) + ((g10 >> 5) & 0xffff) + ((g11 & 0x1f) << 11) + ((g20 & 0x3ff) << 6);
      z2 += (g01 >> 16) + (g10 >> 21) + ((g11 >> 5) & 0xffff) + ((g20 >> 10) & 0xffff) + ((g21 & 0x3ff) << 6);
      z3 += (g11 >> 21) + (g20 >> 26) + ((g21 >> 10) & 0xffff);
      z4 += g21 >> 26;
    }
    // Remove the biases: - 2^31 K, K = R_i + X' = kh 2^16 + kl (see below).
    const kh = rowSum[2 * i] + xsh;
    const kl = rowSum[2 * i + 1] + xsl;
    w1 -= (kl & 1) << 15;
    w2 -= (kl >> 1) + ((kh & 1) << 15);
    w3 -= kh >> 1;
    const kh2 = rowSum[2 * i + 2] + xsh;
    const kl2 = rowSum[2 * i + 3] + xsl;
    z1 -= (kl2 & 1) << 15;
    z2 -= (kl2 >> 1) + ((kh2 & 1) << 15);
    z3 -= kh2 >> 1;
    const ci = c === null ? 0 : c[i];
    const ci2 = c === null ? 0 : c[i + 1];
    if (sign < 0) {
      out[i] = roundLimbs(q, 0 - w0, 0 - w1, 0 - w2, 0 - w3, 0 - w4, s, ci);
      out[i + 1] = roundLimbs(q, 0 - z0, 0 - z1, 0 - z2, 0 - z3, 0 - z4, s, ci2);
    } else {
      out[i] = roundLimbs(q, w0, w1, w2, w3, w4, s, ci);
      out[i + 1] = roundLimbs(q, z0, z1, z2, z3, z4, s, ci2);
    }
  }
  if (i < m) {
    // The last row of an odd count.
    let k = i * n;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    let w3 = 0;
    let w4 = 0;
    let j = 0;
    while (j < n) {
      const end = j + BLOCK < n ? j + BLOCK : n;
      let c00 = 0; // weight 2^0
      let c01 = 0; // 2^16
      let c10 = 0; // 2^11
      let c11 = 0; // 2^27
      let c20 = 0; // 2^22
      let c21 = 0; // 2^38
      for (; j < end; j++) {
        const w = a[k++];
        const u = xl[j];
        const v = xh[j];
        const d0 = w & 0x7ff;
        const d1 = (w >> 11) & 0x7ff;
        const d2 = (w >> 22) + 512;
        c00 += d0 * u;
        c01 += d0 * v;
        c10 += d1 * u;
        c11 += d1 * v;
        c20 += d2 * u;
        c21 += d2 * v;
      }
      // Fold the six sums (each < 2^31) into base-2^16 limbs.
      w0 += (c00 & 0xffff) + ((c10 & 0x1f) << 11);
      w1 += (c00 >> 16) + (c01 & 0xffff) + ((c10 >> 5) & 0xffff) + ((c11 & 0x1f) << 11) + ((c20 & 0x3ff) << 6);
      w2 += (c01 >> 16) + (c10 >> 21) + ((c11 >> 5) & 0xffff) + ((c20 >> 10) & 0xffff) + ((c21 & 0x3ff) << 6);
      w3 += (c11 >> 21) + (c20 >> 26) + ((c21 >> 10) & 0xffff);
      w4 += c21 >> 26;
    }
    // Remove the biases: - 2^31 K, K = R_i + X' = kh 2^16 + kl.
    const kh = rowSum[2 * i] + xsh; // |.| < 2^30
    const kl = rowSum[2 * i + 1] + xsl; // < 2^17
    // 2^31 K = (kl & 1) 2^31 + (kl >> 1) 2^32 + (kh & 1) 2^47 + (kh >> 1) 2^48
    w1 -= (kl & 1) << 15;
    w2 -= (kl >> 1) + ((kh & 1) << 15);
    w3 -= kh >> 1;
    const ci = c === null ? 0 : c[i];
    out[i] =
      sign < 0
        ? roundLimbs(q, 0 - w0, 0 - w1, 0 - w2, 0 - w3, 0 - w4, s, ci)
        : roundLimbs(q, w0, w1, w2, w3, w4, s, ci);
  }
}

/**
 * `out_i = sat(RNE((sum_j A_ij x_j) / 2^s))`: `matVecAffine` with no offset.
 * Same domain, rounding, overflow, aliasing (`out` may be `x`) and
 * allocation (none) as `matVecAffine`.
 */
export function matVec(q: QContext, out: Int32Array, M: Matrix, x: Int32Array, s: number): void {
  matVecAffine(q, out, M, x, s, null, 1);
}

/**
 * `sat(RNE(c + sign * (sum_{j<n} a[aOff+j] x[xOff+j]) / 2^s))`: one exact
 * dot product, for a row of a table against a vector.
 *
 * - Domain: any int32 entries and `c`; `1 <= n <= LINALG_N_MAX`; `s` in
 *   0..63; `sign` 1 or -1. Reads a[aOff .. aOff+n) and x[xOff .. xOff+n).
 * - Rounding, overflow: as `matVecAffine` (exact sum, one RNE, saturating
 *   with `Flag.SATURATED`).
 * - Aliasing: n/a (returns a scalar; `a` and `x` may be the same array).
 * - Allocation: none. Cost: as a row of `matVec` plus splitting `x` and
 *   summing both operands inline (no precomputed row sum).
 */
export function dotAffine(q: QContext, a: Int32Array, aOff: number, x: Int32Array, xOff: number, n: number, s: number, c: number, sign: number): number {
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let w4 = 0;
  // K = sum (a_j + x'_j) = kh 2^16 + kl: |kh| < n (2^15 + 2^16) <= 2^29, kl < n 2^17 <= 2^29.
  let kh = 0;
  let kl = 0;
  let j = 0;
  while (j < n) {
    const end = j + BLOCK < n ? j + BLOCK : n;
    let c00 = 0;
    let c01 = 0;
    let c10 = 0;
    let c11 = 0;
    let c20 = 0;
    let c21 = 0;
    for (; j < end; j++) {
      const w = a[aOff + j];
      const y = x[xOff + j];
      const u = y & 0xffff;
      const v = (y >> 16) + 32768;
      const d0 = w & 0x7ff;
      const d1 = (w >> 11) & 0x7ff;
      const d2 = (w >> 22) + 512;
      kh += (w >> 16) + v;
      kl += (w & 0xffff) + u;
      c00 += d0 * u;
      c01 += d0 * v;
      c10 += d1 * u;
      c11 += d1 * v;
      c20 += d2 * u;
      c21 += d2 * v;
    }
    w0 += (c00 & 0xffff) + ((c10 & 0x1f) << 11);
    w1 += (c00 >> 16) + (c01 & 0xffff) + ((c10 >> 5) & 0xffff) + ((c11 & 0x1f) << 11) + ((c20 & 0x3ff) << 6);
    w2 += (c01 >> 16) + (c10 >> 21) + ((c11 >> 5) & 0xffff) + ((c20 >> 10) & 0xffff) + ((c21 & 0x3ff) << 6);
    w3 += (c11 >> 21) + (c20 >> 26) + ((c21 >> 10) & 0xffff);
    w4 += c21 >> 26;
  }
  kh += kl >> 16;
  kl &= 0xffff;
  w1 -= (kl & 1) << 15;
  w2 -= (kl >> 1) + ((kh & 1) << 15);
  w3 -= kh >> 1;
  return sign < 0 ? roundLimbs(q, 0 - w0, 0 - w1, 0 - w2, 0 - w3, 0 - w4, s, c) : roundLimbs(q, w0, w1, w2, w3, w4, s, c);
}

/**
 * `sat(RNE((sum_{j<n} a[aOff+j] x[xOff+j]) / 2^s))`: `dotAffine` with
 * `c = 0`, `sign = 1`. Same domain, rounding, overflow; no allocation.
 */
export function dot(q: QContext, a: Int32Array, aOff: number, x: Int32Array, xOff: number, n: number, s: number): number {
  return dotAffine(q, a, aOff, x, xOff, n, s, 0, 1);
}
