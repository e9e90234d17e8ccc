/**
 * The model compiler (SPEC 3, 12; tools/model/): conversion of the JSON
 * format to the engine's ModelSpec (RNE of reals, raw values, angles,
 * residues, both sharpening forms), the checks with their exact messages,
 * the nesting and headroom proofs (HiGHS), the operator precomputation hook,
 * and the image it writes.
 */
import { describe, expect, it } from 'vitest';
import { createLinearOperator } from '../../src/engine/operators/linear.js';
import { ImageError, loadImage } from '../../src/model/index.js';
import { compileModel } from '../../tools/model/compile.js';
import { isPsd, modelFromJson, qText, rneDouble, rneShiftBig } from '../../tools/model/convert.js';
import { ModelError } from '../../tools/model/issues.js';
import { OPERATOR_KINDS } from '../../tools/model/operators.js';
import { computeK } from '../../tools/admm/precompute.js';
import { boxStack, boxStackCompiled } from './fixture.js';

/** The issues of a refused model as `path: rule` lines (sync conversion only). */
function convertIssues(json: unknown): string[] {
  try {
    modelFromJson(json);
  } catch (e) {
    if (e instanceof ModelError) return e.issues.map((i) => `${i.path}: ${i.rule}`);
    throw e;
  }
  return [];
}

/** The issues of a refused model, geometry included. */
async function compileIssues(json: unknown): Promise<string[]> {
  try {
    await compileModel(json);
  } catch (e) {
    if (e instanceof ModelError) return e.issues.map((i) => `${i.path}: ${i.rule}`);
    throw e;
  }
  return [];
}

/** The fixture, edited. */
function variant(edit: (m: Record<string, any>) => void): Record<string, any> {
  const m = boxStack();
  edit(m);
  return m;
}

