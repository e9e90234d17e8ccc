/**
 * Fossilization (SPEC 5) and the event ring it reports into.
 *
 * Facet i fossilizes when, for `fossilSteps` consecutive updates, its
 * variance stays below `fossilVar` and `|u_i|` above `fossilPressure`
 * (strict inequalities). On the update that completes the run its fossil
 * flag is set, one FOSSILIZED event (type, facet id, step) goes into the
 * ring, its class becomes FOSSILIZED (its axes get `Delta_min` at every
 * level, never frozen) and gardening never moves its offset again. A
 * fossil stays one until `caqReset` or `caqSetFossil` (restoring a fossil
 * record, SPEC 12).
 *
 * ## Event ring
 * A caller-provided Int32Array, `RING_HEADER + EVENT_WORDS * capacity`
 * words: `[capacity, head, count, lost, (type, id, step) * capacity]`.
 * `head` is the next slot to write, `count` the unread events (<= capacity),
 * `lost` how many unread events were overwritten (saturating at 2^31 - 1).
 * When full, a new event overwrites the oldest (a flight recorder: the
 * latest events matter most, and fossil flags stay in the state anyway).
 * Make one with `createEventRing`, or allocate it yourself and call
 * `eventRingInit`. Event types other modules emit share the ring; CAQ owns
 * `CaqEvent.FOSSILIZED` only.
 */
import { INT32_MAX } from '../fixed/q.js';
import type { CaqState } from './state.js';

/** Event types written by CAQ. */
export const CaqEvent = {
  FOSSILIZED: 1,
} as const;
export type CaqEvent = (typeof CaqEvent)[keyof typeof CaqEvent];

/** Header words of an event ring: capacity, head, count, lost. */
export const RING_HEADER = 4;
/** Words per event: type, id, step. */
export const EVENT_WORDS = 3;
/** Largest ring capacity. */
export const RING_CAPACITY_MAX = 4096;

/**
 * Allocates and initialises an event ring of `capacity` events.
 * Setup-time only: throws a RangeError unless `capacity` is 1..RING_CAPACITY_MAX.
 */
export function createEventRing(capacity: number): Int32Array {
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > RING_CAPACITY_MAX) {
    throw new RangeError(`event ring capacity: must be an integer in 1..${RING_CAPACITY_MAX}, got ${capacity}`);
  }
  const ring = new Int32Array(RING_HEADER + EVENT_WORDS * capacity);
  eventRingInit(ring);
  return ring;
}

/**
 * Initialises (or empties) a caller-allocated ring: the capacity is what its
 * length holds. Setup-time: throws a RangeError if it holds no event.
 * Allocates nothing.
 */
export function eventRingInit(ring: Int32Array): void {
  let capacity = 0;
  for (let k = ring.length - RING_HEADER; k >= EVENT_WORDS; k -= EVENT_WORDS) capacity++;
  if (capacity < 1) throw new RangeError(`event ring: length ${ring.length} holds no event (need ${RING_HEADER + EVENT_WORDS})`);
  if (capacity > RING_CAPACITY_MAX) capacity = RING_CAPACITY_MAX;
  ring.fill(0);
  ring[0] = capacity;
}

/**
 * Appends one event; when the ring is full the oldest unread event is
 * overwritten and `lost` counts it.
 *
 * - Domain: an initialised ring; any int32 `type`, `id`, `step`. An
 *   uninitialised ring (capacity 0) is left alone.
 * - Overflow: `lost` saturates at 2^31 - 1.
 * - Allocation: none. Never throws.
 */
export function eventPush(ring: Int32Array, type: number, id: number, step: number): void {
  const capacity = ring[0];
  if (capacity <= 0) return;
  let head = ring[1];
  const at = RING_HEADER + EVENT_WORDS * head;
  ring[at] = type;
  ring[at + 1] = id;
  ring[at + 2] = step;
  head++;
  ring[1] = head === capacity ? 0 : head;
  const count = ring[2];
  if (count < capacity) ring[2] = count + 1;
  else if (ring[3] < INT32_MAX) ring[3]++;
}

/** Unread events in the ring. Allocation: none. */
export function eventCount(ring: Int32Array): number {
  return ring[2];
}

/**
 * Removes the oldest unread event into `out[0..2]` (type, id, step) and
 * returns true; returns false (out untouched) when there is none.
 * Allocation: none. Never throws.
 */
export function eventTake(ring: Int32Array, out: Int32Array): boolean {
  const count = ring[2];
  if (count <= 0) return false;
  const capacity = ring[0];
  let tail = ring[1] - count;
  if (tail < 0) tail += capacity;
  const at = RING_HEADER + EVENT_WORDS * tail;
  out[0] = ring[at];
  out[1] = ring[at + 1];
  out[2] = ring[at + 2];
  ring[2] = count - 1;
  return true;
}

/**
 * One fossilization update of every facet that is not a fossil yet, from
 * the current variances (call it after `caqStatsUpdate`) and pressures `u`.
 * Writes one event per new fossil into `ring` (if not null) stamped with
 * `step`, and returns how many facets fossilized in this call.
 *
 * - Domain: `u` m int32 entries (Q); `step` any int32 (the engine's counter).
 * - Rounding/overflow: none (`fossilCount` never exceeds `fossilSteps`).
 * - Aliasing: reads `u`; writes `fossilCount`, `fossil` and the ring.
 * - Allocation: none. Never throws.
 */
export function caqFossilUpdate(st: CaqState, u: Int32Array, step: number, ring: Int32Array | null): number {
  const m = st.m;
  const fossil = st.fossil;
  const count = st.fossilCount;
  const variance = st.variance;
  const vMin = st.fossilVar;
  const p = st.fossilPressure;
  const negP = 0 - p; // p >= 0
  const needed = st.fossilSteps;
  let fresh = 0;
  for (let i = 0; i < m; i++) {
    if (fossil[i] !== 0) continue;
    const ui = u[i];
    if (variance[i] < vMin && (ui > p || ui < negP)) {
      const c = count[i] + 1; // count < needed <= 2^31 - 1
      if (c >= needed) {
        count[i] = needed;
        fossil[i] = 1;
        fresh++;
        if (ring !== null) eventPush(ring, CaqEvent.FOSSILIZED, i, step);
      } else {
        count[i] = c;
      }
    } else {
      count[i] = 0;
    }
  }
  return fresh;
}

/**
 * Sets or clears facet i's fossil flag directly (restoring a fossil record,
 * SPEC 12). No event is written. Setting marks the run complete
 * (`fossilCount = fossilSteps`); clearing restarts it at 0. Classes change
 * at the next classification.
 *
 * - Domain: `i` in 0..m-1 (otherwise nothing happens and false is returned).
 * - Allocation: none. Never throws.
 */
export function caqSetFossil(st: CaqState, i: number, on: boolean): boolean {
  if (!(i >= 0 && i < st.m) || (i | 0) !== i) return false;
  st.fossil[i] = on ? 1 : 0;
  st.fossilCount[i] = on ? st.fossilSteps : 0;
  return true;
}
