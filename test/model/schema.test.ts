/**
 * schema/model.schema.json and the compiler's hand-written checks
 * (tools/model/check.ts and the engine checks that convert.ts runs) agree.
 *
 * The schema is read by a real, independent JSON Schema validator (ajv,
 * draft 2020-12; a test-only dependency): writing our own schema
 * interpreter would only test that interpreter, not that the schema file
 * means what the checks do. On every example:
 * - a model the schema refuses, the checks refuse too (with the path the
 *   example names);
 * - a model the checks accept, the schema accepts too;
 * - a model the schema accepts but the checks refuse breaks a rule between
 *   fields (a length against n or m, coprime moduli, ...), which JSON
 *   Schema cannot express; each such example says so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { modelFromJson } from '../../tools/model/convert.js';
import { ModelError } from '../../tools/model/issues.js';
import { boxStack } from './fixture.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/model.schema.json'), 'utf8')) as object;

type AjvClass = new (opts: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] | null } };
const Ajv2020 = ((Ajv2020Module as unknown as { default?: AjvClass }).default ?? Ajv2020Module) as unknown as AjvClass;
const validate = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false }).compile(schema);

/** The checks' verdict: null if accepted, else the first issue's path. */
function checks(json: unknown): string | null {
  try {
    modelFromJson(json);
    return null;
  } catch (e) {
    if (e instanceof ModelError) return e.issues[0].path;
    throw e;
  }
}

function variant(edit: (m: Record<string, any>) => void): Record<string, any> {
  const m = boxStack();
  edit(m);
  return m;
}

/** Good models: both accept. */
const GOOD: [string, unknown][] = [
  ['the fixture', boxStack()],
  [
    'without any optional field',
    variant((m) => {
      for (const k of ['$schema', 'name', 'description', 'f', 'gates', 'searchCap', 'projectIters', 'pressureLeak']) delete m[k];
      delete m.levels[1].windows;
      delete m.levels[2].windows;
      const p = m.families[0].levels[0];
      delete p.shifts;
      delete p.bMin;
      delete p.bMax;
      delete m.families[0].levels[2].shifts;
      delete m.families[1].levels[0].shifts;
    }),
  ],
  ['raw values everywhere they may be', variant((m) => ((m.levels[0].beta = { q: 655 }), (m.caq.varInit = { q: 65536 }), (m.operators[0].c = [{ q: 8192 }, 0, 0])))],
  ['a firmware operator with scalar, vector and matrix parameters', variant((m) => m.operators.push({ kind: 'pid-2', kp: 0.5, taps: [], W: [[1]] }))],
  ['family index instead of residues', variant((m) => (m.families[1] = { index: 1, levels: m.families[1].levels }))],
  ['a suggested start x0', variant((m) => (m.x0 = [0.5, 1, { q: -3 }]))],
  ['an admm operator (K precomputed)', variant((m) => m.operators.push({ kind: 'admm', P: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], q: [0, 0, 0], C: [[1, 0, 0]], l: [{ q: -2147483648 }], u: [1], rho: 0.1, sigma: 0.001, alpha: 1.6 }))],
];