describe('conversion', () => {
  it('rounds to nearest, ties to even, exactly', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999, 2.5000001].map(rneDouble)).toEqual([0, 2, 2, 0, -2, -2, 2, 3]);
    expect(Object.is(rneDouble(-0.5), -0)).toBe(false);
    expect(rneShiftBig(3n, 1)).toBe(2n);
    expect(rneShiftBig(5n, 1)).toBe(2n);
    expect(rneShiftBig(-3n, 1)).toBe(-2n);
    expect(rneShiftBig(-5n, 1)).toBe(-2n);
    expect(rneShiftBig(7n, 2)).toBe(2n);
    expect(qText(98304, 16)).toBe('1.5');
    expect(qText(-1, 16)).toBe('-0.0000152587890625');
    expect(qText(-0x80000000, 16)).toBe('-32768');
  });

  it('turns the fixture into the engine model: Q values, raw values, angles, residues, sharpening', async () => {
    const { model } = await boxStackCompiled();
    expect(model.f).toBe(16);
    expect(model.levels[0].beta).toBe(655); // 0.01 * 65536 = 655.36
    expect(model.levels[2].beta).toBe(131); // 131.072
    expect(model.caq.deltaMid).toBe(512);
    expect(model.caq.deltaMin).toBe(66); // 65.536
    expect(model.caq.rateShift).toBe(4); // an integer setting stays as written
    expect(model.operators[2]).toEqual({ kind: 'traversal', phase: 0x400000, gain: 32768 }); // a quarter turn
    expect(model.families[1].index).toBe(1); // residues [1, 1, 1]
    // Family 0, level 1: normals rotated by R (0.96 -> 62915, 0.28 -> 18350), offsets 4 - 1.5.
    const p1 = model.families[0].levels[1];
    expect(p1.A.slice(0, 4)).toEqual([
      [62915, 18350, 0],
      [-62915, -18350, 0],
      [-18350, 62915, 0],
      [18350, -62915, 0],
    ]);
    expect(p1.b).toEqual(new Array(6).fill(2.5 * 65536));
    expect(p1.shifts).toEqual([[1, 1, 1], null, null, null, null, null]); // inherited
    expect(p1.bMin).toBeUndefined(); // clamps are not inherited
    // Family 1: per-facet eps, then a raw eps of { q: 32768 }.
    expect(model.families[1].levels[1].b).toEqual([10, -4, 3, 3, 3, 3].map((v) => v * 65536));
    expect(model.families[1].levels[2].b).toEqual([9.5, -4.5, 2.5, 2.5, 2.5, 2.5].map((v) => v * 65536));
    expect(model.families[1].levels[2].A).toEqual(model.families[1].levels[0].A);
    // A full window metric is flattened row-major.
    expect(model.levels[2].windows?.[0]).toEqual({ metric: 'full', mu: [0, 0, 0], S: [131072, 32768, 0, 32768, 65536, 0, 0, 0, 65536], eps: 8 * 65536 });
  });

  it('keeps a suggested start x0 beside the model (host tools only, not in the image)', () => {
    const r = modelFromJson(variant((m) => (m.x0 = [0.5, { q: 3 }, -1])));
    expect(r.x0).toEqual([32768, 3, -65536]);
    expect('x0' in r.model).toBe(false);
    expect(modelFromJson(boxStack()).x0).toBeUndefined();
    expect(convertIssues(variant((m) => (m.x0 = [0, 0])))).toEqual(['x0: has 2 entries, n is 3']);
  });

  it('proves nesting facet by facet and bounds the outermost shells', async () => {
    const { geometry, image, model, warnings } = await boxStackCompiled();
    // Per family: 6 facets of level 0 against level 1, 6 of level 1 against level 2.
    expect(geometry.proofs.length).toBe(24);
    for (const p of geometry.proofs) expect(p.max).toBeLessThanOrEqual(p.b + 1e-9);
    expect(geometry.boxes).toEqual([
      { family: 0, lo: [-4, -4, -4], hi: [4, 4, 4] },
      { family: 1, lo: [3, -4, -4], hi: [11, 4, 4] },
    ]);
    expect(warnings).toEqual([]);
    const res = loadImage(image);
    expect(res.error).toBe(ImageError.OK);
    expect(res.model).toStrictEqual(model);
  });

  it('is reproducible: the same text gives the same bytes', async () => {
    const a = await compileModel(boxStack());
    const b = await compileModel(boxStack());
    expect(a.image).toEqual(b.image);
    expect(a.sourceHash).toBe(b.sourceHash);
  });

  it('decides positive semi-definiteness exactly', () => {
    expect(isPsd([1, 0, 0, 1], 2)).toBe(true);
    expect(isPsd([1, 1, 1, 1], 2)).toBe(true); // singular
    expect(isPsd([1, 2, 2, 1], 2)).toBe(false);
    expect(isPsd([0, 1, 1, 0], 2)).toBe(false);
    expect(isPsd([0, 0, 0, 0], 2)).toBe(true);
    expect(isPsd([2, -1, 0, -1, 2, -1, 0, -1, 2], 3)).toBe(true);
    // det = 4 * 4 - (2^31 - 1) ... a huge off-diagonal next to tiny diagonals.
    expect(isPsd([4, 2147483647, 2147483647, 4], 2)).toBe(false);
    expect(isPsd([65536, 65535, 65535, 65536], 2)).toBe(true);
  });
});

