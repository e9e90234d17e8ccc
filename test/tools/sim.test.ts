/**
 * `matrioshka sim`, run as a user would: every example gives the same digest
 * in Node and in XS, writes its plot and trace, and bad input gets a clear
 * message and the right exit code.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = path.resolve('bin/matrioshka.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mtk-sim-'));

async function sim(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [CLI, 'sim', ...args], { maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const EXAMPLES: [string, number][] = [
  ['gyroid', 400],
  ['meta-polytope', 200],
  ['safety-filter', 100],
  ['safety-filter-infeasible', 20],
];

describe('matrioshka sim', () => {
  for (const [name, steps] of EXAMPLES) {
    it(`${name}: the same digest in Node and in XS`, async () => {
      const file = `examples/${name}.json`;
      const node = await sim([file, '--steps', String(steps), '--json']);
      const xs = await sim([file, '--steps', String(steps), '--json', '--engine', 'xs']);
      expect(node.code, node.stderr).toBe(0);
      expect(xs.code, xs.stderr).toBe(0);
      const a = JSON.parse(node.stdout);
      const b = JSON.parse(xs.stdout);
      expect(b.digest).toBe(a.digest);
      expect(b.traceDigest).toBe(a.traceDigest);
      expect(b.results).toEqual(a.results);
      expect(a.steps).toBe(steps);
    });
  }

  it('tells what each example is for in its results', async () => {
    const meta = JSON.parse((await sim(['examples/meta-polytope.json', '--steps', '200', '--json'])).stdout);
    expect(meta.results.SWITCHED).toBe(2);
    expect(meta.final.alpha).toEqual([2, 2, 2]);
    expect(meta.boundaries[0].reason).toBe('EXTERIOR');
    const safe = JSON.parse((await sim(['examples/safety-filter.json', '--steps', '100', '--json'])).stdout);
    expect(safe.fixedPoints).toEqual([[49152, 16384]]); // (0.75, 0.25)
    const bad = JSON.parse((await sim(['examples/safety-filter-infeasible.json', '--steps', '5', '--json'])).stdout);
    expect(bad.boundaryRecords).toBe(5);
    expect(bad.boundaries[0].reason).toBe('INFEASIBLE');
    expect(bad.final.x).toEqual([0, 0]);
  });

  it('writes the plot and the trace, and prints a human summary', async () => {
    const svg = path.join(tmp, 'g.svg');
    const csv = path.join(tmp, 'g.csv');
    const r = await sim(['examples/gyroid.json', '--steps', '50', '--svg', svg, '--trace', csv, '--axes', '0,2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gyroid: 50 steps in node/);
    expect(r.stdout).toMatch(/results: MOVED \d+/);
    expect(r.stdout).toMatch(/digest [0-9a-f]{8}/);
    const plot = fs.readFileSync(svg, 'utf8');
    expect(plot).toMatch(/^<svg /);
    expect(plot).toMatch(/family 0, level 2/);
    expect(plot).toMatch(/axes x0 \(right\), x2 \(up\)/);
    const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('step,result,x0,x1,x2');
    expect(lines).toHaveLength(51);
    const jsonl = path.join(tmp, 'g.jsonl');
    await sim(['examples/gyroid.json', '--steps', '3', '--trace', jsonl]);
    expect(JSON.parse(fs.readFileSync(jsonl, 'utf8').split('\n')[0])).toMatchObject({ step: 1 });
  });

  it('refuses bad input with a message that names what is wrong', async () => {
    const broken = path.join(tmp, 'broken.json');
    const model = JSON.parse(fs.readFileSync('examples/gyroid.json', 'utf8'));
    model.families[0].levels[1].A[3] = [0, -1];
    fs.writeFileSync(broken, JSON.stringify(model));
    const image = path.join(tmp, 'g.mtk');
    await run('node', [CLI, 'compile', 'examples/gyroid.json', '-o', image]);
    const bytes = fs.readFileSync(image);
    expect((await sim([image, '--steps', '5'])).code).toBe(0);
    bytes[bytes.length - 10] ^= 0x40;
    const corrupt = path.join(tmp, 'corrupt.mtk');
    fs.writeFileSync(corrupt, bytes);
    const cases: [string[], number, RegExp][] = [
      [[corrupt], 1, /corrupt\.mtk: not a valid image: .*CRC/],
      [['nope.json'], 1, /nope\.json: cannot read \(ENOENT\)/],
      [[broken], 1, /families\[0\]\.levels\[1\]\.A\[3\]: row has 2 entries, n is 3/],
      [['examples/gyroid.json', '--axes', '0,7'], 2, /--axes 0,7: the model has 3 axes/],
      [['examples/gyroid.json', '--x0', '1,2'], 2, /--x0 must be 3 comma-separated numbers/],
      [['examples/gyroid.json', '--trace', 'out.txt'], 2, /--trace must name a \.jsonl or \.csv file/],
      [['examples/gyroid.json', '--engine', 'gpu'], 2, /--engine must be one of node, xs/],
    ];
    for (const [args, code, message] of cases) {
      const r = await sim(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.stderr).toMatch(message);
    }
  });
});
