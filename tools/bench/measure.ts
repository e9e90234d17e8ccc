/**
 * Measures bench cases in the three engines. Each figure is per unit of
 * work: (cost with 2N reps - cost with N reps) / (N * LEN), so start-up,
 * parsing and setup cancel out.
 *
 * - Node: wall-clock ns per unit (informative only: never checked).
 * - XS (@agoric/xsnap worker): computrons per unit, deterministic.
 * - ARM XS under qemu-arm: guest instructions per unit, deterministic.
 */
import { LEN, type BenchCase } from './cases.js';
import { armProgram, nodeBench, xsScenario } from './scenario.js';

/** N: the shorter run's reps. The longer run does 2N. */
export const REPS = 16;

/** A case's result in one engine: `s` after N reps, and `q.flags`. */
export interface Outcome {
  s: number;
  status: number;
}

export interface NodeFigure {
  nsPerUnit: number;
  outcome: Outcome;
}

/** N for a case. */
export const repsOf = (c: BenchCase): number => c.reps ?? REPS;

/** Cost per unit from two totals measured at N and 2N reps. */
export function perUnit(costN: number, cost2N: number, reps = REPS): number {
  return (cost2N - costN) / (reps * LEN);
}

/**
 * Node ns per unit: warm up (so the JIT has compiled the loop), grow the rep
 * count until one run takes >= 5 ms, then take the median of 7 runs.
 */
export function measureNode(c: BenchCase, core: unknown): NodeFigure {
  const bench = nodeBench(c, core);
  const s = bench.run(repsOf(c));
  const outcome = { s, status: bench.status() };
  const time = (reps: number) => {
    const t0 = process.hrtime.bigint();
    bench.run(reps);
    return Number(process.hrtime.bigint() - t0);
  };
  for (let k = 0; k < 5; k++) time(repsOf(c) * 4);
  let reps = repsOf(c);
  while (time(reps) < 5e6 && reps < 1 << 24) reps *= 2;
  const samples: number[] = [];
  for (let k = 0; k < 7; k++) samples.push(time(reps));
  samples.sort((x, y) => x - y);
  return { nsPerUnit: samples[3] / (reps * LEN), outcome };
}

export interface CountFigure {
  perUnit: number;
  /** Totals at N and 2N reps. */
  totals: [number, number];
  outcome: Outcome;
}

/** XS computrons per unit for each case, in one @agoric/xsnap worker. */
export async function measureXs(cases: readonly BenchCase[]): Promise<Map<string, CountFigure>> {
  // Imported here: the runner locks down the Node process (SES), which must
  // not happen before the Node timings.
  const { startXs } = await import('../xs/runner.js');
  const worker = await startXs(xsScenario(cases));
  const out = new Map<string, CountFigure>();
  try {
    for (const c of cases) {
      await worker.call({ name: c.name, reps: 1 }); // first call: any one-off work
      const n = await worker.call<[number, number]>({ name: c.name, reps: repsOf(c) });
      const n2 = await worker.call<[number, number]>({ name: c.name, reps: 2 * repsOf(c) });
      out.set(c.name, {
        perUnit: perUnit(n.meter.compute, n2.meter.compute, repsOf(c)),
        totals: [n.meter.compute, n2.meter.compute],
        outcome: { s: n.reply[0], status: n.reply[1] },
      });
    }
  } finally {
    await worker.close();
  }
  return out;
}

/** Runs `tasks` with at most `limit` in flight; results in order. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const k = next++;
      results[k] = await tasks[k]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** ARM instructions per unit for each case: two qemu-arm runs per case, `parallel` at a time. */
export async function measureArm(
  cases: readonly BenchCase[],
  coreScript: string,
  parallel: number,
): Promise<Map<string, CountFigure>> {
  const { runInstrumented } = await import('../devcost/count.js');
  const tasks = cases.flatMap((c) =>
    [repsOf(c), 2 * repsOf(c)].map((reps) => () => runInstrumented(armProgram(coreScript, c, reps))),
  );
  const runs = await pool(tasks, parallel);
  const out = new Map<string, CountFigure>();
  cases.forEach((c, k) => {
    const [n, n2] = [runs[2 * k], runs[2 * k + 1]];
    const [s, status] = n.stdout.trim().split(' ').map(Number);
    out.set(c.name, {
      perUnit: perUnit(n.instructions, n2.instructions, repsOf(c)),
      totals: [n.instructions, n2.instructions],
      outcome: { s, status },
    });
  });
  return out;
}
