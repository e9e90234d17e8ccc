/**
 * Windows (SPEC 4): `W = { x : ||x - mu||_S < eps }`, the region of a level
 * where scalar summaries are legal.
 *
 * `S` is diagonal (n entries) or full (n x n, symmetric), all in the Q format
 * of the window (`f` fractional bits), as are `x`, `mu` and `eps`. In real
 * terms `||d||_S^2 = d' S d`; in integers, with `d = x - mu` and `S` taken as
 * raw int32,
 *
 *     F = sum_ij S_ij d_i d_j          (units of 2^-3f)
 *     x in W   <=>   F < eps^2 * 2^f   (exact integer comparison)
 *     ||d||_S^2 in Q units = RNE(F / 2^(2f)).
 *
 * `F` is computed EXACTLY: partial products of 16-bit limbs (every one a
 * non-negative int32) are summed into int32 limb accumulators whose headroom
 * is proved below, so membership has no rounding at all and the distance is
 * rounded once.
 *
 * ## Domain
 * - `1 <= n <= WINDOW_N_MAX` (64);
 * - every `S` entry in `[-(2^31 - 1), 2^31 - 1]` (INT32_MIN is refused at
 *   setup); a diagonal metric has every entry `>= 0`; a full one is exactly
 *   symmetric. Positive semi-definiteness of a full `S` is the model
 *   compiler's to prove (integer PSD checks need exact rationals); a call
 *   that finds `F < 0` reports `Flag.DOMAIN` and treats `x` as outside;
 * - per call, every `d_j = x_j - mu_j` in `[-(2^31 - 1), 2^31 - 1]` (always
 *   true when `x_j` and `mu_j` are in `[-2^30, 2^30 - 1]`). Outside it the
 *   call reports `Flag.DOMAIN` and treats `x` as outside (it never wraps,
 *   never throws, and never returns a distance).
 *
 * ## Overflow proof of the accumulation (n <= 64)
 * Write a magnitude `a <= 2^31 - 1` as `ah * 2^16 + al` (`ah < 2^15`,
 * `al < 2^16`) and `al` as bytes `alh * 2^8 + all`.
 *
 * Stage 1, per row i: `y_i = S_ii d_i + 2 sum_{j>i} S_ij d_j`, so that
 * `F = sum_i d_i y_i` (S symmetric). Each product `|S_ij| |d_j|` is split
 * into `bl*all < 2^24`, `bl*alh < 2^24`, `bl*ah < 2^31`, `bh*al < 2^31`,
 * `bh*ah < 2^30`, whose pieces land in four base-2^16 limbs with, per term,
 * `|c0| < 2^24 + 2^16`, `|c1| < 3 * 2^16`, `|c2| < 2^17`, `|c3| < 2^14`.
 * At most 63 off-diagonal terms: `|L0| < 63 (2^24 + 2^16) < 2^30`, so the
 * doubling fits, and with the diagonal term `|L0| < 127 (2^24 + 2^16)
 * = 2,139,029,504 < 2^31 - 1`; the other limbs have far more room.
 * `|y_i| <= 127 (2^31 - 1)^2 < 2^69`: normalised, its top limb (weight
 * 2^64) is at most 31.
 *
 * Stage 2: `|d_i| |y_i|` with `|d_i| = bh * 2^16 + blh * 2^8 + bll` against
 * the five limbs `e_k` of `|y_i|`: `bll*e_k < 2^24`, `blh*e_k < 2^24`,
 * `bh*e_k < 2^31`; each of the seven limbs of `F` receives per row less than
 * `2^24 + 2^18`, so over 64 rows `|F_k| < 2^30 + 2^24`. `|F| < 64 * 2^31 *
 * 2^69 = 2^106`, and seven limbs (signed top) hold 2^111.
 *
 * Every other intermediate is a masked or shifted limb. Products are only
 * ever taken of non-negative operands (no -0), signs are applied by adding or
 * subtracting, and `x_j - mu_j` is range-checked before it is formed.
 *
 * ## Cost
 * Full: n(n-1)/2 off-diagonal limb products (5 multiplies each) plus, per
 * row, the diagonal product and a 15-multiply stage 2; diagonal: per row one
 * product and a 12-multiply stage 2, no sign logic. Zero entries and zero
 * `d_i` are skipped. Measured for one `inWindow` at n = 16 (tools/bench/caq.ts):
 * diagonal about 7,100 XS computrons / 195,000 ARM instructions, full about
 * 35,000 computrons / 887,000 ARM instructions (about 0.8 and 3.7 ms at
 * 240 MHz). No allocation after `createWindow`.
 */
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';

