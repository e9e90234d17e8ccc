/**
 * The simulation loop of `matrioshka sim`. It uses only its `core` argument,
 * so the same source runs in Node and, sent as text, in XS (where `core` is
 * the bundle's global `M`): both engines run exactly this loop.
 */
import type { ModelSpec } from '../../src/engine/model.js';

export interface SimBoundary {
  step: number;
  reason: number;
  level: number;
  x: number[];
}

export interface SimResult {
  /** Count of each result code, index = code & 0xff. */
  counts: number[];
  /** Steps whose result carried the saturation bit. */
  saturated: number;
  /** The first boundary records (up to `keepBoundaries`), and how many there were. */
  boundaries: SimBoundary[];
  boundaryCount: number;
  /** Events taken from the ring: [type, id, step]. */
  events: number[][];
  eventsLost: number;
  /** Distinct quantized fixed points reached (state after a FIXED step), up to 16. */
  fixedPoints: number[][];
  /** Final state. */
  x: number[];
  alpha: number[];
  level: number;
  /** CRC-32 digest of the final state (x, alpha, level, pressure). */
  digest: number;
  /** CRC-32 over every step's digest: equal traces give equal values. */
  traceDigest: number;
  /** Per step when `record`: n values of x then the result code. */
  trace: number[];
}

export interface Sim {
  /** Runs `steps` more steps. */
  run(steps: number): number;
  /** The summary so far. */
  result(): SimResult;
}

/**
 * Creates the engine and a running summary. Methods only (no nested named
 * functions), so its source text is self-contained for XS.
 */
export function createSim(core: any, model: ModelSpec, x0: number[], record: boolean, keepBoundaries: number): Sim {
  const e = core.createEngine(model);
  e.reset(x0);
  const n = model.n;
  const counts = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const boundaries: SimBoundary[] = [];
  const events: number[][] = [];
  const fixedPoints: number[][] = [];
  const trace: number[] = [];
  const word = new Int32Array(1);
  const ev = new Int32Array(3);
  const tally = { boundaryCount: 0, saturated: 0, crc: core.CRC32_INIT };
  return {
    run(steps: number): number {
      for (let i = 0; i < steps; i++) {
        const code = e.step();
        const kind = code & 0xff;
        counts[kind]++;
        if ((code & core.Result.SATURATED_BIT) !== 0) tally.saturated++;
        if (kind === core.Result.BOUNDARY) {
          if (boundaries.length < keepBoundaries) {
            boundaries.push({ step: e.record.step, reason: e.record.reason, level: e.record.level, x: Array.from(e.record.x) });
          }
          tally.boundaryCount++;
        } else if (kind === core.Result.FIXED && fixedPoints.length < 16) {
          const x = Array.from(e.x) as number[];
          if (!fixedPoints.some((p) => p.every((v, j) => v === x[j]))) fixedPoints.push(x);
        }
        while (core.eventCount(e.events) > 0 && core.eventTake(e.events, ev)) events.push(Array.from(ev));
        word[0] = e.digest();
        tally.crc = core.crc32Words(tally.crc, word, 1);
        if (record) {
          for (let j = 0; j < n; j++) trace.push(e.x[j]);
          trace.push(code);
        }
      }
      return e.stepIndex;
    },
    result(): SimResult {
      return {
        counts,
        saturated: tally.saturated,
        boundaries,
        boundaryCount: tally.boundaryCount,
        events,
        eventsLost: e.events[3],
        fixedPoints,
        x: Array.from(e.x),
        alpha: Array.from(e.alpha),
        level: e.level,
        digest: e.digest() >>> 0,
        traceDigest: core.crc32Final(tally.crc) >>> 0,
        trace,
      };
    },
  };
}