describe('refused models: every issue names the JSON path and the rule', () => {
  it('shapes and types (all issues at once)', () => {
    expect(convertIssues('nope')).toEqual(['model: must be a JSON object, got "nope"']);
    expect(
      convertIssues(
        variant((m) => {
          m.levels[0].bta = 1;
          delete m.caq.deltaMid;
          m.kMax = 2.5;
          m.levels[1].beta = { q: 1, x: 2 };
          m.levels[2].tau = { q: 3000000000 };
          m.families[0].levels[0].A[1][2] = 'one';
          m.operators[2].phase = 'x';
          m.operators[0].kind = '9lives';
          m.families[1].index = 1;
          m.gates.chi = 0;
        }),
      ),
    ).toEqual([
      'kMax: must be an integer, got 2.5',
      'families[0].levels[0].A[1][2]: must be a number or { "q": int32 }, got "one"',
      'families[1]: give index or residues, not both',
      'levels[0].bta: unknown field (known: beta, tol, tau, windows, order)',
      'levels[1].beta: a raw value is written { "q": int32 } and nothing else',
      'levels[2].tau.q: must be an int32 (raw Q units), got 3000000000',
      'operators[0].kind: must be 1..63 characters [A-Za-z0-9_-], starting with a letter or \'_\' (not \'__\'), got "9lives"',
      'operators[2].phase: must be a number or { "q": int32 }, got "x"',
      'gates.chi: must be an array, got 0',
      'caq.deltaMid: is required',
    ]);
  });

  it('lengths, counts and ranges (the engine checks, one at a time)', () => {
    const cases: [(m: Record<string, any>) => void, string[]][] = [
      [(m) => (m.families[0].levels[2].A[3] = [0, -1]), ['families[0].levels[2].A[3]: row has 2 entries, n is 3']],
      [(m) => m.families[1].levels[0].b.pop(), ['families[1].levels[0].b: has 5 entries, A has 6 rows']],
      [(m) => m.families[0].levels.pop(), ['families[0].levels: has 2 entries, the model has 3 levels']],
      [(m) => (m.levels[0].beta = 40000), ['levels[0].beta: 40000 is outside the range of Q15.16 (-32768 .. 32767.9999847412109375)']],
      [(m) => (m.levels[0].tol = -0.5), ['levels[0].tol: must be in 0..2147483647, got -32768']],
      [(m) => (m.n = 65), ['n: must be in 1..64, got 65']],
      [(m) => (m.f = 30), ['f: must be in 8..24, got 30']],
      [(m) => (m.history = 2000), ['history: must be in 1..1024, got 2000']],
      [(m) => (m.kMax = 8), ['kMax: must be at most the largest facet count m = 7, got 8']],
      [(m) => (m.gates.theta = 1.5), ['gates.theta: must be in 0..1 (0..65536 raw), got 1.5']],
      [(m) => (m.gates.omega = [1, 1]), ['gates.omega: has 2 entries, n is 3']],
      [(m) => (m.moduli = [3, 5, 9]), ['moduli[2]: 9 shares a factor 3 with moduli[0] = 3']],
      [(m) => (m.moduli = [2047, 2049, 1031]), ['moduli: product 4324326393 of moduli is not below 2^31']],
      [(m) => (m.moduli = [3, 5, 1]), ['moduli[2]: 1 is below 2']],
      [(m) => (m.families[1].residues = [1, 1, 9]), ['families[1].residues[2]: must be in 0..6 (moduli[2] is 7), got 9']],
      [(m) => (m.families[1] = { index: 0, levels: m.families[1].levels }), ['families[1].index: 0 is already mapped by families[0].index']],
      [(m) => (m.families[1] = { index: 105, levels: m.families[1].levels }), ['families[1].index: 105 is outside the indices 0..104']],
      [(m) => (m.families[0].levels[0].shifts[0] = [1, 1, 7]), ['families[0].levels[0].shifts[0][2]: must be in 0..6 (moduli[2] is 7), got 7']],
      [(m) => (m.families[0].levels[0].shifts[0] = [1, 1]), ['families[0].levels[0].shifts[0]: has 2 entries, there are 3 moduli']],
      [(m) => (m.families[0].levels[0].bMin[0] = 4.25), ['families[0].levels[0].bMin[0]: 4.25 is above b[0] = 4']],
      [(m) => (m.families[0].levels[0].bMax[5] = 3), ['families[0].levels[0].bMax[5]: 3 is below b[5] = 4']],
      [(m) => (m.levels[1].windows[0].mu = [0, 0]), ['levels[1].windows[0].mu: has 2 entries, n is 3']],
      [(m) => (m.levels[2].windows[0].S = [[1, 2, 0], [2, 1, 0], [0, 0, 1]]), ['levels[2].windows[0].S: the full metric is not positive semi-definite']],
      [(m) => (m.levels[2].windows[0].S[1][2] = 0.5), ['levels[2].windows[0].S[1][2]: not symmetric: S[1][2] = 32768 but S[2][1] = 0']],
      [(m) => (m.levels[2].windows[0].S = [1, 1, 1]), ['levels[2].windows[0].S: a full metric is written as n rows of n entries']],
      [(m) => (m.levels[1].windows[0].S = [1, -1, 1]), ['levels[1].windows[0].S[1]: a diagonal entry must be >= 0, got -65536']],
      [(m) => (m.levels[1].windows[0].eps = 0), ['levels[1].windows[0].eps: must be an integer in 1..2^31 - 1 (Q units), got 0']],
      [(m) => (m.families[0].levels[0] = { sharpen: { eps: 1 } }), ['families[0].levels[0].sharpen: the outermost shell must be written out (A and b): a sharpening rule derives a shell from the one outside it']],
      [(m) => (m.families[1].levels[1].sharpen.eps = [1, 1, 1, 1, 1]), ['families[1].levels[1].sharpen.eps: has 5 entries, the shell outside has 6 facets']],
      [(m) => (m.families[0].levels[1].sharpen.R = [[1, 0, 0], [0, 1, 0]]), ['families[0].levels[1].sharpen.R: has 2 rows, n is 3']],
      [(m) => (m.families[0].levels[1].sharpen.R[1] = [0, 1]), ['families[0].levels[1].sharpen.R[1]: row has 2 entries, n is 3']],
      [(m) => (m.caq.deltaMid = 0.0001), ['caq.deltaMid: must be an integer in 66..2147483647, got 7']],
      [(m) => (m.caq.stableVar = [1, 1]), ['caq.stableVar: must have length 3, got 2']],
      [(m) => (m.caq.rateShift = 16), ['caq.rateShift: must be an integer in 1..15, got 16']],
      [(m) => (m.operators[0].M = [[1, 0, 0], [0, 1], [0, 0, 1]]), ['operators[0].M: row 1 has 2 entries, n is 3']],
      [(m) => (m.operators[0].K = 1), ['operators[0].K: unknown parameter (known: M, c)']],
      [(m) => (m.operators[1].eta = [1]), ['operators[1].eta: must be an int32 (Q units), got an array of 1']],
    ];
    for (const [edit, expected] of cases) expect(convertIssues(variant(edit)), expected[0]).toEqual(expected);
  });

  it('JSON text that is not JSON', async () => {
    await expect(compileModel('{ "n": 3,')).rejects.toThrow(/^model: not valid JSON/);
  });
});