/** How `S` is stored. */
export const WindowMetric = {
  /** `S` holds the n diagonal entries, each `>= 0`. */
  DIAGONAL: 0,
  /** `S` holds n x n entries, row-major, exactly symmetric. */
  FULL: 1,
} as const;
export type WindowMetric = (typeof WindowMetric)[keyof typeof WindowMetric];

/** Largest window dimension (the overflow proof above assumes it). */
export const WINDOW_N_MAX = 64;

/** What `windowDistance2` returns for a point outside (SPEC 4: REFUSED, never a number). */
export const WINDOW_REFUSED = -1;

/** Limbs of `F` and of the threshold: 7 x 16 bits, little-endian, top limb signed. */
export const WINDOW_LIMBS = 7;

export interface Window {
  /** Dimension, 1..WINDOW_N_MAX. */
  readonly n: number;
  /** Fractional bits of the format `mu`, `S`, `eps` and the inputs are in. */
  readonly f: number;
  readonly metric: WindowMetric;
  /** n, Q: the centre. May be rewritten in place (any int32; see the domain). */
  readonly mu: Int32Array;
  /** n (DIAGONAL) or n x n row-major (FULL), Q. Change only with `setWindowMetric`. */
  readonly S: Int32Array;
  /** The radius, Q, in 1..2^31 - 1. Change only with `setWindowRadius`. */
  readonly eps: number;
  /** WINDOW_LIMBS limbs, base 2^16: `eps^2 * 2^f`, the membership bound on `F`. */
  readonly threshold: Int32Array;
  /** n, scratch: `x - mu` of the last call. */
  readonly d: Int32Array;
  /** WINDOW_LIMBS limbs, scratch: `F` of the last `windowForm` call (normalised, top limb signed). */
  readonly form: Int32Array;
}

/** What `createWindow` takes. Arrays are copied. */
export interface WindowSpec {
  metric: WindowMetric | 'diagonal' | 'full';
  /** n, Q: the centre; its length sets n. */
  mu: ArrayLike<number>;
  /** n (diagonal) or n * n (full, row-major), Q. */
  S: ArrayLike<number>;
  /** Radius, Q, 1..2^31 - 1. */
  eps: number;
}

const isInt32 = (v: number): boolean => Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;

/**
 * Validates a window and allocates everything it will use. Setup-time only:
 * throws a RangeError naming the field on any violation of the domain above.
 *
 * - Domain: see the module comment; `q` fixes the format.
 * - Aliasing: copies `mu` and `S`; the caller's arrays are not kept.
 * - Allocation: the window's arrays, once.
 */
export function createWindow(q: QContext, spec: WindowSpec): Window {
  const metric =
    spec.metric === 'diagonal' || spec.metric === WindowMetric.DIAGONAL
      ? WindowMetric.DIAGONAL
      : spec.metric === 'full' || spec.metric === WindowMetric.FULL
        ? WindowMetric.FULL
        : -1;
  if (metric < 0) throw new RangeError(`window.metric: must be 'diagonal' or 'full', got ${String(spec.metric)}`);
  const n = spec.mu?.length ?? 0;
  if (n < 1 || n > WINDOW_N_MAX) throw new RangeError(`window.mu: length (n) must be 1..${WINDOW_N_MAX}, got ${n}`);
  const mu = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = spec.mu[i];
    if (!isInt32(v)) throw new RangeError(`window.mu[${i}]: must be an int32, got ${v}`);
    mu[i] = v;
  }
  const w: Window = {
    n,
    f: q.f,
    metric: metric as WindowMetric,
    mu,
    S: new Int32Array(metric === WindowMetric.FULL ? n * n : n),
    eps: 1,
    threshold: new Int32Array(WINDOW_LIMBS),
    d: new Int32Array(n),
    form: new Int32Array(WINDOW_LIMBS),
  };
  setWindowMetric(w, spec.S);
  setWindowRadius(w, spec.eps);
  return w;
}