/** Bad models: [what, model, schema verdict, first path the checks name]. */
const BAD: [string, unknown, 'refuses' | 'accepts (cross-field rule)', string][] = [
  ['not an object', [1, 2], 'refuses', 'model'],
  ['missing n', variant((m) => delete m.n), 'refuses', 'n'],
  ['unknown top-level field', variant((m) => (m.colour = 'red')), 'refuses', 'colour'],
  ['n out of range', variant((m) => (m.n = 0)), 'refuses', 'n'],
  ['f out of range', variant((m) => (m.f = 25)), 'refuses', 'f'],
  ['fractional kMax', variant((m) => (m.kMax = 1.5)), 'refuses', 'kMax'],
  ['kMax too large', variant((m) => (m.kMax = 300)), 'refuses', 'kMax'],
  ['history too large', variant((m) => (m.history = 5000)), 'refuses', 'history'],
  ['pressureLeak 0', variant((m) => (m.pressureLeak = 0)), 'refuses', 'pressureLeak'],
  ['modulus 1', variant((m) => (m.moduli = [3, 5, 1])), 'refuses', 'moduli[2]'],
  ['nine moduli', variant((m) => (m.moduli = [2, 3, 5, 7, 11, 13, 17, 19, 23])), 'refuses', 'moduli'],
  ['no families', variant((m) => (m.families = [])), 'refuses', 'families'],
  ['family with index and residues', variant((m) => (m.families[1].index = 1)), 'refuses', 'families[1]'],
  ['family without an index', variant((m) => delete m.families[1].residues), 'refuses', 'families[1].index'],
  ['a string in A', variant((m) => (m.families[0].levels[0].A[0][0] = '1')), 'refuses', 'families[0].levels[0].A[0][0]'],
  ['raw value with an extra key', variant((m) => (m.levels[0].tol = { q: 0, r: 1 })), 'refuses', 'levels[0].tol'],
  ['raw value not an int32', variant((m) => (m.levels[0].tol = { q: 0.5 })), 'refuses', 'levels[0].tol.q'],
  ['sharpen rule with a stray field', variant((m) => (m.families[1].levels[1].A = [])), 'refuses', 'families[1].levels[1].A'],
  ['sharpen rule without eps', variant((m) => (m.families[1].levels[1].sharpen = {})), 'refuses', 'families[1].levels[1].sharpen.eps'],
  ['window metric unknown', variant((m) => (m.levels[1].windows[0].metric = 'euclid')), 'refuses', 'levels[1].windows[0].metric'],
  ['full window metric written flat', variant((m) => (m.levels[2].windows[0].S = [1, 0, 0, 0, 1, 0, 0, 0, 1])), 'refuses', 'levels[2].windows[0].S'],
  ['operator without kind', variant((m) => delete m.operators[0].kind), 'refuses', 'operators[0].kind'],
  ['operator parameter name with a space', variant((m) => (m.operators[0]['my gain'] = 1)), 'refuses', 'operators[0].my gain'],
  ['operator parameter of strings', variant((m) => (m.operators[0].c = ['a'])), 'refuses', 'operators[0].c[0]'],
  ['caq missing a field', variant((m) => delete m.caq.fossilSteps), 'refuses', 'caq.fossilSteps'],
  ['caq rateShift too large', variant((m) => (m.caq.rateShift = 20)), 'refuses', 'caq.rateShift'],
  ['caq gardenShift negative', variant((m) => (m.caq.gardenShift = -1)), 'refuses', 'caq.gardenShift'],
  ['shift residue negative', variant((m) => (m.families[0].levels[0].shifts[0] = [-1, 0, 0])), 'refuses', 'families[0].levels[0].shifts[0][0]'],
  // Rules between fields: the schema cannot see them.
  ['A row of the wrong length', variant((m) => (m.families[0].levels[2].A[3] = [0, -1])), 'accepts (cross-field rule)', 'families[0].levels[2].A[3]'],
  ['b of the wrong length', variant((m) => m.families[1].levels[0].b.pop()), 'accepts (cross-field rule)', 'families[1].levels[0].b'],
  ['moduli sharing a factor', variant((m) => (m.moduli = [3, 5, 9])), 'accepts (cross-field rule)', 'moduli[2]'],
  ['stableVar not one per level', variant((m) => (m.caq.stableVar = [1])), 'accepts (cross-field rule)', 'caq.stableVar'],
  ['deltaMid below deltaMin', variant((m) => (m.caq.deltaMid = 0.0001)), 'accepts (cross-field rule)', 'caq.deltaMid'],
  ['a value beyond the Q format', variant((m) => (m.levels[0].beta = 1e6)), 'accepts (cross-field rule)', 'levels[0].beta'],
  ['kMax above the largest facet count', variant((m) => (m.kMax = 200)), 'accepts (cross-field rule)', 'kMax'],
  ['x0 of the wrong length', variant((m) => (m.x0 = [0])), 'accepts (cross-field rule)', 'x0'],
  ['x0 not numbers', variant((m) => (m.x0 = ['a', 0, 0])), 'refuses', 'x0[0]'],
  ['window centre of the wrong length', variant((m) => (m.levels[1].windows[0].mu = [0])), 'accepts (cross-field rule)', 'levels[1].windows[0].mu'],
  ['sharpening at level 0', variant((m) => (m.families[1].levels[0] = { sharpen: { eps: 1 } })), 'accepts (cross-field rule)', 'families[1].levels[0].sharpen'],
];

describe('schema and checks agree', () => {
  it('the schema compiles under ajv strict mode', () => {
    expect(typeof validate).toBe('function');
  });

  it.each(GOOD.map(([what, json]) => ({ what, json })))('both accept: $what', ({ json }) => {
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(checks(json)).toBeNull();
  });

  it.each(BAD.map(([what, json, schemaVerdict, path]) => ({ what, json, schemaVerdict, path })))('$what: schema $schemaVerdict, checks refuse at $path', ({ json, schemaVerdict, path }) => {
    expect(validate(json)).toBe(schemaVerdict !== 'refuses');
    expect(checks(json)).toBe(path);
  });
});
