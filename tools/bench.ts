/**
 * `npm run bench`: per-op cost of the core in three engines (docs/bench.md).
 *
 * For every case of tools/bench/cases.ts: Node ns per op, XS computrons per
 * op (@agoric/xsnap's meter) and 32-bit ARM instructions per op (XS built for
 * soft-float ARM, run under qemu-arm with an instruction-counting plugin),
 * and the ratio of the last two to the floor (a plain small-int
 * multiply-accumulate in the same loop). Prints a table, writes JSON, and
 * with --check fails when a deterministic figure grew more than 2% over
 * bench/baseline.json.
 *
 * Exit codes: 0 ok, 1 failure (regression, engines disagree, build error),
 * 2 usage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCore } from './build.js';
import { CASES, FLOOR, LEN, type BenchCase } from './bench/cases.js';
import { measureArm, measureNode, measureXs, REPS, type Outcome } from './bench/measure.js';
import {
  BASELINE_FILE,
  compareToBaseline,
  describeFinding,
  formatTable,
  parseArgs,
  round2,
  toBaseline,
  UsageError,
  USAGE,
  caseMatches,
  type Baseline,
  type BenchOptions,
  type BenchReport,
  type BenchRow,
  type Figures,
} from './bench/report.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (s: string) => console.error(s);

function stopwatch() {
  const t0 = Date.now();
  return () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

/** Selects the cases to run; the floor always comes first. */
function selectCases(opts: BenchOptions): BenchCase[] {
  const only = opts.only;
  if (!only) return [...CASES];
  const unknown = only.filter((e) => !CASES.some((c) => caseMatches(c.name, e)));
  if (unknown.length) throw new UsageError(`unknown case(s): ${unknown.join(', ')}`);
  return CASES.filter((c) => c === FLOOR || only.some((e) => caseMatches(c.name, e)));
}

