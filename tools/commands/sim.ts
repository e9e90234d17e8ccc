/**
 * `matrioshka sim <model>`: runs a model on the host in Node or in the XS
 * engine, prints what happened (result codes, fixed points, boundary records
 * with reasons), and optionally writes a trace and a plot. `--json` prints a
 * machine-readable summary with the digest of the final state: the same
 * model and start give the same digest in both engines.
 */
import fs from 'node:fs/promises';
import * as core from '../../src/index.js';
import { EVENT_NAMES, REASON_NAMES, RESULT_NAMES } from '../../src/engine/codes.js';
import { UsageError, type Parsed } from '../args.js';
import { createSim, type SimResult } from '../sim/kernel.js';
import { loadModelFile } from '../sim/load.js';
import { renderSvg } from '../sim/svg.js';
import { startXs } from '../xs/runner.js';

/** Steps per chunk: the progress bar moves between chunks. */
const CHUNK = 2_000;
const KEEP_BOUNDARIES = 50;

export async function run(parsed: Parsed): Promise<number> {
  const file = parsed.positionals[0];
  const steps = parsed.options.steps as number;
  const engine = parsed.options.engine as 'node' | 'xs';
  const axes = parseAxes(parsed.options.axes as string);
  const tracePath = parsed.options.trace as string | undefined;
  const svgPath = parsed.options.svg as string | undefined;
  if (tracePath && !/\.(jsonl|csv)$/.test(tracePath)) throw new UsageError(`sim: --trace must name a .jsonl or .csv file, got '${tracePath}'`);
  if (svgPath && !svgPath.endsWith('.svg')) throw new UsageError(`sim: --svg must name an .svg file, got '${svgPath}'`);

  const { model, x0: modelX0, name } = await loadModelFile(file);
  const n = model.n;
  const one = 2 ** (model.f ?? 16);
  for (const a of axes) if (a >= n) throw new UsageError(`sim: --axes ${axes.join(',')}: the model has ${n} axes (0..${n - 1})`);
  const real = parsed.options.x0 !== undefined ? parseVector(parsed.options.x0 as string, n) : modelX0 ?? new Array(n).fill(0);
  if (real.length !== n) throw new Error(`${file}: x0 has ${real.length} entries, n is ${n}`);
  const x0 = real.map((v) => Math.round(v * one));
  if (parsed.options.seed !== undefined) perturb(x0, parsed.options.seed as number, one);
  const record = Boolean(tracePath || svgPath);

  const t0 = performance.now();
  const progress = steps >= 50_000 && process.stderr.isTTY && !parsed.options.json ? bar(steps) : null;
  let result: SimResult;
  if (engine === 'node') {
    const sim = createSim(core, model, x0, record, KEEP_BOUNDARIES);
    for (let done = 0; done < steps; done += CHUNK) {
      sim.run(Math.min(CHUNK, steps - done));
      progress?.(Math.min(done + CHUNK, steps));
    }
    result = sim.result();
  } else {
    const xs = await startXs(`let sim; globalThis.scenario = (r) => r.op === 'start' ? ((sim = (${createSim.toString()})(M, r.model, r.x0, r.record, r.keep)), null) : r.op === 'run' ? sim.run(r.steps) : sim.result();`);
    try {
      await xs.call({ op: 'start', model, x0, record, keep: KEEP_BOUNDARIES });
      for (let done = 0; done < steps; done += CHUNK * 10) {
        await xs.call({ op: 'run', steps: Math.min(CHUNK * 10, steps - done) });
        progress?.(Math.min(done + CHUNK * 10, steps));
      }
      result = (await xs.call<SimResult>({ op: 'result' })).reply;
    } finally {
      await xs.close();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  progress?.(steps, true);

  if (tracePath) await fs.writeFile(tracePath, formatTrace(result.trace, n, one, tracePath.endsWith('.csv')));
  if (svgPath) {
    const title = `${name}: ${steps} steps (${engine})`;
    await fs.writeFile(svgPath, renderSvg({ model, axes, slice: x0, trace: result.trace, x0, boundaries: result.boundaries, title }));
  }
  const summary = summarize(result, { file, name, engine, steps, seconds, x0, one });
  if (parsed.options.json) console.log(JSON.stringify(summary, null, 2));
  else printSummary(summary, one, { tracePath, svgPath });
  return 0;
}

function parseAxes(text: string): [number, number] {
  const m = /^(\d+),(\d+)$/.exec(text);
  if (!m || m[1] === m[2]) throw new UsageError(`sim: --axes must be two different axis numbers i,j, got '${text}'`);
  return [Number(m[1]), Number(m[2])];
}

function parseVector(text: string, n: number): number[] {
  const parts = text.split(',');
  const v = parts.map(Number);
  if (parts.length !== n || v.some((x) => !Number.isFinite(x))) {
    throw new UsageError(`sim: --x0 must be ${n} comma-separated numbers, got '${text}'`);
  }
  return v;
}

/** Adds a reproducible offset in [-0.25, 0.25) to every coordinate (xorshift32). */
function perturb(x: number[], seed: number, one: number): void {
  let s = seed ^ 0x9e3779b9 || 1;
  for (let j = 0; j < x.length; j++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    x[j] += Math.round((((s >>> 0) / 2 ** 32) * 0.5 - 0.25) * one);
  }
}

function bar(total: number): (done: number, end?: boolean) => void {
  return (done, end) => {
    const width = 30;
    const k = Math.round((done / total) * width);
    process.stderr.write(`\r[${'#'.repeat(k)}${' '.repeat(width - k)}] ${((100 * done) / total).toFixed(0).padStart(3)}% ${done}/${total} steps${end ? '\n' : ''}`);
  };
}

interface Summary {
  model: string;
  name: string;
  engine: string;
  steps: number;
  seconds: number;
  x0: number[];
  results: Record<string, number>;
  saturatedSteps: number;
  fixedPoints: number[][];
  boundaryRecords: number;
  boundaries: { step: number; reason: string; level: number; x: number[] }[];
  events: { type: string; id: number; step: number }[];
  eventsLost: number;
  final: { x: number[]; alpha: number[]; level: number };
  /** CRC-32 of the final state, hex. */
  digest: string;
  /** CRC-32 over every step's state digest, hex. */
  traceDigest: string;
}

function summarize(r: SimResult, o: { file: string; name: string; engine: string; steps: number; seconds: number; x0: number[]; one: number }): Summary {
  const results: Record<string, number> = {};
  r.counts.forEach((c, k) => {
    if (c > 0) results[RESULT_NAMES[k]] = c;
  });
  const hex = (v: number) => (v >>> 0).toString(16).padStart(8, '0');
  return {
    model: o.file,
    name: o.name,
    engine: o.engine,
    steps: o.steps,
    seconds: Number(o.seconds.toFixed(3)),
    x0: o.x0,
    results,
    saturatedSteps: r.saturated,
    fixedPoints: r.fixedPoints,
    boundaryRecords: r.boundaryCount,
    boundaries: r.boundaries.map((b) => ({ step: b.step, reason: REASON_NAMES[b.reason], level: b.level, x: b.x })),
    events: r.events.map(([t, id, step]) => ({ type: EVENT_NAMES[t] ?? String(t), id, step })),
    eventsLost: r.eventsLost,
    final: { x: r.x, alpha: r.alpha, level: r.level },
    digest: hex(r.digest),
    traceDigest: hex(r.traceDigest),
  };
}

function printSummary(s: Summary, one: number, files: { tracePath?: string; svgPath?: string }): void {
  const fmt = (x: number[]) => `(${x.map((v) => (v / one).toFixed(4)).join(', ')})`;
  console.log(`${s.name}: ${s.steps} steps in ${s.engine} in ${s.seconds.toFixed(2)} s`);
  console.log(`  results: ${Object.entries(s.results).map(([k, v]) => `${k} ${v}`).join(', ')}${s.saturatedSteps ? `; ${s.saturatedSteps} saturated` : ''}`);
  console.log(`  fixed points reached: ${s.fixedPoints.length === 0 ? 'none' : s.fixedPoints.map(fmt).join(' ')}`);
  console.log(`  boundary records: ${s.boundaryRecords}`);
  for (const b of s.boundaries.slice(0, 5)) console.log(`    step ${b.step}: ${b.reason} at level ${b.level}, x = ${fmt(b.x)}`);
  if (s.boundaryRecords > 5) console.log(`    ... ${s.boundaryRecords - 5} more`);
  const ev = new Map<string, number>();
  for (const e of s.events) ev.set(e.type, (ev.get(e.type) ?? 0) + 1);
  if (ev.size > 0) console.log(`  events: ${[...ev].map(([k, v]) => `${k} ${v}`).join(', ')}${s.eventsLost ? ` (${s.eventsLost} lost)` : ''}`);
  console.log(`  final: x = ${fmt(s.final.x)}, level ${s.final.level}, alpha [${s.final.alpha.join(', ')}]`);
  console.log(`  digest ${s.digest} (trace ${s.traceDigest})`);
  if (files.tracePath) console.log(`  trace: ${files.tracePath}`);
  if (files.svgPath) console.log(`  plot: ${files.svgPath}`);
}

function formatTrace(trace: number[], n: number, one: number, csv: boolean): string {
  const lines: string[] = [];
  if (csv) lines.push(['step', 'result', ...Array.from({ length: n }, (_, j) => `x${j}`)].join(','));
  for (let k = 0, step = 1; k < trace.length; k += n + 1, step++) {
    const x = trace.slice(k, k + n).map((v) => v / one);
    const code = trace[k + n];
    const result = RESULT_NAMES[code & 0xff] + (code & 0x100 ? '+SATURATED' : '');
    lines.push(csv ? [step, result, ...x].join(',') : JSON.stringify({ step, result, x }));
  }
  return lines.join('\n') + '\n';
}