describe('geometry: nesting, emptiness, boundedness, headroom (LPs)', () => {
  it('names the family, level and facet that break nesting', async () => {
    const issues = await compileIssues(variant((m) => (m.families[0].levels[2].b[0] = 3)));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^families\[0\]\.levels\[2\]: not nested in levels\[1\]: facet 0 \(A\[0\] x <= b\[0\] = 2\.5\) reaches 3\.300018310546875 \(52430 Q units beyond\) at x = \[3, 1\.5, -?[\d.]+\]$/);
  });

  it('every facet that breaks nesting is reported; one Q unit beyond is refused, equal is accepted', async () => {
    // Family 1, level 2 written out against level 1 (b = [10, -4, 3, 3, 3, 3]): facets 0 and 5 one unit out.
    const out = await compileIssues(variant((m) => (m.families[1].levels[2] = { A: m.families[1].levels[0].A, b: [{ q: 10 * 65536 + 1 }, -4, 3, 3, 3, { q: 3 * 65536 + 1 }] })));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^families\[1\]\.levels\[2\]: not nested in levels\[1\]: facet 0 \(A\[0\] x <= b\[0\] = 10\) reaches 10\.0000152587890625 \(1 Q unit beyond\) at x = /);
    expect(out[1]).toMatch(/^families\[1\]\.levels\[2\]: not nested in levels\[1\]: facet 5 \(A\[5\] x <= b\[5\] = 3\) reaches 3\.0000152587890625 \(1 Q unit beyond\) at x = /);
    expect(await compileIssues(variant((m) => (m.families[1].levels[2] = { A: m.families[1].levels[0].A, b: [10, -4, 3, 3, 3, 3] })))).toEqual([]);
  });

  it('an unbounded inner shell, an empty one, an unbounded outermost one', async () => {
    expect(
      await compileIssues(
        variant((m) => {
          const A = m.families[1].levels[0].A.slice(0, 5);
          m.families[1].levels[2] = { A, b: [9, -5, 2, 2, 2] };
        }),
      ),
    ).toEqual(['families[1].levels[2]: not nested in levels[1]: unbounded in the direction of facet 5 of levels[1] (A[5] x <= b[5] = 3)']);
    expect(await compileIssues(variant((m) => (m.families[1].levels[2] = { A: m.families[1].levels[0].A, b: [4.5, -5.5, 2, 2, 2, 2] })))).toEqual([
      'families[1].levels[2]: the polytope is empty (no x satisfies A x <= b)',
    ]);
    expect(
      await compileIssues(
        variant((m) => {
          const p = m.families[0].levels[0];
          for (const key of ['A', 'b', 'shifts', 'bMin', 'bMax']) p[key].pop();
          m.families[0].levels[2].A.splice(5, 1);
          m.families[0].levels[2].b.splice(5, 1);
          m.families[0].levels[2].shifts.splice(5, 1);
        }),
      ),
    ).toEqual(['families[0].levels[0]: the outermost shell is unbounded (x[2] has no lower bound): the state range cannot be proved']);
  });

  it('headroom: the state range and the int32 range of <a, x> and of the slack', async () => {
    expect(await compileIssues(variant((m) => (m.families[1].levels[0].b[0] = 20000)))).toEqual([
      'families[1].levels[0]: x[0] reaches 20000 on the outermost shell; the state range is |x| < 2^30 raw (16384 in Q15.16)',
    ]);
    const issues = await compileIssues(
      variant((m) => {
        m.f = 24;
        delete m.families[0].levels[1].sharpen.R; // a rotated box of 48.5 would not fit in one of 50
        m.families[0].levels[0].b = [50, 50, 50, 50, 50, 50];
        m.families[0].levels[0].bMin = [49.5, 49.5, 49.5, 49.5, 49.5, 49.5];
        m.families[0].levels[0].bMax = [50.5, 50.5, 50.5, 50.5, 50.5, 50.5];
      }),
    );
    expect(issues).toEqual([
      'families[0].levels[2].A[6]: <a, x> over the outermost shell spans -150 .. 150: it or the slack b - <a, x> leaves the int32 range of Q7.24',
    ]);
  });

  it('warns when a linear operator can saturate on the outermost shell', async () => {
    const r = await compileModel(variant((m) => (m.operators[0].M = [[5000, 0, 0], [0, 0.5, 0], [0, 0, 0.5]])));
    expect(r.warnings.map((w) => `${w.path}: ${w.rule}`)).toEqual([
      'operators[0].M[0]: (M x + c)[0] can reach 55000.1 on the outermost shell of families[1] and saturate',
    ]);
  });
});