/**
 * Replaces the metric `S` of a window (same shape), validating it.
 * Setup-time only: throws a RangeError naming the entry. Allocates nothing.
 * On a throw the window keeps its old metric.
 */
export function setWindowMetric(w: Window, S: ArrayLike<number>): void {
  const n = w.n;
  const full = w.metric === WindowMetric.FULL;
  const len = full ? n * n : n;
  if (!S || S.length !== len) {
    throw new RangeError(`window.S: length must be ${full ? 'n * n' : 'n'} = ${len}, got ${S?.length}`);
  }
  for (let k = 0; k < len; k++) {
    const v = S[k];
    if (!isInt32(v) || v === INT32_MIN) throw new RangeError(`window.S[${k}]: must be an int32 other than -2^31, got ${v}`);
  }
  for (let i = 0; i < n; i++) {
    const v = full ? S[i * n + i] : S[i];
    if (v < 0) throw new RangeError(`window.S[${full ? i * n + i : i}]: a diagonal entry must be >= 0, got ${v}`);
    if (full) {
      for (let j = i + 1; j < n; j++) {
        if (S[i * n + j] !== S[j * n + i]) {
          throw new RangeError(`window.S[${i * n + j}]: not symmetric: S[${i}][${j}] = ${S[i * n + j]} but S[${j}][${i}] = ${S[j * n + i]}`);
        }
      }
    }
  }
  for (let k = 0; k < len; k++) w.S[k] = S[k];
}

/**
 * Replaces the radius `eps` (Q) of a window and its membership threshold
 * `eps^2 * 2^f` (exact, in limbs). Setup-time only: throws a RangeError
 * unless `eps` is an integer in 1..2^31 - 1. Allocates nothing.
 */
export function setWindowRadius(w: Window, eps: number): void {
  if (!isInt32(eps) || eps < 1) throw new RangeError(`window.eps: must be an integer in 1..2^31 - 1 (Q units), got ${eps}`);
  (w as { eps: number }).eps = eps;
  // eps^2 into the first four limbs (same limb scheme as the kernel, one term).
  const t = w.threshold;
  const ah = eps >> 16;
  const al = eps & 0xffff;
  const t1 = al * (al >> 8);
  const m = al * ah; // < 2^31, twice (al*ah + ah*al)
  let c0 = al * (al & 0xff) + ((t1 & 0xff) << 8);
  let c1 = (t1 >> 8) + (m & 0xffff) + (m & 0xffff);
  let c2 = (m >> 16) + (m >> 16) + ((ah * ah) & 0xffff);
  let c3 = (ah * ah) >> 16;
  c1 += c0 >> 16;
  c0 &= 0xffff;
  c2 += c1 >> 16;
  c1 &= 0xffff;
  c3 += c2 >> 16;
  c2 &= 0xffff;
  // eps^2 < 2^62, so c3 < 2^14 here. Shift left by f (<= 24) into 7 limbs.
  t[0] = c0;
  t[1] = c1;
  t[2] = c2;
  t[3] = c3;
  t[4] = 0;
  t[5] = 0;
  t[6] = 0;
  const f = w.f;
  for (let k = WINDOW_LIMBS - 1; k >= 0; k--) t[k] = bitsAt(t, 16 * k - f, 16);
}

/**
 * Bits `[pos, pos + width)` of the non-negative number `sum_k L[k] 2^(16k)`
 * (limbs in 0..2^16 - 1); bits below 0 or above the top limb read as 0.
 * `1 <= width <= 16`. Reads limbs at or below `(pos + width) >> 4` only, so a
 * left shift can run in place from the top limb down.
 */
function bitsAt(L: Int32Array, pos: number, width: number): number {
  if (pos < 0) {
    if (pos + width <= 0) return 0;
    return bitsAt(L, 0, width + pos) << (0 - pos);
  }
  const k = pos >> 4;
  const r = pos & 15;
  const len = L.length;
  if (k >= len) return 0;
  let v = L[k] >> r;
  // L[k + 1] << (16 - r) may set bit 31: the mask below drops it.
  if (r !== 0 && k + 1 < len) v |= L[k + 1] << (16 - r);
  return v & ((1 << width) - 1);
}

