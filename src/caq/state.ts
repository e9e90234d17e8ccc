/**
 * Context-aware quantization (SPEC 5): the state, its settings, and the one
 * function that validates and allocates them.
 *
 * Split by lifetime, like the rest of the engine: settings (validated copies
 * of `CaqParams`, read-only after setup), tables derived from the model (the
 * step schedule, the axis -> facet map), the running state (statistics,
 * fossil counters and flags, gardening countdown) and outputs of the last
 * call (facet and axis classes, per-axis steps). Everything is allocated by
 * `createCaqState`; no function of `src/caq` allocates afterwards.
 *
 * Units: every variance, mean, pressure and offset is in the Q format of
 * `params.f` (raw int32, value `v / 2^f`; a variance is in Q units too, i.e.
 * `Var / 2^f` of the squared quantity). Steps are positive integers of Q
 * units; a step of `STEP_FROZEN` (0) means "infinite": the axis is not
 * updated at this level.
 */
import { F_MAX, F_MIN, INT32_MAX, INT32_MIN } from '../fixed/q.js';
import { CaqClass, NO_FACET } from './classes.js';
import { scheduleStep } from './schedule.js';

/** Largest number of levels (0..L with L + 1 <= CAQ_LEVELS_MAX). */
export const CAQ_LEVELS_MAX = 32;

/** Settings of `createCaqState`. Thresholds and steps are raw int32 in Q format `f`. */
export interface CaqParams {
  /** Fractional bits of the Q format, F_MIN..F_MAX. */
  f: number;
  /** EMA rate `alpha = 2^-rateShift`, 1..15 and `f + rateShift <= 31`. */
  rateShift: number;
  /**
   * Variance every facet starts with (and after `caqReset`), 0..2^31 - 1.
   * Pick it at or above `volatileVar` to make precision earned, not assumed.
   */
  varInit: number;
  /** TRUSTED needs `variance < trustVar` ... (>= 0) */
  trustVar: number;
  /** ... and `|u_i| > trustPressure` (>= 0). */
  trustPressure: number;
  /** VOLATILE if `variance > volatileVar` (>= trustVar). */
  volatileVar: number;
  /** Per level (length `levels`): a facet is stable at level l iff `variance <= stableVar[l]`; otherwise its axes freeze there. Each >= 0. */
  stableVar: ArrayLike<number>;
  /** Level-0 steps, Q units: `1 <= deltaMin <= deltaMid <= deltaMax`. */
  deltaMin: number;
  deltaMid: number;
  deltaMax: number;
  /** Schedule shift s: `Delta^(l) = max(1, RNE(Delta^(0) / 2^(s l)))`, 0..31. */
  scheduleShift: number;
  /** Fossilization: `variance < fossilVar` (>= 0) ... */
  fossilVar: number;
  /** ... and `|u_i| > fossilPressure` (>= 0) ... */
  fossilPressure: number;
  /** ... for this many consecutive updates, 1..2^31 - 1. */
  fossilSteps: number;
  /** Gardening every this many calls of `caqGarden`, 1..2^31 - 1. */
  gardenPeriod: number;
  /** `b_i += RNE(gardenGain * u_i / 2^gardenShift)`: any int32 gain ... */
  gardenGain: number;
  /** ... and a shift 0..31. */
  gardenShift: number;
  /** Per facet (length m), Q: the clamp `[bMin_i, bMax_i]` of gardened offsets, `bMin_i <= bMax_i`. */
  bMin: ArrayLike<number>;
  bMax: ArrayLike<number>;
}

export interface CaqState {
  /** Facets, axes, levels. */
  readonly m: number;
  readonly n: number;
  readonly levels: number;

  // Settings (copies of the validated params).
  readonly f: number;
  readonly rateShift: number;
  readonly varInit: number;
  readonly trustVar: number;
  readonly trustPressure: number;
  readonly volatileVar: number;
  readonly fossilVar: number;
  readonly fossilPressure: number;
  readonly fossilSteps: number;
  readonly gardenPeriod: number;
  readonly gardenGain: number;
  readonly gardenShift: number;
  /** levels, Q: stability ceiling of the variance per level. */
  readonly stableVar: Int32Array;
  /** m, Q: gardening clamp, low and high. */
  readonly bMin: Int32Array;
  readonly bMax: Int32Array;

  // Tables.
  /** levels x 3, Q units: `[min, mid, max]` step of each level (schedule). */
  readonly steps: Int32Array;
  /** n: per axis, the facet whose normal weighs most on it (ties: lower id), or NO_FACET. Set by `caqBindNormals`. */
  readonly axisFacet: Int32Array;

  // Running state.
  /** 0 until the first statistics update (which seeds the means), then 1. */
  primed: number;
  /** m, Q: exponential moving mean of `<n_i, x>`. */
  readonly mean: Int32Array;
  /** m, Q: exponential moving variance of `<n_i, x>`, >= 0. */
  readonly variance: Int32Array;
  /** m: consecutive updates meeting the fossil condition (0..fossilSteps). */
  readonly fossilCount: Int32Array;
  /** m: 1 if the facet is fossilized. */
  readonly fossil: Uint8Array;
  /** Calls of `caqGarden` left until the next gardening, 1..gardenPeriod. */
  gardenCountdown: number;

  // Outputs of the last classification.
  /** m: CaqClass of each facet. */
  readonly facetClass: Uint8Array;
  /** n: CaqClass of each axis. */
  readonly axisClass: Uint8Array;
  /** n, Q units: the step of each axis at the last `caqAxisSteps` level; STEP_FROZEN = frozen. */
  readonly delta: Int32Array;
}

const isInt32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;

