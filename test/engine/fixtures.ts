/**
 * Small hand-designed models for the engine's tests: boxes in Q16.16 with
 * CAQ settings that neither freeze nor fossilize, so each step's arithmetic
 * can be worked out by hand.
 */
import type { ModelSpec, PolytopeSpec } from '../../src/engine/model.js';

export const ONE = 1 << 16;
/** Real value to Q16.16 (test-side only). */
export const Q = (v: number): number => Math.round(v * ONE);

/** The box |x_j| <= h_j as A x <= b (2n facets: +e_j then -e_j per axis). */
export function box(h: number[], shifts?: (number[] | null)[]): PolytopeSpec {
  const n = h.length;
  const A: number[][] = [];
  const b: number[] = [];
  for (let j = 0; j < n; j++) {
    const plus = new Array(n).fill(0);
    plus[j] = ONE;
    const minus = new Array(n).fill(0);
    minus[j] = -ONE;
    A.push(plus, minus);
    b.push(Q(h[j]), Q(h[j]));
  }
  return shifts ? { A, b, shifts } : { A, b };
}

/** CAQ settings: steps `delta` Q units at every level, never frozen, never fossilized, no gardening. */
export function quietCaq(delta = 1) {
  return {
    rateShift: 4,
    varInit: 0,
    trustVar: 0,
    trustPressure: 0x7fffffff,
    volatileVar: 0x7fffffff,
    stableVar: [0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff],
    deltaMin: delta,
    deltaMid: delta,
    deltaMax: delta,
    scheduleShift: 0,
    fossilVar: 0,
    fossilPressure: 0x7fffffff,
    fossilSteps: 1,
    gardenPeriod: 1,
    gardenGain: 0,
    gardenShift: 0,
  };
}

/** A one-family model of nested boxes (half-widths per level) with the given operators. */
export function boxModel(halfWidths: number[][], operators: ModelSpec['operators'], over: Partial<ModelSpec> = {}): ModelSpec {
  const L1 = halfWidths.length;
  const caq = quietCaq(over.caq?.deltaMin ?? 1);
  caq.stableVar = caq.stableVar.slice(0, L1);
  return {
    n: halfWidths[0].length,
    moduli: [3, 5, 7],
    families: [{ index: 0, levels: halfWidths.map((h) => box(h)) }],
    levels: halfWidths.map(() => ({ beta: Q(1 / 16), tol: 0, tau: Q(1) })),
    operators,
    caq,
    kMax: 2,
    tPromote: 1_000_000,
    tComm: 0,
    history: 4,
    ...over,
  };
}

/** `x' = s x + c` on every axis. */
export function scale(n: number, s: number, c: number[] = new Array(n).fill(0)) {
  const M = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? Q(s) : 0)));
  return { kind: 'linear', M, c: c.map(Q) };
}
