/**
 * `matrioshka compile <model.json> [--out model.mtk] [--json]`: checks a
 * model (shapes, ranges, coprime moduli, nesting of every shell by LP,
 * headroom of the Q format), writes its image and prints a summary: sizes,
 * CRC, nesting proofs. A refused model prints one `model.json: path: rule`
 * line per issue and exits 1.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Parsed } from '../args.js';
import { compileModel, type CompileResult } from '../model/compile.js';
import { qText } from '../model/convert.js';
import { ModelError } from '../model/issues.js';

/** The default image path: the model's, with `.mtk` for `.json`. */
export function defaultOutput(input: string): string {
  return input.endsWith('.json') ? `${input.slice(0, -5)}.mtk` : `${input}.mtk`;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/** The summary as data (what `--json` prints). */
export function summary(input: string, output: string, r: CompileResult): Record<string, unknown> {
  const m = r.model;
  const f = m.f ?? 16;
  const facets = m.families.map((fam) => fam.levels.map((p) => p.A.length));
  let tightest: { family: number; level: number; facet: number; margin: number } | null = null;
  for (const p of r.geometry.proofs) {
    const margin = p.b - p.max;
    if (tightest === null || margin < tightest.margin) tightest = { family: p.family, level: p.level, facet: p.facet, margin };
  }
  return {
    input,
    output,
    bytes: r.image.length,
    crc32: hex(r.crc),
    sourceHash: hex(r.sourceHash),
    format: `Q${31 - f}.${f}`,
    n: m.n,
    moduli: m.moduli,
    families: m.families.length,
    levels: m.levels.length,
    facets,
    operators: m.operators.map((op) => op.kind),
    nesting: { proofs: r.geometry.proofs.length, lps: r.geometry.lps, tightest },
    boxes: r.geometry.boxes,
    warnings: r.warnings.map((w) => `${w.path}: ${w.rule}`),
  };
}

export async function run(parsed: Parsed): Promise<number> {
  const input = parsed.positionals[0];
  const output = (parsed.options.out as string | undefined) ?? defaultOutput(input);
  const text = await fs.readFile(input, 'utf8');
  let result: CompileResult;
  try {
    result = await compileModel(text);
  } catch (e) {
    if (!(e instanceof ModelError)) throw e;
    for (const issue of e.issues) console.error(`${input}: ${issue.path}: ${issue.rule}`);
    return 1;
  }
  await fs.mkdir(path.dirname(path.resolve(output)), { recursive: true });
  await fs.writeFile(output, result.image);
  const s = summary(input, output, result);
  if (parsed.options.json) {
    console.log(JSON.stringify(s, null, 2));
    return 0;
  }
  const m = result.model;
  const f = m.f ?? 16;
  const M = m.moduli.reduce((a, b) => a * b, 1);
  const facets = (s.facets as number[][]).map((fl) => `[${fl.join(', ')}]`).join(' ');
  console.log(`${input} -> ${output}`);
  console.log(`  ${s.format as string}, n = ${m.n}, moduli [${m.moduli.join(', ')}] (M = ${M}), ${m.families.length} famil${m.families.length === 1 ? 'y' : 'ies'} x ${m.levels.length} levels, facets ${facets}`);
  console.log(`  operators: ${m.operators.map((op) => op.kind).join(', ') || '(none)'}`);
  console.log(`  image ${result.image.length} bytes, CRC-32 ${hex(result.crc)}, source hash ${hex(result.sourceHash)}`);
  const nest = s.nesting as { proofs: number; lps: number; tightest: { family: number; level: number; facet: number; margin: number } | null };
  const t = nest.tightest;
  console.log(
    `  nesting: ${nest.proofs} facet proofs (${nest.lps} LPs, HiGHS)` +
      (t ? `, tightest families[${t.family}].levels[${t.level}] against facet ${t.facet} of levels[${t.level - 1}], margin ${Number(t.margin.toPrecision(6))}` : ''),
  );
  const limit = qText(2 ** 30, f);
  for (const b of result.geometry.boxes) {
    const reach = Math.max(...b.lo.map(Math.abs), ...b.hi.map(Math.abs));
    console.log(`  headroom: families[${b.family}] outermost box reaches |x| <= ${Number(reach.toPrecision(6))} (state range ${limit})`);
  }
  for (const w of result.warnings) console.log(`  warning: ${w.path}: ${w.rule}`);
  return 0;
}
