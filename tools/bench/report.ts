/**
 * The bench's command line, result format, baseline check and table: pure
 * functions, tested in test/devcost/bench-report.test.ts.
 */
import type { BenchGroup } from './cases.js';

// ---------------------------------------------------------------- options

export interface BenchOptions {
  /** Fail (exit 1) when a deterministic figure grew more than `tolerance` over the baseline. */
  check: boolean;
  /** Write the deterministic figures to the baseline file. */
  updateBaseline: boolean;
  /** Where to write the JSON report. */
  json: string;
  /** Only these cases (and the floor), by name; all when undefined. */
  only?: string[];
  help: boolean;
}

export const DEFAULT_JSON = '.cache/bench/latest.json';
export const BASELINE_FILE = 'bench/baseline.json';
/** Allowed growth of a deterministic figure over the baseline: 2%. */
export const TOLERANCE = 0.02;

export const USAGE = `usage: npm run bench -- [options]

Measures every bench case in Node (ns), XS (computrons) and 32-bit ARM XS
under qemu-arm (instructions), prints a table, writes it as JSON.

  --check             fail if an instruction or computron figure grew more
                      than ${TOLERANCE * 100}% over ${BASELINE_FILE}
  --update-baseline   write the instruction and computron figures to
                      ${BASELINE_FILE}
  --json <file>       where to write the JSON report (default ${DEFAULT_JSON})
  --only <a,b,...>    measure only these cases, by name or by a name's first
                      word ('window' for both window cases); the floor is
                      always measured
  -h, --help          this text`;

export class UsageError extends Error {}

/** Whether an --only entry selects a case: its whole name, or its first word(s). */
export function caseMatches(name: string, entry: string): boolean {
  return name === entry || name.startsWith(`${entry} `);
}

/** Parses the bench's arguments (after `npm run bench --`). Throws UsageError. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = { check: false, updateBaseline: false, json: DEFAULT_JSON, help: false };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    const value = () => {
      const v = argv[++k];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--check':
        opts.check = true;
        break;
      case '--update-baseline':
        opts.updateBaseline = true;
        break;
      case '--json':
        opts.json = value();
        break;
      case '--only':
        opts.only = value().split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (opts.check && opts.updateBaseline) throw new UsageError('--check and --update-baseline exclude each other');
  if (opts.updateBaseline && opts.only) throw new UsageError('--update-baseline measures every case: drop --only');
  return opts;
}

// ---------------------------------------------------------------- results

/** The deterministic figures of one case: what the baseline keeps and --check compares. */
export interface Figures {
  /** ARM guest instructions per unit. */
  instructions: number | null;
  /** XS computrons per unit. */
  computrons: number | null;
}

export interface BenchRow extends Figures {
  name: string;
  group: BenchGroup;
  body: string;
  /** Node wall-clock ns per unit (not deterministic, never checked). */
  nodeNs: number | null;
  /** instructions / (floorMacs x floor instructions). */
  instructionRatio: number | null;
  /** computrons / (floorMacs x floor computrons). */
  computronRatio: number | null;
  /** Why the case was not measured (a core export it needs is missing). */
  skipped?: string;
  /** The whole-run totals at N and 2N reps that the per-unit figures come from. */
  totals?: { instructions: [number, number]; computrons: [number, number] };
}

/** What the figures depend on. */
export interface BenchEnv {
  xsnapVersion: string;
  crossCompiler: string;
  qemu: string;
  pluginApi: number;
  node: string;
}

export interface BenchReport {
  schema: 1;
  env: BenchEnv;
  /** Elements per array (inner loop) and N (reps of the shorter run; the longer does 2N). */
  params: { len: number; reps: number };
  rows: BenchRow[];
}

export interface Baseline {
  schema: 1;
  env: Omit<BenchEnv, 'node'>;
  figures: Record<string, Figures>;
}

/** Rounds a per-unit figure for the report (they are exact multiples of 1/(N*LEN)). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

export function toBaseline(report: BenchReport): Baseline {
  const figures: Record<string, Figures> = {};
  for (const row of report.rows) {
    if (row.skipped) continue;
    figures[row.name] = { instructions: row.instructions, computrons: row.computrons };
  }
  const { node: _node, ...env } = report.env;
  return { schema: 1, env, figures };
}

// ---------------------------------------------------------------- check

export interface Finding {
  name: string;
  metric: keyof Figures;
  baseline: number;
  current: number;
  /** current / baseline - 1. */
  growth: number;
}

export interface Comparison {
  /** Figures that grew more than the tolerance: --check fails on these. */
  regressions: Finding[];
  /** Figures that shrank more than the tolerance: time to update the baseline. */
  improvements: Finding[];
  /** Measured now, not in the baseline. */
  added: string[];
  /** In the baseline, not measured now. */
  missing: string[];
}

/** Compares deterministic figures with a baseline. */
export function compareToBaseline(
  current: Record<string, Figures>,
  baseline: Record<string, Figures>,
  tolerance = TOLERANCE,
): Comparison {
  const out: Comparison = { regressions: [], improvements: [], added: [], missing: [] };
  for (const [name, figures] of Object.entries(current)) {
    const base = baseline[name];
    if (!base) {
      out.added.push(name);
      continue;
    }
    for (const metric of ['instructions', 'computrons'] as const) {
      const b = base[metric];
      const c = figures[metric];
      if (b === null || c === null || b <= 0) continue;
      const finding: Finding = { name, metric, baseline: b, current: c, growth: c / b - 1 };
      if (c > b * (1 + tolerance)) out.regressions.push(finding);
      else if (c < b * (1 - tolerance)) out.improvements.push(finding);
    }
  }
  for (const name of Object.keys(baseline)) if (!(name in current)) out.missing.push(name);
  return out;
}

export function describeFinding(f: Finding): string {
  const pct = `${f.growth >= 0 ? '+' : ''}${(f.growth * 100).toFixed(1)}%`;
  return `${f.name}: ${f.metric} ${f.baseline} -> ${f.current} (${pct})`;
}

// ---------------------------------------------------------------- table

/** Fixed digits with thousands separators (not toLocaleString: SES tames it after lockdown). */
export function fmt(x: number | null, digits: number): string {
  if (x === null) return '-';
  const [int, frac] = x.toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** The report as a Markdown table (readable in a terminal, pastes into docs). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['case', 'Node ns/op', 'XS computrons/op', 'ARM instructions/op', 'instr ÷ floor', 'computrons ÷ floor'];
  const lines = rows.map((r) =>
    r.skipped
      ? [r.name, `skipped: ${r.skipped}`, '', '', '', '']
      : [
          r.name,
          fmt(r.nodeNs, 1),
          fmt(r.computrons, 1),
          fmt(r.instructions, 1),
          fmt(r.instructionRatio, 2),
          fmt(r.computronRatio, 2),
        ],
  );
  const widths = header.map((h, k) => Math.max(h.length, ...lines.map((l) => l[k].length)));
  const row = (cells: string[]) =>
    `| ${cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join(' | ')} |`;
  const rule = `|${widths.map((w, k) => (k === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [row(header), rule, ...lines.map(row)].join('\n');
}
