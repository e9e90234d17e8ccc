/**
 * Shared CAQ test fixtures: a valid parameter set, and BigInt reference
 * models of the statistics update and gardening (exact value, one RNE, then
 * saturation), written independently of src/caq.
 */
import { Flag } from '../../src/fixed/q.js';
import type { CaqParams } from '../../src/caq/index.js';
import { rneShift } from '../helpers/ref.js';

export const Q16 = 0x10000;
export const MAX = 0x7fffffff;
export const MIN = -0x7fffffff - 1;

/** Valid params for m facets and `levels` levels (Q16.16), overridable. */
export function params(m: number, levels: number, over: Partial<CaqParams> = {}): CaqParams {
  return {
    f: 16,
    rateShift: 2,
    varInit: 8 * Q16,
    trustVar: Q16 / 4,
    trustPressure: Q16,
    volatileVar: 2 * Q16,
    stableVar: Array.from({ length: levels }, (_, l) => (l === 0 ? MAX : (4 * Q16) >> l)),
    deltaMin: 64,
    deltaMid: 256,
    deltaMax: 1024,
    scheduleShift: 1,
    fossilVar: Q16 / 16,
    fossilPressure: 4 * Q16,
    fossilSteps: 5,
    gardenPeriod: 3,
    gardenGain: Q16 / 2,
    gardenShift: 16,
    bMin: new Array(m).fill(-10 * Q16),
    bMax: new Array(m).fill(10 * Q16),
    ...over,
  };
}

const B_MAX = 2147483647n;
const B_MIN = -2147483648n;

function sat(v: bigint, flags: { f: number }): bigint {
  if (v > B_MAX) {
    flags.f |= Flag.SATURATED;
    return B_MAX;
  }
  if (v < B_MIN) {
    flags.f |= Flag.SATURATED;
    return B_MIN;
  }
  return v;
}

/** One primed statistics update of one facet: [mean', var', flags]. */
export function refStats(mean: number, variance: number, z: number, f: number, r: number): [number, number, number] {
  const fl = { f: 0 };
  const diff = sat(BigInt(z) - BigInt(mean), fl);
  const m2 = BigInt(mean) + rneShift(diff, r);
  const t = sat(rneShift(diff * diff, f + r), fl);
  const v = sat(BigInt(variance) + t, fl);
  const v2 = v - rneShift(v, r);
  return [Number(m2), Number(v2), fl.f];
}

/** One gardening of one (non-fossil) offset: [b', flags]. */
export function refGarden(b: number, u: number, gain: number, shift: number, lo: number, hi: number): [number, number] {
  const fl = { f: 0 };
  const step = sat(rneShift(BigInt(gain) * BigInt(u), shift), fl);
  let v = BigInt(b) + step; // exact, then clamped
  if (v < BigInt(lo)) v = BigInt(lo);
  if (v > BigInt(hi)) v = BigInt(hi);
  return [Number(v), fl.f];
}
