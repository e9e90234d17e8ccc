/**
 * Generates src/fixed/tables.ts: the constant tables and scale constants of
 * the transcendental functions (SPEC 1), as integer literals.
 *
 *   npx tsx tools/gen-tables.ts           writes src/fixed/tables.ts
 *   npx tsx tools/gen-tables.ts --check   exits 1 if the committed file differs
 *
 * Values are float64 (`Math.sin` etc., V8's fdlibm port) rounded to nearest.
 * Every entry is checked to lie at least TIE_MARGIN away from a rounding tie,
 * so an error of a few float64 ulps could not change any literal: the tables
 * are the correctly rounded values. The header carries the sha256 of this
 * file and no timestamp, so the output is reproducible.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(HERE), '..');
/** The generated file. */
export const TABLES_PATH = path.join(ROOT, 'src', 'fixed', 'tables.ts');

/** How far (in units of the last place) a scaled value must be from x.5. */
const TIE_MARGIN = 1e-5;
/** CORDIC iterations of atan2 (atan(2^-i) for i = 0..ATAN_ITERATIONS). */
export const ATAN_ITERATIONS = 25;

/** round(x * 2^bits), refusing values near a tie or outside int32. */
function fix(x: number, bits: number, what: string): number {
  const v = x * 2 ** bits;
  const fl = Math.floor(v);
  if (v !== fl && Math.abs(v - fl - 0.5) < TIE_MARGIN) {
    throw new Error(`${what}: ${v} is within ${TIE_MARGIN} of a rounding tie; compute it exactly`);
  }
  const r = v - fl < 0.5 ? fl : fl + 1;
  if (r > 0x7fffffff || r < -0x80000000) throw new Error(`${what}: ${r} is not an int32`);
  return r;
}

function table(n: number, what: string, value: (i: number) => number, bits: number): number[] {
  return Array.from({ length: n }, (_, i) => fix(value(i), bits, `${what}[${i}]`));
}

interface Entry {
  name: string;
  doc: string;
  /** A table, or a scalar constant. */
  value: number[] | number;
}

/** Everything the tables file holds, in order. */
export function entries(): Entry[] {
  const twoPi = 2 * Math.PI;
  // sin: delta (Q30) per angle unit = 2*pi * 2^30 / 2^24 = 2*pi * 64.
  const sinStep = twoPi * 64;
  const sinStepInt = Math.floor(sinStep);
  // exp2: delta (Q35) per unit of 2^-24 = ln2 * 2^35 / 2^24 = ln2 * 2048.
  const expStep = Math.LN2 * 2048;
  const expStepInt = Math.floor(expStep);
  return [
    {
      name: 'SIN_Q30',
      doc: 'sin(i * (pi/2) / 256) in Q30, i = 0..256: a quarter wave, one entry per 2^14 angle units. SIN_Q30[256] = 2^30 (1.0).',
      value: table(257, 'SIN_Q30', (i) => (i === 256 ? 1 : Math.sin((i * Math.PI) / 512)), 30),
    },
    {
      name: 'SIN_STEP_INT',
      doc: 'Integer part of one angle unit in Q30 radians, 2*pi * 2^30 / 2^24 = 402.1238...',
      value: sinStepInt,
    },
    {
      name: 'SIN_STEP_FRAC16',
      doc: 'Fractional part of the same, in units of 2^-16: round((2*pi*64 - SIN_STEP_INT) * 2^16).',
      value: fix(sinStep - sinStepInt, 16, 'SIN_STEP_FRAC16'),
    },
    {
      name: 'ATAN_CORDIC',
      doc: `atan(2^-i) as a binary angle in units of 2^-6 (2^30 per turn), i = 0..${ATAN_ITERATIONS}. ATAN_CORDIC[0] = 2^27 (an eighth of a turn).`,
      value: table(ATAN_ITERATIONS + 1, 'ATAN_CORDIC', (i) => Math.atan(2 ** -i) / twoPi, 30),
    },
    {
      name: 'EXP2_Q31',
      doc: '2^(i/256) - 1 in Q31, i = 0..255 (the offset form keeps one more bit than a Q30 mantissa).',
      value: table(256, 'EXP2_Q31', (i) => 2 ** (i / 256) - 1, 31),
    },
    {
      name: 'EXP2_STEP_INT',
      doc: 'Integer part of ln2 * 2^35 / 2^24 = ln2 * 2048 = 1419.5654...: delta (Q35) per unit of 2^-24.',
      value: expStepInt,
    },
    {
      name: 'EXP2_STEP_FRAC15',
      doc: 'Fractional part of the same, in units of 2^-15.',
      value: fix(expStep - expStepInt, 15, 'EXP2_STEP_FRAC15'),
    },
    {
      name: 'LOG2_Q30',
      doc: 'log2(1 + i/256) in Q30, i = 0..255.',
      value: table(256, 'LOG2_Q30', (i) => Math.log2(1 + i / 256), 30),
    },
    {
      name: 'LOG2E_RECIP_Q30',
      doc: 'log2(e) / (1 + i/256) in Q30, i = 0..255: turns the remainder r into w = log2(e) * r / (1 + i/256).',
      value: table(256, 'LOG2E_RECIP_Q30', (i) => Math.LOG2E / (1 + i / 256), 30),
    },
    {
      name: 'LOG2E_Q30',
      doc: 'log2(e) = 1.4426950408889634 in Q30.',
      value: fix(Math.LOG2E, 30, 'LOG2E_Q30'),
    },
    {
      name: 'LN2_HALF_Q16',
      doc: 'ln2 / 2 = 0.3465735902799727 in Q16 (the w^2 coefficient of log2(1 + w ln2)).',
      value: fix(Math.LN2 / 2, 16, 'LN2_HALF_Q16'),
    },
    {
      name: 'LN2_SQ_THIRD_Q11',
      doc: 'ln2^2 / 3 = 0.1601490...: the w^3 coefficient of log2(1 + w ln2), in Q11.',
      value: fix((Math.LN2 * Math.LN2) / 3, 11, 'LN2_SQ_THIRD_Q11'),
    },
  ];
}

