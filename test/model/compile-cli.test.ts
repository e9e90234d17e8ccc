/**
 * `matrioshka compile` (tools/commands/compile.ts): writes the image, prints
 * a summary (text or JSON), and reports a refused model as
 * `model.json: path: rule` lines with exit code 1; usage errors exit 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../tools/cli.js';
import { defaultOutput } from '../../tools/commands/compile.js';
import { BOX_STACK_PATH, boxStack, boxStackCompiled } from './fixture.js';

let dir: string;
let out: string[];
let err: string[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mtk-compile-'));
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('matrioshka compile', () => {
  it('writes the image and prints sizes, CRC and nesting proofs', async () => {
    const target = path.join(dir, 'box.mtk');
    expect(await main(['compile', BOX_STACK_PATH, '--out', target])).toBe(0);
    const { image, crc } = await boxStackCompiled();
    expect(new Uint8Array(fs.readFileSync(target))).toEqual(image);
    const text = out.join('\n');
    expect(text).toContain(`image ${image.length} bytes, CRC-32 0x${crc.toString(16).padStart(8, '0')}`);
    expect(text).toContain('Q15.16, n = 3, moduli [3, 5, 7] (M = 105), 2 families x 3 levels, facets [6, 6, 7] [6, 6, 6]');
    expect(text).toContain('nesting: 24 facet proofs');
    expect(err).toEqual([]);
  });

  it('--json prints the summary as JSON', async () => {
    const target = path.join(dir, 'box.mtk');
    expect(await main(['compile', BOX_STACK_PATH, '--out', target, '--json'])).toBe(0);
    const s = JSON.parse(out.join('\n')) as Record<string, any>;
    expect(s.bytes).toBe((await boxStackCompiled()).image.length);
    expect(s.nesting.proofs).toBe(24);
    expect(s.format).toBe('Q15.16');
    expect(s.facets).toEqual([[6, 6, 7], [6, 6, 6]]);
  });

  it('a refused model: one line per issue, prefixed with the file, exit 1, nothing written', async () => {
    const m = boxStack();
    m.levels[0].bta = 1;
    m.kMax = 2.5;
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(m));
    expect(await main(['compile', file])).toBe(1);
    expect(err).toEqual([`${file}: kMax: must be an integer, got 2.5`, `${file}: levels[0].bta: unknown field (known: beta, tol, tau, windows, order)`]);
    expect(fs.existsSync(defaultOutput(file))).toBe(false);
  });

  it('a model that does not nest names the facet', async () => {
    const m = boxStack();
    m.families[0].levels[2].b[0] = 3;
    const file = path.join(dir, 'loose.json');
    fs.writeFileSync(file, JSON.stringify(m));
    expect(await main(['compile', file])).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: families\\[0\\]\\.levels\\[2\\]: not nested in levels\\[1\\]: facet 0 `));
  });

  it('the default output is the model path with .mtk; usage errors exit 2', async () => {
    expect(defaultOutput('a/model.json')).toBe('a/model.mtk');
    expect(defaultOutput('model')).toBe('model.mtk');
    const file = path.join(dir, 'm.json');
    fs.copyFileSync(BOX_STACK_PATH, file);
    expect(await main(['compile', file])).toBe(0);
    expect(fs.existsSync(path.join(dir, 'm.mtk'))).toBe(true);
    expect(await main(['compile'])).toBe(2);
    expect(await main(['compile', file, '--colour'])).toBe(2);
  });

  it('a file that is not JSON', async () => {
    const file = path.join(dir, 'x.json');
    fs.writeFileSync(file, '{ nope');
    expect(await main(['compile', file])).toBe(1);
    expect(err[0]).toMatch(/x\.json: model: not valid JSON/);
  });
});
