/**
 * Survival gardening (SPEC 3): facet offsets drift slowly under pressure.
 * Every `gardenPeriod` calls,
 *
 *     b_i = clamp(b_i + RNE(gardenGain * u_i / 2^gardenShift), bMin_i, bMax_i)
 *
 * for every facet that is not fossilized; fossils never move (not even into
 * their clamp range).
 */
import { mulShift } from '../fixed/mul.js';
import { INT32_MAX, INT32_MIN, type QContext } from '../fixed/q.js';
import type { CaqState } from './state.js';

/**
 * Counts one step and gardens on every `gardenPeriod`-th call (the first on
 * call number `gardenPeriod` after setup or `caqReset`). Returns true when
 * it gardened.
 *
 * - Domain/rounding/overflow: as `caqGardenApply`.
 * - Aliasing: writes `b` (m, Q) in place on gardening calls.
 * - Allocation: none. Never throws.
 */
export function caqGarden(q: QContext, st: CaqState, b: Int32Array, u: Int32Array): boolean {
  const left = st.gardenCountdown - 1; // countdown >= 1
  if (left > 0) {
    st.gardenCountdown = left;
    return false;
  }
  st.gardenCountdown = st.gardenPeriod;
  caqGardenApply(q, st, b, u);
  return true;
}

/**
 * One gardening pass now, regardless of the countdown.
 *
 * - Domain: `b`, `u` m int32 entries (Q). An offset outside its clamp range
 *   is brought into it by its first gardening (unless a fossil).
 * - Rounding: `RNE(gain * u_i / 2^shift)` of the exact 64-bit product
 *   (`mulShift`), once.
 * - Overflow: a step beyond int32 saturates with `Flag.SATURATED` (from
 *   `mulShift`). The sum `b_i + step` is never formed out of range: it is
 *   clamped to int32 first, which changes nothing after the clamp to
 *   `[bMin_i, bMax_i]` (so it raises no flag: the result is exact).
 * - Aliasing: `b` updated in place; `u` only read (must not be `b`).
 * - Allocation: none. Never throws.
 */
export function caqGardenApply(q: QContext, st: CaqState, b: Int32Array, u: Int32Array): void {
  const m = st.m;
  const fossil = st.fossil;
  const lo = st.bMin;
  const hi = st.bMax;
  const gain = st.gardenGain;
  const shift = st.gardenShift;
  for (let i = 0; i < m; i++) {
    if (fossil[i] !== 0) continue;
    const ui = u[i];
    const step = ui === 0 || gain === 0 ? 0 : mulShift(q, gain, ui, shift);
    let v = b[i];
    // INT32_MAX - step (step > 0) and INT32_MIN - step (step < 0) are int32.
    if (step > 0) v = v > INT32_MAX - step ? INT32_MAX : v + step;
    else if (step < 0) v = v < INT32_MIN - step ? INT32_MIN : v + step;
    const l = lo[i];
    const h = hi[i];
    b[i] = v < l ? l : v > h ? h : v;
  }
}