/** sha256 (hex) of this generator's source. */
export function generatorHash(): string {
  return createHash('sha256').update(fs.readFileSync(HERE)).digest('hex');
}

function formatTable(values: number[]): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += 8) lines.push(`  ${values.slice(i, i + 8).join(', ')},`);
  return lines.join('\n');
}

/** The full text of src/fixed/tables.ts. */
export function renderTables(hash: string = generatorHash()): string {
  const out: string[] = [
    '/**',
    ' * Constant tables of the transcendental functions (SPEC 1): GENERATED, do not',
    ' * edit. Regenerate with `npx tsx tools/gen-tables.ts`; `--check` verifies.',
    ` * Generator: tools/gen-tables.ts, sha256 ${hash}`,
    ' *',
    ' * Plain frozen Arrays of int32 literals (a plain Array read costs about half',
    ' * a typed-array read in XS, PERF.md; module scope is flash on a board).',
    ' */',
    '',
  ];
  for (const e of entries()) {
    out.push(`/** ${e.doc} */`);
    if (typeof e.value === 'number') {
      out.push(`export const ${e.name} = ${e.value};`);
    } else {
      out.push(`export const ${e.name}: readonly number[] = Object.freeze([`);
      out.push(formatTable(e.value));
      out.push(']);');
    }
    out.push('');
  }
  return out.join('\n');
}

function main(argv: string[]): number {
  const text = renderTables();
  if (argv.includes('--check')) {
    const committed = fs.existsSync(TABLES_PATH) ? fs.readFileSync(TABLES_PATH, 'utf8') : '';
    if (committed !== text) {
      console.error(`${path.relative(process.cwd(), TABLES_PATH)} is out of date: run npx tsx tools/gen-tables.ts`);
      return 1;
    }
    console.log(`${path.relative(process.cwd(), TABLES_PATH)} is up to date`);
    return 0;
  }
  fs.writeFileSync(TABLES_PATH, text);
  console.log(`wrote ${path.relative(process.cwd(), TABLES_PATH)}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === HERE) {
  process.exitCode = main(process.argv.slice(2));
}
