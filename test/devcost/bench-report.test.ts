/** The bench's pure parts: options, the baseline check, the table, per-unit figures. */
import { describe, expect, it } from 'vitest';
import { CASES, FLOOR, LEN } from '../../tools/bench/cases.js';
import { perUnit, REPS } from '../../tools/bench/measure.js';
import {
  caseMatches,
  compareToBaseline,
  DEFAULT_JSON,
  fmt,
  formatTable,
  parseArgs,
  TOLERANCE,
  toBaseline,
  UsageError,
  type BenchReport,
  type Figures,
} from '../../tools/bench/report.js';

describe('parseArgs', () => {
  it('defaults', () => {
    expect(parseArgs([])).toEqual({ check: false, updateBaseline: false, json: DEFAULT_JSON, help: false });
  });
  it('reads every option', () => {
    expect(parseArgs(['--check', '--json', 'out.json', '--only', 'mul, div'])).toEqual({
      check: true,
      updateBaseline: false,
      json: 'out.json',
      only: ['mul', 'div'],
      help: false,
    });
    expect(parseArgs(['--update-baseline']).updateBaseline).toBe(true);
    expect(parseArgs(['-h']).help).toBe(true);
  });
  it('rejects unknown options, missing values and contradictions', () => {
    expect(() => parseArgs(['--chek'])).toThrow(UsageError);
    expect(() => parseArgs(['--json'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--json', '--check'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--check', '--update-baseline'])).toThrow(UsageError);
    expect(() => parseArgs(['--update-baseline', '--only', 'mul'])).toThrow(UsageError);
  });
});

describe('caseMatches', () => {
  it('selects by whole name or by leading words, never by a bare prefix', () => {
    expect(caseMatches('mul', 'mul')).toBe(true);
    expect(caseMatches('mulShift', 'mul')).toBe(false);
    expect(caseMatches('window full (n=16)', 'window')).toBe(true);
    expect(caseMatches('window full (n=16)', 'window full')).toBe(true);
    expect(caseMatches('caq step (m=32, n=16)', 'caq')).toBe(true);
  });
});

describe('compareToBaseline', () => {
  const base: Record<string, Figures> = {
    floor: { instructions: 1000, computrons: 30 },
    mul: { instructions: 10000, computrons: 400 },
  };

  it('allows 2%', () => {
    expect(TOLERANCE).toBe(0.02);
  });

  it('flags a 3% growth', () => {
    const cmp = compareToBaseline({ ...base, mul: { instructions: 10300, computrons: 400 } }, base);
    expect(cmp.regressions).toHaveLength(1);
    expect(cmp.regressions[0]).toMatchObject({ name: 'mul', metric: 'instructions', baseline: 10000, current: 10300 });
    expect(cmp.regressions[0].growth).toBeCloseTo(0.03, 10);
  });

  it('flags computrons too', () => {
    const cmp = compareToBaseline({ ...base, floor: { instructions: 1000, computrons: 31 } }, base);
    expect(cmp.regressions.map((f) => `${f.name}.${f.metric}`)).toEqual(['floor.computrons']);
  });

  it('passes a 1% growth, and exactly 2%', () => {
    expect(compareToBaseline({ ...base, mul: { instructions: 10100, computrons: 404 } }, base).regressions).toEqual([]);
    expect(compareToBaseline({ ...base, mul: { instructions: 10200, computrons: 408 } }, base).regressions).toEqual([]);
  });

  it('reports improvements, added and missing cases without failing', () => {
    const cmp = compareToBaseline(
      { floor: { instructions: 900, computrons: 30 }, sin: { instructions: 5000, computrons: 200 } },
      base,
    );
    expect(cmp.regressions).toEqual([]);
    expect(cmp.improvements.map((f) => f.name)).toEqual(['floor']);
    expect(cmp.added).toEqual(['sin']);
    expect(cmp.missing).toEqual(['mul']);
  });

  it('ignores figures that were not measured', () => {
    const cmp = compareToBaseline({ mul: { instructions: null, computrons: 900 } }, { mul: { instructions: 10000, computrons: null } });
    expect(cmp.regressions).toEqual([]);
  });
});

describe('report', () => {
  const report: BenchReport = {
    schema: 1,
    env: { xsnapVersion: '0.15.0', crossCompiler: 'gcc', qemu: 'qemu', pluginApi: 1, node: 'v20' },
    params: { len: LEN, reps: REPS },
    rows: [
      { name: 'floor', group: 'floor', body: FLOOR.body, nodeNs: 3.5, instructions: 1189.88, computrons: 28.34, instructionRatio: 1, computronRatio: 1 },
      { name: 'sin', group: 'fixed', body: 's ^= sin(q, a[i]);', nodeNs: null, instructions: null, computrons: null, instructionRatio: null, computronRatio: null, skipped: 'core lacks sin' },
    ],
  };

  it('keeps only deterministic figures in the baseline', () => {
    const b = toBaseline(report);
    expect(b.figures).toEqual({ floor: { instructions: 1189.88, computrons: 28.34 } });
    expect(b.env).not.toHaveProperty('node');
  });

  it('prints a Markdown table with a row per case', () => {
    const lines = formatTable(report.rows).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\| case .*ARM instructions\/op/);
    expect(lines[2]).toMatch(/^\| floor .* 1,189\.9 \|/);
    expect(lines[3]).toMatch(/skipped: core lacks sin/);
  });

  it('formats numbers with fixed digits and thousands separators', () => {
    expect(fmt(1189.88, 1)).toBe('1,189.9');
    expect(fmt(1, 2)).toBe('1.00');
    expect(fmt(-1234567.891, 2)).toBe('-1,234,567.89');
    expect(fmt(12, 0)).toBe('12');
    expect(fmt(null, 1)).toBe('-');
  });

  it('computes per-unit cost by difference', () => {
    expect(perUnit(1_000_000, 1_000_000 + 500 * REPS * LEN)).toBe(500);
  });
});

describe('cases', () => {
  it('have unique names and start with the floor', () => {
    expect(CASES[0]).toBe(FLOOR);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });
});