function intIn(name: string, v: unknown, lo: number, hi: number): number {
  if (!isInt32(v) || v < lo || v > hi) throw new RangeError(`caq ${name}: must be an integer in ${lo}..${hi}, got ${String(v)}`);
  return v;
}

function arrayIn(name: string, v: ArrayLike<number> | undefined, len: number, lo: number, hi: number): Int32Array {
  if (!v || v.length !== len) throw new RangeError(`caq ${name}: must have length ${len}, got ${v ? v.length : String(v)}`);
  const out = new Int32Array(len);
  for (let i = 0; i < len; i++) out[i] = intIn(`${name}[${i}]`, v[i], lo, hi);
  return out;
}

/**
 * Validates the sizes and `params`, then allocates the whole CAQ state (and
 * the step table of every level). Setup-time only: throws a RangeError whose
 * message names the field (`caq params.deltaMid: ...`).
 *
 * - `m` facets (1..32767), `n` axes (1..32767; so `m * n < 2^30`), `levels` = L + 1
 *   (1..CAQ_LEVELS_MAX).
 * - Initial state: as after `caqReset`; every axis has NO_FACET until
 *   `caqBindNormals`.
 * - Allocation: every array of the state, once. Arrays of `params` are copied.
 */
export function createCaqState(m: number, n: number, levels: number, params: CaqParams): CaqState {
  intIn('m', m, 1, 0x7fff);
  intIn('n', n, 1, 0x7fff);
  intIn('levels', levels, 1, CAQ_LEVELS_MAX);
  if (!params || typeof params !== 'object') throw new RangeError('caq params: must be an object');
  const p = params;
  const f = intIn('params.f', p.f, F_MIN, F_MAX);
  const rateShift = intIn('params.rateShift', p.rateShift, 1, 31 - f < 15 ? 31 - f : 15);
  const varInit = intIn('params.varInit', p.varInit, 0, INT32_MAX);
  const trustVar = intIn('params.trustVar', p.trustVar, 0, INT32_MAX);
  const trustPressure = intIn('params.trustPressure', p.trustPressure, 0, INT32_MAX);
  const volatileVar = intIn('params.volatileVar', p.volatileVar, trustVar, INT32_MAX);
  const stableVar = arrayIn('params.stableVar', p.stableVar, levels, 0, INT32_MAX);
  const deltaMin = intIn('params.deltaMin', p.deltaMin, 1, INT32_MAX);
  const deltaMid = intIn('params.deltaMid', p.deltaMid, deltaMin, INT32_MAX);
  const deltaMax = intIn('params.deltaMax', p.deltaMax, deltaMid, INT32_MAX);
  const scheduleShift = intIn('params.scheduleShift', p.scheduleShift, 0, 31);
  const fossilVar = intIn('params.fossilVar', p.fossilVar, 0, INT32_MAX);
  const fossilPressure = intIn('params.fossilPressure', p.fossilPressure, 0, INT32_MAX);
  const fossilSteps = intIn('params.fossilSteps', p.fossilSteps, 1, INT32_MAX);
  const gardenPeriod = intIn('params.gardenPeriod', p.gardenPeriod, 1, INT32_MAX);
  const gardenGain = intIn('params.gardenGain', p.gardenGain, INT32_MIN, INT32_MAX);
  const gardenShift = intIn('params.gardenShift', p.gardenShift, 0, 31);
  const bMin = arrayIn('params.bMin', p.bMin, m, INT32_MIN, INT32_MAX);
  const bMax = arrayIn('params.bMax', p.bMax, m, INT32_MIN, INT32_MAX);
  for (let i = 0; i < m; i++) {
    if (bMin[i] > bMax[i]) throw new RangeError(`caq params.bMax[${i}]: must be >= bMin[${i}] = ${bMin[i]}, got ${bMax[i]}`);
  }

  const steps = new Int32Array(levels * 3);
  for (let l = 0; l < levels; l++) {
    steps[3 * l] = scheduleStep(deltaMin, scheduleShift, l);
    steps[3 * l + 1] = scheduleStep(deltaMid, scheduleShift, l);
    steps[3 * l + 2] = scheduleStep(deltaMax, scheduleShift, l);
  }

  const st: CaqState = {
    m,
    n,
    levels,
    f,
    rateShift,
    varInit,
    trustVar,
    trustPressure,
    volatileVar,
    fossilVar,
    fossilPressure,
    fossilSteps,
    gardenPeriod,
    gardenGain,
    gardenShift,
    stableVar,
    bMin,
    bMax,
    steps,
    axisFacet: new Int32Array(n).fill(NO_FACET),
    primed: 0,
    mean: new Int32Array(m),
    variance: new Int32Array(m),
    fossilCount: new Int32Array(m),
    fossil: new Uint8Array(m),
    gardenCountdown: gardenPeriod,
    facetClass: new Uint8Array(m),
    axisClass: new Uint8Array(n),
    delta: new Int32Array(n),
  };
  caqReset(st);
  return st;
}

/**
 * Back to the initial running state: unprimed statistics (means 0, variances
 * `varInit`), no fossil, counters 0, gardening countdown full, classes MID,
 * steps the level-0 `Delta_mid`. Keeps settings, tables and `axisFacet`.
 *
 * - Allocation: none. Never throws.
 */
export function caqReset(st: CaqState): void {
  st.primed = 0;
  st.mean.fill(0);
  st.variance.fill(st.varInit);
  st.fossilCount.fill(0);
  st.fossil.fill(0);
  st.gardenCountdown = st.gardenPeriod;
  st.facetClass.fill(CaqClass.MID);
  st.axisClass.fill(CaqClass.MID);
  st.delta.fill(st.steps[1]);
}
