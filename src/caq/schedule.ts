/**
 * The level schedule of CAQ steps and frozen axes (SPEC 5, SPEC 8 "inner
 * shells are stricter").
 *
 * `Delta^(l) = Delta^(0) * gamma^l` with `gamma = 2^-s` is a right shift by
 * `s * l`, rounded to nearest, ties to even (the one rounding rule), and
 * never below 1 Q unit: a step of 0 would mean "no lattice", and 0 is
 * reserved for frozen axes (`STEP_FROZEN`). So
 *
 *     Delta^(l) = max(1, RNE(Delta^(0) / 2^(s l))),   and 1 when s l >= 31.
 *
 * The table is monotone: non-increasing in l for each class (RNE is monotone)
 * and `min <= mid <= max` at every level (setup checks it at level 0).
 *
 * An axis is frozen at level l (step "infinite": the quantizer leaves it as
 * it is) when the facet that owns it (`axisFacet`) is unstable at that depth:
 * its variance exceeds `stableVar[l]`. A fossilized facet is never unstable
 * (its axes get `Delta_min` at every level), and an axis no normal touches
 * (NO_FACET) is never frozen.
 */
import { Flag, type QContext } from '../fixed/q.js';
import { CaqClass, NO_FACET } from './classes.js';
import type { CaqState } from './state.js';

/** The step that marks a frozen axis ("infinite" step: not updated). */
export const STEP_FROZEN = 0;

/**
 * `max(1, RNE(delta0 / 2^(s * level)))`: the scheduled step of one class.
 *
 * - Domain: `delta0` in 1..2^31 - 1, `s` in 0..31, `level` in 0..31 (any
 *   `s * level >= 31` gives 1).
 * - Rounding: to nearest, ties to even; then at least 1.
 * - Overflow: cannot (the result is at most `delta0`).
 * - Aliasing: n/a (scalars). Allocation: none.
 */
export function scheduleStep(delta0: number, s: number, level: number): number {
  const k = s * level; // <= 961
  if (k === 0) return delta0 < 1 ? 1 : delta0;
  // delta0 / 2^k < 1 for k >= 31 (delta0 < 2^31): RNE gives 0 or 1, then max(1, .) = 1.
  if (k >= 31) return 1;
  const floor = delta0 >> k;
  const rem = delta0 & ~(-1 << k);
  const half = 1 << (k - 1);
  const r = rem > half || (rem === half && (floor & 1) !== 0) ? floor + 1 : floor;
  return r < 1 ? 1 : r;
}

/**
 * The step of class `cls` at `level`, from the state's schedule table:
 * FOSSILIZED and TRUSTED `Delta_min`, MID `Delta_mid`, VOLATILE `Delta_max`.
 *
 * - Domain: `level` in 0..levels - 1 (otherwise the result is unspecified;
 *   `caqAxisSteps` clamps for you), `cls` a CaqClass.
 * - Rounding/overflow: none (a table read). Allocation: none.
 */
export function classStep(st: CaqState, level: number, cls: number): number {
  const base = 3 * level;
  if (cls === CaqClass.VOLATILE) return st.steps[base + 2];
  if (cls === CaqClass.MID) return st.steps[base + 1];
  return st.steps[base];
}

/**
 * Fills `st.delta` (n, Q units) with each axis's step at `level`, from
 * `st.axisClass` (see `caqClassifyAxes`) and the schedule, and freezes the
 * axes whose facet is unstable at that depth (`STEP_FROZEN`). Returns how
 * many axes are frozen.
 *
 * - Domain: `level` an integer in 0..levels - 1. Outside, it is clamped into
 *   that range and `Flag.DOMAIN` is ORed into `q.flags`.
 * - Rounding/overflow: none (comparisons and table reads).
 * - Aliasing: reads `axisClass`, `axisFacet`, `variance`; writes `delta`.
 * - Allocation: none. Never throws.
 */
export function caqAxisSteps(q: QContext, st: CaqState, level: number): number {
  let l = level | 0; // NaN and fractions become an integer; flagged below
  if (l !== level) q.flags |= Flag.DOMAIN;
  if (l < 0) {
    l = 0;
    q.flags |= Flag.DOMAIN;
  } else if (l >= st.levels) {
    l = st.levels - 1;
    q.flags |= Flag.DOMAIN;
  }
  const base = 3 * l;
  const dMin = st.steps[base];
  const dMid = st.steps[base + 1];
  const dMax = st.steps[base + 2];
  const ceiling = st.stableVar[l];
  const n = st.n;
  const axisClass = st.axisClass;
  const axisFacet = st.axisFacet;
  const variance = st.variance;
  const delta = st.delta;
  let frozen = 0;
  for (let j = 0; j < n; j++) {
    const cls = axisClass[j];
    const i = axisFacet[j];
    if (cls === CaqClass.FOSSILIZED) {
      delta[j] = dMin;
    } else if (i !== NO_FACET && variance[i] > ceiling) {
      delta[j] = STEP_FROZEN;
      frozen++;
    } else {
      delta[j] = cls === CaqClass.VOLATILE ? dMax : cls === CaqClass.MID ? dMid : dMin;
    }
  }
  return frozen;
}

/**
 * Is facet i stable at `level` (SPEC 8 depth promotion: "every active facet
 * stable")? True for a fossil, otherwise iff `variance_i <= stableVar[level]`
 * (the same rule that freezes axes). False for an `i` or `level` out of range.
 *
 * - Rounding/overflow: none. Allocation: none. Never throws.
 */
export function caqFacetStable(st: CaqState, i: number, level: number): boolean {
  if (!(i >= 0 && i < st.m && level >= 0 && level < st.levels)) return false;
  if (st.fossil[i] !== 0) return true;
  return st.variance[i] <= st.stableVar[level | 0];
}