/**
 * The exact quadratic form `F = (x - mu)' S (x - mu)` (raw integers, units of
 * 2^-3f) into `w.form`: seven base-2^16 limbs, little-endian, limbs 0..5 in
 * 0..2^16 - 1, limb 6 signed (`F = sum_k form[k] 2^(16k)`).
 *
 * - Domain: `x` has at least n int32 entries; `q.f === w.f`. Returns false
 *   (and ORs `Flag.DOMAIN` into `q.flags`, leaving `w.form` unspecified)
 *   when the formats differ or some `x_j - mu_j` is outside
 *   `[-(2^31 - 1), 2^31 - 1]`; true otherwise.
 * - Rounding: none (exact). Overflow: cannot (module comment).
 * - Aliasing: `x` may be `w.mu`; it is only read. Writes `w.d`, `w.form`.
 * - Allocation: none. Never throws.
 */
export function windowForm(q: QContext, w: Window, x: Int32Array): boolean {
  if (q.f !== w.f) {
    q.flags |= Flag.DOMAIN;
    return false;
  }
  const n = w.n;
  const mu = w.mu;
  const S = w.S;
  const d = w.d;
  const full = w.metric === WindowMetric.FULL;
  for (let j = 0; j < n; j++) {
    const xj = x[j];
    const mj = mu[j];
    // x - mu leaves [-(2^31 - 1), 2^31 - 1] iff (mu < 0) x > INT32_MAX + mu,
    // or (mu >= 0) x < INT32_MIN + 1 + mu; both bounds are int32.
    if (mj < 0 ? xj > INT32_MAX + mj : xj < INT32_MIN + 1 + mj) {
      q.flags |= Flag.DOMAIN;
      return false;
    }
    d[j] = xj - mj;
  }

  // F in seven loose limbs (module comment: each stays below 2^30 + 2^24).
  let F0 = 0;
  let F1 = 0;
  let F2 = 0;
  let F3 = 0;
  let F4 = 0;
  let F5 = 0;
  let F6 = 0;
  if (!full) {
    // Diagonal: every term S_i d_i^2 is >= 0. y_i = S_i |d_i| < 2^62 in four
    // limbs (top < 2^14), then F += |d_i| y_i: the same limb products as the
    // full case with the sign logic and the fifth limb dropped (their bounds
    // are those of the full case, a fortiori).
    for (let i = 0; i < n; i++) {
      const di = d[i];
      const s = S[i]; // >= 0 (setup)
      if (di === 0 || s === 0) continue;
      const b = di < 0 ? 0 - di : di;
      const ah = s >> 16;
      const al = s & 0xffff;
      const bh = b >> 16;
      const bl = b & 0xffff;
      const t1 = bl * (al >> 8);
      const m1 = bl * ah;
      const m2 = bh * al;
      const hh = bh * ah;
      let L0 = bl * (al & 0xff) + ((t1 & 0xff) << 8);
      let L1 = (t1 >> 8) + (m1 & 0xffff) + (m2 & 0xffff) + (L0 >> 16);
      L0 &= 0xffff;
      let L2 = (m1 >> 16) + (m2 >> 16) + (hh & 0xffff) + (L1 >> 16);
      L1 &= 0xffff;
      const L3 = (hh >> 16) + (L2 >> 16);
      L2 &= 0xffff;
      const blh = (b >> 8) & 0xff;
      const bll = b & 0xff;
      const r0 = blh * L0;
      const r1 = blh * L1;
      const r2 = blh * L2;
      const r3 = blh * L3;
      const h0 = bh * L0;
      const h1 = bh * L1;
      const h2 = bh * L2;
      const h3 = bh * L3;
      F0 += bll * L0 + ((r0 & 0xff) << 8);
      F1 += bll * L1 + ((r1 & 0xff) << 8) + (r0 >> 8) + (h0 & 0xffff);
      F2 += bll * L2 + ((r2 & 0xff) << 8) + (r1 >> 8) + (h1 & 0xffff) + (h0 >> 16);
      F3 += bll * L3 + ((r3 & 0xff) << 8) + (r2 >> 8) + (h2 & 0xffff) + (h1 >> 16);
      F4 += (r3 >> 8) + (h3 & 0xffff) + (h2 >> 16);
      F5 += h3 >> 16;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const di = d[i];
      if (di === 0) continue; // the whole row contributes d_i * y_i = 0
      const row = i * n;

      // Stage 1: y_i in four loose limbs.
      let L0 = 0;
      let L1 = 0;
      let L2 = 0;
      let L3 = 0;
      {
        for (let j = i + 1; j < n; j++) {
          const s = S[row + j];
          const dj = d[j];
          if (s === 0 || dj === 0) continue;
          const a = s < 0 ? 0 - s : s; // s != INT32_MIN (setup)
          const b = dj < 0 ? 0 - dj : dj; // dj != INT32_MIN (checked)
          const ah = a >> 16;
          const al = a & 0xffff;
          const bh = b >> 16;
          const bl = b & 0xffff;
          const t1 = bl * (al >> 8); // < 2^24, weight 2^8
          const m1 = bl * ah; // < 2^31, weight 2^16
          const m2 = bh * al; // < 2^31, weight 2^16
          const hh = bh * ah; // < 2^30, weight 2^32
          const c0 = bl * (al & 0xff) + ((t1 & 0xff) << 8);
          const c1 = (t1 >> 8) + (m1 & 0xffff) + (m2 & 0xffff);
          const c2 = (m1 >> 16) + (m2 >> 16) + (hh & 0xffff);
          const c3 = hh >> 16;
          if ((s ^ dj) < 0) {
            L0 -= c0;
            L1 -= c1;
            L2 -= c2;
            L3 -= c3;
          } else {
            L0 += c0;
            L1 += c1;
            L2 += c2;
            L3 += c3;
          }
        }
        // Off-diagonal terms count twice (S symmetric); |L0| < 2^30 here.
        L0 = L0 << 1;
        L1 = L1 << 1;
        L2 = L2 << 1;
        L3 = L3 << 1;
      }
      {
        const s = S[row + i]; // >= 0 (setup)
        const b = di < 0 ? 0 - di : di;
        const ah = s >> 16;
        const al = s & 0xffff;
        const bh = b >> 16;
        const bl = b & 0xffff;
        const t1 = bl * (al >> 8);
        const m1 = bl * ah;
        const m2 = bh * al;
        const hh = bh * ah;
        const c0 = bl * (al & 0xff) + ((t1 & 0xff) << 8);
        const c1 = (t1 >> 8) + (m1 & 0xffff) + (m2 & 0xffff);
        const c2 = (m1 >> 16) + (m2 >> 16) + (hh & 0xffff);
        const c3 = hh >> 16;
        if (di < 0) {
          L0 -= c0;
          L1 -= c1;
          L2 -= c2;
          L3 -= c3;
        } else {
          L0 += c0;
          L1 += c1;
          L2 += c2;
          L3 += c3;
        }
      }
      // Normalise: L0..L3 in 0..2^16 - 1, L4 signed (floor(y / 2^64)).
      L1 += L0 >> 16;
      L0 &= 0xffff;
      L2 += L1 >> 16;
      L1 &= 0xffff;
      L3 += L2 >> 16;
      L2 &= 0xffff;
      let L4 = L3 >> 16;
      L3 &= 0xffff;
      // |y_i| as limbs (L4 in 0..31 afterwards), its sign in negY.
      const negY = L4 < 0;
      if (negY) {
        L0 = 0 - L0;
        L1 = (L0 >> 16) - L1;
        L0 &= 0xffff;
        L2 = (L1 >> 16) - L2;
        L1 &= 0xffff;
        L3 = (L2 >> 16) - L3;
        L2 &= 0xffff;
        L4 = (L3 >> 16) - L4;
        L3 &= 0xffff;
      }

      // Stage 2: |d_i| * |y_i| into seven limbs, added or subtracted.
      const b = di < 0 ? 0 - di : di;
      const bh = b >> 16;
      const blh = (b >> 8) & 0xff;
      const bll = b & 0xff;
      const r0 = blh * L0;
      const r1 = blh * L1;
      const r2 = blh * L2;
      const r3 = blh * L3;
      const r4 = blh * L4;
      const h0 = bh * L0;
      const h1 = bh * L1;
      const h2 = bh * L2;
      const h3 = bh * L3;
      const h4 = bh * L4;
      const C0 = bll * L0 + ((r0 & 0xff) << 8);
      const C1 = bll * L1 + ((r1 & 0xff) << 8) + (r0 >> 8) + (h0 & 0xffff);
      const C2 = bll * L2 + ((r2 & 0xff) << 8) + (r1 >> 8) + (h1 & 0xffff) + (h0 >> 16);
      const C3 = bll * L3 + ((r3 & 0xff) << 8) + (r2 >> 8) + (h2 & 0xffff) + (h1 >> 16);
      const C4 = bll * L4 + ((r4 & 0xff) << 8) + (r3 >> 8) + (h3 & 0xffff) + (h2 >> 16);
      const C5 = (r4 >> 8) + (h4 & 0xffff) + (h3 >> 16);
      const C6 = h4 >> 16;
      if (di < 0 !== negY) {
        F0 -= C0;
        F1 -= C1;
        F2 -= C2;
        F3 -= C3;
        F4 -= C4;
        F5 -= C5;
        F6 -= C6;
      } else {
        F0 += C0;
        F1 += C1;
        F2 += C2;
        F3 += C3;
        F4 += C4;
        F5 += C5;
        F6 += C6;
      }
    }
  }
  const out = w.form;
  F1 += F0 >> 16;
  out[0] = F0 & 0xffff;
  F2 += F1 >> 16;
  out[1] = F1 & 0xffff;
  F3 += F2 >> 16;
  out[2] = F2 & 0xffff;
  F4 += F3 >> 16;
  out[3] = F3 & 0xffff;
  F5 += F4 >> 16;
  out[4] = F4 & 0xffff;
  F6 += F5 >> 16;
  out[5] = F5 & 0xffff;
  out[6] = F6;
  return true;
}

