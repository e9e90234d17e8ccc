/**
 * One CAQ update in the engine's order (SPEC 5, SPEC 8 step 2):
 * statistics, fossilization, facet classes, axis classes, steps of the
 * level, gardening.
 */
import type { QContext } from '../fixed/q.js';
import { caqClassifyAxes, caqClassifyFacets } from './classes.js';
import { caqFossilUpdate } from './fossil.js';
import { caqGarden } from './garden.js';
import { caqAxisSteps } from './schedule.js';
import type { CaqState } from './state.js';
import { caqStatsUpdate } from './stats.js';

/** Bits of `caqStep`'s result. */
export const CaqStepResult = {
  /** At least one facet fossilized in this step (events are in the ring). */
  FOSSILIZED: 1,
  /** Offsets were gardened in this step. */
  GARDENED: 2,
  /** At least one axis is frozen at this level (`delta` holds STEP_FROZEN). */
  FROZEN: 4,
} as const;
export type CaqStepResult = (typeof CaqStepResult)[keyof typeof CaqStepResult];

/**
 * `caqStatsUpdate(z)`, `caqFossilUpdate(u, step, ring)`,
 * `caqClassifyFacets(u, facetMask)`, `caqClassifyAxes(axisMask)`,
 * `caqAxisSteps(level)` and, when `b` is not null, `caqGarden(b, u)`, in
 * that order. The steps to quantize with are then in `st.delta`. Returns an
 * OR of CaqStepResult bits.
 *
 * - Domain, rounding, overflow: those of the parts (flags in `q.flags`).
 * - Aliasing: `z`, `u` read; `b` gardened in place; `u` must not be `b`.
 * - Allocation: none. Never throws.
 */
export function caqStep(
  q: QContext,
  st: CaqState,
  z: Int32Array,
  u: Int32Array,
  b: Int32Array | null,
  level: number,
  step: number,
  ring: Int32Array | null,
  facetMask: Uint8Array | null,
  axisMask: Uint8Array | null,
): number {
  let result = 0;
  caqStatsUpdate(q, st, z);
  if (caqFossilUpdate(st, u, step, ring) > 0) result |= CaqStepResult.FOSSILIZED;
  caqClassifyFacets(st, u, facetMask);
  caqClassifyAxes(st, axisMask);
  if (caqAxisSteps(q, st, level) > 0) result |= CaqStepResult.FROZEN;
  if (b !== null && caqGarden(q, st, b, u)) result |= CaqStepResult.GARDENED;
  return result;
}