export async function run(opts: BenchOptions): Promise<number> {
  const total = stopwatch();
  const cases = selectCases(opts);

  // The instrument first: it may need building, and that would disturb the timings.
  let lap = stopwatch();
  const { ensureDevcost } = await import('./devcost/build.js');
  const devcost = await ensureDevcost(log);
  log(`bench: ARM xsnap + QEMU plugin ready (${lap()})`);

  const bundle = await buildCore();
  const core = (await import(pathToFileURL(bundle).href)) as Record<string, unknown>;
  const runnable = cases.filter((c) => c.needs.every((n) => typeof core[n] === 'function'));
  const skipped = new Map(
    cases
      .filter((c) => !runnable.includes(c))
      .map((c) => [c.name, `core lacks ${c.needs.filter((n) => typeof core[n] !== 'function').join(', ')}`]),
  );

  lap = stopwatch();
  const node = new Map(runnable.map((c) => [c.name, measureNode(c, core)]));
  log(`bench: Node timings, ${runnable.length} cases (${lap()})`);

  lap = stopwatch();
  const xs = await measureXs(runnable);
  log(`bench: XS computrons (${lap()})`);

  lap = stopwatch();
  const { coreAsScript } = await import('./xs/runner.js');
  const parallel = Math.max(1, os.availableParallelism());
  const arm = await measureArm(runnable, await coreAsScript(), parallel);
  log(`bench: ARM instructions, ${2 * runnable.length} qemu-arm runs, ${parallel} at a time (${lap()})`);

  // The same loop must end with the same s (and no flags) in every engine.
  const problems: string[] = [];
  const same = (a: Outcome, b: Outcome) => a.s === b.s && a.status === b.status;
  for (const c of runnable) {
    const n = node.get(c.name)!.outcome;
    const x = xs.get(c.name)!.outcome;
    const a = arm.get(c.name)!.outcome;
    if (!same(n, x) || !same(n, a)) {
      problems.push(`${c.name}: engines disagree: Node ${JSON.stringify(n)}, XS ${JSON.stringify(x)}, ARM XS ${JSON.stringify(a)}`);
    } else if (n.status !== 0) {
      problems.push(`${c.name}: the case sets status flags ${n.status}: its argument ranges leave the op's normal path`);
    }
  }

  const floorInstr = arm.get(FLOOR.name)!.perUnit;
  const floorComp = xs.get(FLOOR.name)!.perUnit;
  const rows: BenchRow[] = cases.map((c) => {
    const base = { name: c.name, group: c.group, body: c.body };
    const why = skipped.get(c.name);
    if (why) {
      return { ...base, nodeNs: null, instructions: null, computrons: null, instructionRatio: null, computronRatio: null, skipped: why };
    }
    const macs = c.floorMacs ?? 1;
    const instructions = arm.get(c.name)!.perUnit;
    const computrons = xs.get(c.name)!.perUnit;
    return {
      ...base,
      nodeNs: round2(node.get(c.name)!.nsPerUnit),
      instructions: round2(instructions),
      computrons: round2(computrons),
      instructionRatio: round2(instructions / (macs * floorInstr)),
      computronRatio: round2(computrons / (macs * floorComp)),
      totals: { instructions: arm.get(c.name)!.totals, computrons: xs.get(c.name)!.totals },
    };
  });

  const report: BenchReport = {
    schema: 1,
    env: {
      xsnapVersion: devcost.info.xsnapVersion,
      crossCompiler: devcost.info.crossCompiler,
      qemu: devcost.info.qemu,
      pluginApi: devcost.info.pluginApi,
      node: process.version,
    },
    params: { len: LEN, reps: REPS },
    rows,
  };

  console.log(formatTable(rows));
  console.log(
    `\nper op: (cost at 2N reps - cost at N reps) / (N x ${LEN}), N = ${REPS} unless the case sets it; floor: ${FLOOR.body}` +
      `\nARM: @agoric/xsnap ${report.env.xsnapVersion} xsnap, ${report.env.crossCompiler}, -mfloat-abi=soft, static; ${report.env.qemu}, plugin API v${report.env.pluginApi}`,
  );

  const jsonPath = path.resolve(root, opts.json);
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
  log(`bench: wrote ${path.relative(process.cwd(), jsonPath)}; total ${total()}`);

  let failed = false;
  for (const p of problems) {
    console.error(`bench: ${p}`);
    failed = true;
  }

  const current: Record<string, Figures> = toBaseline(report).figures;
  const baselinePath = path.join(root, BASELINE_FILE);
  if (opts.updateBaseline) {
    if (failed) {
      console.error('bench: baseline not written: fix the problems above first');
      return 1;
    }
    fs.mkdirSync(path.dirname(baselinePath), { recursive: true });
    fs.writeFileSync(baselinePath, JSON.stringify(toBaseline(report), null, 2) + '\n');
    console.log(`bench: wrote ${BASELINE_FILE} (${Object.keys(current).length} cases)`);
  } else if (opts.check) {
    if (!fs.existsSync(baselinePath)) {
      console.error(`bench: --check: no ${BASELINE_FILE}; create it with --update-baseline`);
      return 1;
    }
    const baseline = JSON.parse(fs.readFileSync(baselinePath, 'utf8')) as Baseline;
    for (const key of ['xsnapVersion', 'crossCompiler', 'pluginApi'] as const) {
      if (baseline.env[key] !== report.env[key]) {
        console.error(`bench: note: baseline ${key} ${JSON.stringify(baseline.env[key])}, now ${JSON.stringify(report.env[key])}`);
      }
    }
    const cmp = compareToBaseline(current, baseline.figures);
    for (const f of cmp.improvements) console.log(`bench: improved: ${describeFinding(f)} (update the baseline)`);
    for (const n of cmp.added) console.log(`bench: new case, not in the baseline: ${n}`);
    if (!opts.only) for (const n of cmp.missing) console.log(`bench: in the baseline, not measured: ${n}`);
    for (const f of cmp.regressions) console.error(`bench: REGRESSION: ${describeFinding(f)}`);
    if (cmp.regressions.length) failed = true;
    else console.log(`bench: --check: no figure grew more than 2% over ${BASELINE_FILE}`);
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  let code: number;
  try {
    const opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      console.log(USAGE);
      code = 0;
    } else {
      code = await run(opts);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`bench: ${e.message}\n\n${USAGE}`);
      code = 2;
    } else {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      code = 1;
    }
  }
  // The XS worker and child processes are closed; exit without waiting on stray handles.
  process.exit(code);
}
