/**
 * Facet and axis classes of context-aware quantization (SPEC 5).
 *
 * Facet i, in order of precedence:
 * 1. FOSSILIZED if its fossil flag is set (fossil.ts);
 * 2. VOLATILE if the caller's non-commutativity mask marks it (SPEC 8);
 * 3. VOLATILE if `variance_i > volatileVar`;
 * 4. TRUSTED if `variance_i < trustVar` and `|u_i| > trustPressure`;
 * 5. MID otherwise.
 * (`trustVar <= volatileVar` is checked at setup, so 3 and 4 never overlap.)
 *
 * Axis j takes the class of the facet whose normal weighs most on it, the
 * largest `|a_ij|` with ties to the lower facet id (`caqBindNormals`); an
 * axis on which every normal is 0 has no facet and is MID. An axis in the
 * caller's axis mask (SPEC 8: "marks the involved axes VOLATILE") is
 * VOLATILE unless its facet is fossilized (a fossil is locked in: its axes
 * get `Delta_min`, SPEC 5).
 */
import type { CaqState } from './state.js';

/** Facet and axis classes (SPEC 5). */
export const CaqClass = {
  /** Neither trusted nor volatile: step `Delta_mid`. */
  MID: 0,
  /** Low variance of `<n_i, x>` and high pressure: step `Delta_min`. */
  TRUSTED: 1,
  /** High variance, or marked non-commuting (SPEC 8): step `Delta_max`. */
  VOLATILE: 2,
  /** Locked in (fossil.ts): step `Delta_min` at every level, never frozen. */
  FOSSILIZED: 3,
} as const;
export type CaqClass = (typeof CaqClass)[keyof typeof CaqClass];

/** `axisFacet` entry of an axis on which every normal is 0. */
export const NO_FACET = -1;

/**
 * Maps each axis to the facet whose normal has the largest `|a_ij|` on it
 * (ties to the lower facet id; NO_FACET when the whole column is 0) into
 * `st.axisFacet`. Call it when the normals change (a new level or polytope),
 * not every step: it reads all m x n entries.
 *
 * - Domain: `A` flat, row-major, m x n, any int32 (INT32_MIN included:
 *   magnitudes are compared as `-|a|`, which is exact for every int32).
 * - Rounding/overflow: none. Aliasing: reads `A`, writes `st.axisFacet`.
 * - Allocation: none. Never throws.
 */
export function caqBindNormals(st: CaqState, A: Int32Array): void {
  const m = st.m;
  const n = st.n;
  const axisFacet = st.axisFacet;
  for (let j = 0; j < n; j++) {
    let best = NO_FACET;
    let bestNeg = 0; // -|a| of the best so far; a zero entry never wins
    for (let i = 0, k = j; i < m; i++, k += n) {
      const a = A[k];
      const neg = a > 0 ? 0 - a : a;
      if (neg < bestNeg) {
        bestNeg = neg;
        best = i;
      }
    }
    axisFacet[j] = best;
  }
}

/**
 * Classifies every facet into `st.facetClass` (module comment for the rule)
 * from the fossil flags, the optional non-commutativity mask, the variances
 * and the pressures `u`.
 *
 * - Domain: `u` has m int32 entries (Q); `volatileMask`, if given, m entries
 *   (non-zero = non-commuting).
 * - Rounding/overflow: none (`|u_i| > p` is tested as `u_i > p || u_i < -p`,
 *   exact for INT32_MIN).
 * - Aliasing: reads `u`, the mask and the state; writes `st.facetClass`.
 * - Allocation: none. Never throws.
 */
export function caqClassifyFacets(st: CaqState, u: Int32Array, volatileMask: Uint8Array | null): void {
  const m = st.m;
  const fossil = st.fossil;
  const variance = st.variance;
  const out = st.facetClass;
  const trustVar = st.trustVar;
  const volatileVar = st.volatileVar;
  const p = st.trustPressure;
  const negP = 0 - p; // p >= 0
  for (let i = 0; i < m; i++) {
    if (fossil[i] !== 0) {
      out[i] = CaqClass.FOSSILIZED;
      continue;
    }
    if (volatileMask !== null && volatileMask[i] !== 0) {
      out[i] = CaqClass.VOLATILE;
      continue;
    }
    const v = variance[i];
    if (v > volatileVar) {
      out[i] = CaqClass.VOLATILE;
    } else if (v < trustVar) {
      const ui = u[i];
      out[i] = ui > p || ui < negP ? CaqClass.TRUSTED : CaqClass.MID;
    } else {
      out[i] = CaqClass.MID;
    }
  }
}

/**
 * Gives every axis the class of its facet (`st.axisFacet`, `st.facetClass`)
 * into `st.axisClass`, with the axis mask override (module comment).
 *
 * - Domain: `axisMask`, if given, n entries (non-zero = marked VOLATILE).
 * - Rounding/overflow: none. Aliasing: writes `st.axisClass` only.
 * - Allocation: none. Never throws.
 */
export function caqClassifyAxes(st: CaqState, axisMask: Uint8Array | null): void {
  const n = st.n;
  const axisFacet = st.axisFacet;
  const facetClass = st.facetClass;
  const out = st.axisClass;
  for (let j = 0; j < n; j++) {
    const i = axisFacet[j];
    let cls: number = i === NO_FACET ? CaqClass.MID : facetClass[i];
    if (axisMask !== null && axisMask[j] !== 0 && cls !== CaqClass.FOSSILIZED) cls = CaqClass.VOLATILE;
    out[j] = cls;
  }
}
