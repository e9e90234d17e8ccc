/**
 * Turns a bench case into the JavaScript that every engine runs: Node (via
 * `new Function`), XS through @agoric/xsnap (computrons) and the ARM build of
 * XS under qemu-arm (instructions). One source, so all three measure the
 * same bytecode-level work and must end with the same `s`.
 */
import { LEN, type BenchCase } from './cases.js';

/**
 * An expression whose value is `{ run(reps) -> s, status() -> q.flags or 0 }`.
 * Free variable: `M`, the core.
 */
export function caseExpression(c: BenchCase): string {
  return `((M) => {
  'use strict';
  // Deterministic setup data (xorshift32); runs once, outside the measured loop.
  let seedState = 0;
  function fill(lo, hi, seed) {
    const out = new Int32Array(${LEN});
    seedState = (0x9e3779b9 ^ (seed * 0x01000193)) | 0;
    for (let k = 0; k < ${LEN}; k++) {
      let x = seedState;
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      seedState = x | 0;
      out[k] = lo + ((x >>> 0) % (hi - lo + 1));
    }
    return out;
  }
  ${c.setup}
  function run(reps) {
    let s = 0;
    for (let r = 0; r < reps; r++) {
      for (let i = 0; i < ${LEN}; i++) {
        ${c.body}
      }
    }
    return s;
  }
  function status() {
    return typeof q === 'object' ? q.flags : 0;
  }
  return { run, status };
})(M)`;
}

/** A program for the ARM xsnap: core script, the case, `reps` runs, then prints `s` and the status. */
export function armProgram(coreScript: string, c: BenchCase, reps: number): string {
  return `${coreScript}
;(() => {
  const bench = ${caseExpression(c)};
  const s = bench.run(${reps});
  print(s + ' ' + bench.status());
})();
`;
}

/** The xsnap-worker scenario (tools/xs/runner.ts): `{ name, reps }` -> `[s, status]`. */
export function xsScenario(cases: readonly BenchCase[]): string {
  const entries = cases.map((c) => `  ${JSON.stringify(c.name)}: ${caseExpression(c)},`).join('\n');
  return `const benches = {
${entries}
};
globalThis.scenario = (r) => {
  const bench = benches[r.name];
  const s = bench.run(r.reps);
  return [s, bench.status()];
};
`;
}

export interface NodeBench {
  run(reps: number): number;
  status(): number;
}

/** The case as Node functions over `core` (the built bundle's exports). */
export function nodeBench(c: BenchCase, core: unknown): NodeBench {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function('M', `return ${caseExpression(c)};`)(core) as NodeBench;
}
