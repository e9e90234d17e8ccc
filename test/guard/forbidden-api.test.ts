import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanSource, scanTree } from './forbidden-api.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'src');
const FIXTURE = path.join(SRC, 'fixed', 'fixture.ts');

/** `[line, fragment of the message]` for each violation, in order. */
function lines(source: string): [number, string][] {
  return scanSource(source, FIXTURE, SRC, 'src/fixed/fixture.ts').map((v) => {
    expect(v.where).toMatch(/^src\/fixed\/fixture\.ts:\d+:\d+$/);
    return [Number(v.where.split(':')[1]), v.message];
  });
}

describe('forbidden-API guard', () => {
  it('flags each forbidden use in a fixture, naming its line, and ignores comments and strings', () => {
    const fixture = [
      /*  1 */ "import { x } from './q.js';",
      /*  2 */ "import fs from 'node:fs';",
      /*  3 */ "import { y } from '../../tools/build.js';",
      /*  4 */ "export { z } from 'fast-check';",
      /*  5 */ 'const a = Math.sin(1) + Math.sqrt(2);',
      /*  6 */ 'const b = Math.imul(3, 4) + Math.abs(-1) + Math.clz32(5);',
      /*  7 */ 'const c = Date.now();',
      /*  8 */ 'const d = BigInt(3);',
      /*  9 */ 'const e = 1n;',
      /* 10 */ 'const g = new Float64Array(4);',
      /* 11 */ 'const h = new Function("return 1");',
      /* 12 */ 'const i = eval("1");',
      /* 13 */ 'const j = 0x80000000;',
      /* 14 */ 'const k = 0.5;',
      /* 15 */ 'const { random } = Math;',
      /* 16 */ "const l = Math['pow'](2, 3);",
      /* 17 */ 'const m = globalThis.Math.random();',
      /* 18 */ "const n = await import('node:os');",
      /* 19 */ 'let o: bigint;',
      /* 20 */ "// Math.sin(x), Date, BigInt, 1n, 0x80000000, import 'node:fs' in a comment",
      /* 21 */ "const s = 'Math.cos Date eval new Function 4294967296';",
      /* 22 */ 'const t = { Date: 1, 4294967296: 2 }; t.Date;',
      /* 23 */ 'const u = -0x7fffffff - 1;',
      /* 24 */ 'const v = Float32Array;',
    ].join('\n');
    const found = lines(fixture);
    expect(found.map(([l]) => l)).toEqual([2, 3, 4, 5, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 24]);
    const at = (l: number): string => found.filter(([n]) => n === l).map(([, m]) => m).join(' / ');
    expect(at(2)).toMatch(/node:fs/);
    expect(at(3)).toMatch(/leaves src/);
    expect(at(5)).toMatch(/Math\.sin.*Math\.sqrt/);
    expect(at(7)).toMatch(/Date/);
    expect(at(9)).toMatch(/bigint literal 1n/);
    expect(at(11)).toMatch(/new Function/);
    expect(at(13)).toMatch(/literal 0x80000000 is not an int32/);
    expect(at(15)).toMatch(/Math used other than/);
    expect(at(16)).toMatch(/Math\.pow/);
    expect(at(17)).toMatch(/Math\.random/);
  });

  it('passes a clean fixture', () => {
    const clean = [
      "import { INT32_MIN } from '../q.js';",
      "import type { QContext } from './q.js';",
      'export function f(q: QContext, a: number): number {',
      '  // Math.sqrt would be forbidden; this is a comment.',
      '  const msg = "Date and BigInt in a string";',
      '  return Math.imul(a, q.one) + Math.abs(a) + (INT32_MIN >> 1) + msg.length + 0x7fffffff;',
      '}',
    ].join('\n');
    expect(lines(clean)).toEqual([]);
  });

  it('src/ uses none of them', () => {
    const { files, violations } = scanTree(SRC, ROOT);
    // Cannot pass vacuously: the scan must have seen the core.
    expect(files).toContain('src/index.ts');
    expect(files).toContain('src/fixed/q.ts');
    expect(violations.map((v) => `${v.where}: ${v.message}`)).toEqual([]);
  });
});
