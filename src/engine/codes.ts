/**
 * Result codes of a step, reasons of a boundary record and events, each
 * with a message table (for logs and tools; never built into strings in a
 * step).
 */

/** What `step()` returns (low byte), possibly with `Result.SATURATED_BIT` set. */
export const Result = {
  /** A quantized fixed point: `Q(F(Q(x))) = x` within the level's tolerance. */
  FIXED: 1,
  /** Moved to another interior point of the same polytope. */
  MOVED: 2,
  /** Landed within the facet band (a "fragile truce"). */
  GRAZING: 3,
  /** Landed on a facet that names an adjacent family; the CRT index moved. */
  SWITCHED: 4,
  /** A gate closed: no update, nothing emitted (lawful silence). */
  SILENT: 5,
  /** No honest number: the boundary record says why; the state is unchanged. */
  BOUNDARY: 6,
  /** ADMM: exact quantized fixed point of the iteration (section 7). */
  CONVERGED: 7,
  /** ADMM: a cycle of short period (section 7). */
  CYCLE: 8,
  /** OR-ed into the code when any value saturated during the step. */
  SATURATED_BIT: 0x100,
} as const;
export type Result = (typeof Result)[keyof typeof Result];

export const RESULT_NAMES: readonly string[] = ['', 'FIXED', 'MOVED', 'GRAZING', 'SWITCHED', 'SILENT', 'BOUNDARY', 'CONVERGED', 'CYCLE'];

/** Why a boundary record was written (SPEC 9). */
export const Reason = {
  NONE: 0,
  /** No level's polytope admits the state. */
  EXTERIOR: 1,
  /** Projection or facet-aware quantization found no admissible point within its cap. */
  PROJECTION_UNDEFINED: 2,
  /** ADMM's certificate of primal infeasibility (section 7). */
  INFEASIBLE: 3,
  /** The CRT index names no polytope family. */
  UNDEFINED_INDEX: 4,
  /** A value saturated while the model asks saturation to be a boundary. */
  SATURATED: 5,
} as const;
export type Reason = (typeof Reason)[keyof typeof Reason];

export const REASON_NAMES: readonly string[] = ['NONE', 'EXTERIOR', 'PROJECTION_UNDEFINED', 'INFEASIBLE', 'UNDEFINED_INDEX', 'SATURATED'];

/** Engine events, written to the event ring (type, id, step). */
export const EngineEvent = {
  /** A facet fossilized (id = facet). Same value as CaqEvent.FOSSILIZED. */
  FOSSILIZED: 1,
  /** The CRT index moved to an adjacent family (id = new index). */
  SWITCHED: 2,
  /** The state was promoted one level deeper (id = new level). */
  PROMOTED: 3,
  /** The state popped outward (id = new level). */
  POPPED: 4,
  /** Schism: a facet's pressure stayed high while it did not settle; the index moved to the adjacent family (id = new index). */
  SCHISM: 5,
} as const;
export type EngineEvent = (typeof EngineEvent)[keyof typeof EngineEvent];

export const EVENT_NAMES: readonly string[] = ['', 'FOSSILIZED', 'SWITCHED', 'PROMOTED', 'POPPED', 'SCHISM'];

/** What a scalar summary returns outside every window (SPEC 4): no number. */
export const Summary = {
  OK: 0,
  /** Outside every window of the level, or a non-commuting step: no scalar. */
  REFUSED: 1,
} as const;
export type Summary = (typeof Summary)[keyof typeof Summary];