describe('operators', () => {
  it('a kind that is not built in is kept, with a warning, its parameters as Q values or raw', async () => {
    const r = await compileModel(variant((m) => m.operators.push({ kind: 'pid', kp: 0.5, taps: [1, { q: 3 }], W: [[0.25, 0], [0, 0.25]] })));
    expect(r.model.operators[3]).toEqual({ kind: 'pid', kp: 32768, taps: [65536, 3], W: [[16384, 0], [0, 16384]] });
    expect(r.warnings.map((w) => w.path)).toEqual(['operators[3].kind']);
    expect(loadImage(r.image).model?.operators[3]).toEqual(r.model.operators[3]);
  });

  it('admm: K (and its kShift) are precomputed on the host from the quantized P, C, rho, sigma', async () => {
    const admm = { kind: 'admm', P: [[1, 0, 0], [0, 2, 0], [0, 0, 1]], q: [0.5, 0, -0.25], C: [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], l: [-1, -1, -1, { q: -2147483648 }], u: [1, 1, 1, 1.5], rho: 0.1, sigma: 0.001, alpha: 1.6, iterations: 5 };
    const r = await compileModel(variant((m) => m.operators.push(admm)));
    const op = r.model.operators[3];
    const { K, kShift } = computeK(16, { P: op.P as number[][], C: op.C as number[][], rho: op.rho as number, sigma: op.sigma as number });
    expect(op.K).toEqual(K);
    expect(op.kShift).toBe(kShift);
    expect(op.iterations).toBe(5);
    expect(op.l).toEqual([-65536, -65536, -65536, -2147483648]);
    expect(loadImage(r.image).model?.operators[3]).toEqual(op);
    expect(r.warnings).toEqual([]);
    // A given kShift is kept; K must fit it.
    const fixed = modelFromJson(variant((m) => m.operators.push({ ...admm, kShift: 20 }))).model.operators[3];
    expect(fixed.kShift).toBe(20);
    expect(fixed.K).toEqual(computeK(16, { P: op.P as number[][], C: op.C as number[][], rho: op.rho as number, sigma: op.sigma as number }, 20).K);
    expect(convertIssues(variant((m) => m.operators.push({ ...admm, kShift: 40 })))).toEqual([
      expect.stringMatching(/^operators\[3\]\.K\[0\]\[0\]: .* does not fit 40 fractional bits/),
    ]);
    expect(convertIssues(variant((m) => m.operators.push({ ...admm, sigma: 0 })))).toEqual(['operators[3].sigma: must be positive to precompute K']);
    expect(convertIssues(variant((m) => m.operators.push({ ...admm, C: [[1, 0]] })))).toEqual(['operators[3].C[0]: has 2 entries, n is 3']);
  });

  it('the precomputation hook adds parameters the board need not compute, and reports with a path', async () => {
    const kinds = {
      ...OPERATOR_KINDS,
      scaled: {
        units: { iters: 'int' as const },
        precompute: ({ params, path, f }: { params: Record<string, unknown>; path: string; f: number }) => {
          const g = params.gain as number;
          if (g === 0) throw new RangeError(`${path}.gain: must not be 0 (its inverse is precomputed)`);
          return { inverse: Math.round(2 ** (2 * f) / g) };
        },
      },
    };
    const table = {
      linear: createLinearOperator,
      drift: createLinearOperator,
      traversal: createLinearOperator,
      scaled: (_q: unknown, _n: number, p: Record<string, unknown>) => {
        if (typeof p.inverse !== 'number' || p.iters !== 3) throw new RangeError('operators[3].inverse: missing');
        return { name: 'scaled', apply() {} };
      },
    };
    const base = variant((m) => {
      m.operators = [{ kind: 'linear', M: m.operators[0].M }, { kind: 'scaled', gain: 2, iters: 3 }];
    });
    const { model } = modelFromJson(base, { operatorKinds: kinds, operatorTable: table });
    expect(model.operators[1]).toEqual({ kind: 'scaled', gain: 131072, iters: 3, inverse: 32768 });
    const bad = structuredClone(base);
    bad.operators[1].gain = 0;
    expect(() => modelFromJson(bad, { operatorKinds: kinds, operatorTable: table })).toThrow('operators[1].gain: must not be 0 (its inverse is precomputed)');
    const frac = structuredClone(base);
    frac.operators[1].iters = 2.5;
    expect(() => modelFromJson(frac, { operatorKinds: kinds, operatorTable: table })).toThrow('operators[1].iters: must be an integer (this parameter is a count), got 2.5');
  });
});
