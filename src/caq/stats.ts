/**
 * Per-facet running statistics of `z_i = <n_i, x>` (SPEC 2, SPEC 5):
 * exponential moving mean and variance in fixed point, with the rate a
 * shift, `alpha = 2^-r` (r = `rateShift`).
 *
 * The update is West's / Finch's exponentially weighted form, with the
 * products exact and each quantity rounded once (to nearest, ties to even):
 *
 *     diff  = z - mean
 *     mean' = mean + RNE(diff / 2^r)
 *     t     = RNE(diff^2 / 2^(f + r))          (alpha * diff^2, in Q)
 *     var'  = (var + t) - RNE((var + t) / 2^r)  ((1 - alpha)(var + alpha diff^2))
 *
 * The first update after `caqReset` only seeds the means (`mean = z`); the
 * variances start at `varInit`.
 *
 * Ranges (the "EMA stays in range" properties, tested):
 * - `mean'` lies between `mean` and `z` (|RNE(d / 2^r)| <= |d| for r >= 1),
 *   so a mean never leaves the hull of the values seen (and its seed); it
 *   never overflows, even when `diff` saturates.
 * - `var'` is in 0..2^31 - 1: `RNE(v / 2^r) <= v` for v >= 0.
 * - Dead band: a constant input stops moving the mean once
 *   `|z - mean| <= 2^(r-1)` units, and the decay `RNE(var / 2^r)` is 0 once
 *   `var <= 2^(r-1)`. When `r <= f` the residual `t` is then 0 as well
 *   (`diff^2 <= 2^(2r-2) < 2^(f+r-1)`), so a settled facet's variance rests
 *   in 0..2^(r-1) units, not necessarily 0: pick `fossilVar` and `trustVar`
 *   above `2^(r-1)`. (With `r > f`, possible only for f < 16, the residual
 *   mean offset keeps feeding `t` and the floor is about `t * 2^r`.)
 */
import { mulShift } from '../fixed/mul.js';
import { Flag, INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';
import type { CaqState } from './state.js';

/**
 * One statistics update of every facet from `z` (m entries, Q: `<n_i, x>`,
 * as computed by the caller, typically with the linalg kernel).
 *
 * - Domain: `q.f === st.f` (otherwise `Flag.DOMAIN` and nothing changes);
 *   `z` any int32. `diff = z - mean` is exact when `|z_i| < 2^30` for every
 *   sample (then |mean| < 2^30 too); beyond, `diff` saturates to int32 and
 *   `Flag.SATURATED` is set.
 * - Rounding: each of `RNE(diff / 2^r)`, `RNE(diff^2 / 2^(f+r))`,
 *   `RNE((var + t) / 2^r)` rounded once, to nearest, ties to even.
 * - Overflow: `t` and `var + t` saturate at INT32_MAX with `Flag.SATURATED`
 *   (a variance beyond 2^31 - 1 Q units); the mean cannot overflow.
 * - Aliasing: `z` is only read (it may be any array but the state's).
 * - Allocation: none. Never throws.
 */
export function caqStatsUpdate(q: QContext, st: CaqState, z: Int32Array): void {
  if (q.f !== st.f) {
    q.flags |= Flag.DOMAIN;
    return;
  }
  const m = st.m;
  const mean = st.mean;
  const variance = st.variance;
  if (st.primed === 0) {
    for (let i = 0; i < m; i++) mean[i] = z[i];
    st.primed = 1;
    return;
  }
  const r = st.rateShift; // 1..15, f + r <= 31 (setup)
  const s = st.f + r;
  const mask = ~(-1 << r);
  const half = 1 << (r - 1);
  const maskS = ~(-1 << s); // s in 9..31
  const halfS = 1 << (s - 1);
  for (let i = 0; i < m; i++) {
    const zi = z[i];
    const mi = mean[i];
    // z - mean, saturating; the bounds INT32_MAX + mi (mi < 0) and
    // INT32_MIN + mi (mi >= 0) are int32.
    let diff: number;
    if (mi < 0 && zi > INT32_MAX + mi) {
      diff = INT32_MAX;
      q.flags |= Flag.SATURATED;
    } else if (mi >= 0 && zi < INT32_MIN + mi) {
      diff = INT32_MIN;
      q.flags |= Flag.SATURATED;
    } else {
      diff = zi - mi;
    }
    // mean += RNE(diff / 2^r): between mean and z, so it fits.
    const fl = diff >> r;
    const rem = diff & mask;
    mean[i] = mi + (rem > half || (rem === half && (fl & 1) !== 0) ? fl + 1 : fl);
    // var = (var + t) - RNE((var + t) / 2^r), t = RNE(diff^2 / 2^(f+r)) >= 0.
    // |diff| <= 46340: diff^2 <= 2,147,395,600 is an int32 (and never -0:
    // a negative diff squares to a positive), so round it here; otherwise
    // take the exact 64-bit product of mulShift. Both give the same value.
    let t: number;
    if (diff > -46341 && diff < 46341) {
      const sq = diff * diff;
      const sf = sq >> s;
      const sr = sq & maskS;
      t = sr > halfS || (sr === halfS && (sf & 1) !== 0) ? sf + 1 : sf;
    } else {
      t = mulShift(q, diff, diff, s);
    }
    let v = variance[i];
    if (v > INT32_MAX - t) {
      v = INT32_MAX;
      q.flags |= Flag.SATURATED;
    } else {
      v = v + t;
    }
    const vf = v >> r;
    const vr = v & mask;
    variance[i] = v - (vr > half || (vr === half && (vf & 1) !== 0) ? vf + 1 : vf);
  }
}