/**
 * Is `x` inside the window: `||x - mu||_S < eps`?
 *
 * - Domain: as `windowForm`. Outside the domain (format mismatch, some
 *   `x_j - mu_j` beyond int32, or a negative form from a non-PSD `S`) the
 *   answer is false and `Flag.DOMAIN` is set: undefined is not inside.
 * - Rounding: none: the exact comparison `F < eps^2 * 2^f`.
 * - Overflow: cannot (exact limbs).
 * - Aliasing: `x` only read; writes the window's scratch.
 * - Allocation: none. Never throws.
 */
export function inWindow(q: QContext, w: Window, x: Int32Array): boolean {
  if (!windowForm(q, w, x)) return false;
  const F = w.form;
  if (F[6] < 0) {
    q.flags |= Flag.DOMAIN;
    return false;
  }
  const T = w.threshold;
  for (let k = WINDOW_LIMBS - 1; k >= 0; k--) {
    if (F[k] !== T[k]) return F[k] < T[k];
  }
  return false; // F = T: on the boundary, not inside (strict)
}

/**
 * `||x - mu||_S^2` in Q units, `RNE(F / 2^(2f))`, for `x` inside the window;
 * `WINDOW_REFUSED` (-1) otherwise (SPEC 4: outside, a summary is refused,
 * never a number). A returned distance is always >= 0.
 *
 * - Domain: as `inWindow` (outside the domain: REFUSED with `Flag.DOMAIN`).
 * - Rounding: once, to nearest, ties to even, from the exact form.
 * - Overflow: a distance above 2^31 - 1 (possible inside a window whose
 *   `eps^2 / 2^f` exceeds int32) saturates to INT32_MAX with
 *   `Flag.SATURATED`.
 * - Aliasing: `x` only read; writes the window's scratch.
 * - Allocation: none. Never throws.
 */
export function windowDistance2(q: QContext, w: Window, x: Int32Array): number {
  if (!inWindow(q, w, x)) return WINDOW_REFUSED;
  const F = w.form;
  const s = 2 * w.f; // 16..48
  // Saturate if any bit at or above s + 31 is set.
  for (let p = s + 31; p < 16 * WINDOW_LIMBS; p += 16) {
    if (bitsAt(F, p, 16) !== 0) {
      q.flags |= Flag.SATURATED;
      return INT32_MAX;
    }
  }
  const v = (bitsAt(F, s + 16, 15) << 16) | bitsAt(F, s, 16); // floor(F / 2^s) < 2^31
  const half = bitsAt(F, s - 1, 1);
  let sticky = 0;
  for (let p = 0; p < s - 1; p += 16) {
    const width = s - 1 - p;
    sticky |= bitsAt(F, p, width < 16 ? width : 16);
  }
  if (half !== 0 && (sticky !== 0 || (v & 1) !== 0)) {
    if (v === INT32_MAX) {
      q.flags |= Flag.SATURATED;
      return INT32_MAX;
    }
    return v + 1;
  }
  return v;
}
