/**
 * Image fuzz in XS (SPEC 12): the same driver (test/model/fuzz-driver.ts)
 * runs at least 10^4 mutants of the test model's image in the XS engine
 * against the bundled core and in Node against src/; the verdicts (error
 * code and offset per mutant, and a digest of every accepted model) must be
 * identical, and no exception may escape the loader in XS (one would fail
 * the call). Also: the valid image loads in XS as the same model, and a
 * fossil record saved in Node restores in XS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreFossilRecord, saveFossilRecord, type FossilState } from '../../src/model/fossil-record.js';
import { ImageError } from '../../src/model/format.js';
import { startXs, type XsWorker } from '../../tools/xs/runner.js';
import { boxStackCompiled } from '../model/fixture.js';
import { FUZZ_DRIVER_SOURCE, nodeFuzz, type FuzzReply } from '../model/fuzz-driver.js';

const CASES = 10_000;
const PER_CALL = 1_000;

const SCENARIO = `
const fuzz = (${FUZZ_DRIVER_SOURCE})(M, undefined);
globalThis.scenario = (r) => {
  if (r.kind === 'fuzz') return fuzz(r);
  if (r.kind === 'load') {
    const res = M.loadImage(Uint8Array.from(r.image));
    return { error: res.error, offset: res.offset, model: res.model, sourceHash: res.sourceHash };
  }
  if (r.kind === 'fossil') {
    // Rebuild the engine-like parts, save them, restore the given blob into fresh ones.
    const make = (fill) => ({
      f: r.f, n: r.n, moduli: r.moduli, alpha: new Int32Array(r.moduli.length), level: 0, levels: r.levels,
      shells: r.shells.map((sh) => ({
        family: sh.family, level: sh.level, A: Int32Array.from(sh.A),
        fossil: Uint8Array.from(fill ? sh.fossil : sh.fossil.map(() => 0)),
        b: Int32Array.from(fill ? sh.b : sh.b0), bMin: Int32Array.from(sh.bMin), bMax: Int32Array.from(sh.bMax),
      })),
    });
    const saved = make(true);
    saved.alpha.set(r.alpha);
    saved.level = r.level;
    const blob = M.saveFossilRecord(saved);
    const target = make(false);
    const res = M.restoreFossilRecord(Uint8Array.from(r.blob), target);
    return {
      blob: Array.from(blob),
      res,
      alpha: Array.from(target.alpha),
      level: target.level,
      shells: target.shells.map((sh) => [Array.from(sh.fossil), Array.from(sh.b)]),
    };
  }
  throw new Error('unknown request ' + r.kind);
};
`;

let xs: XsWorker;
let image: number[];

beforeAll(async () => {
  xs = await startXs(SCENARIO);
  image = Array.from((await boxStackCompiled()).image);
});

afterAll(async () => {
  await xs?.close();
});

describe('image loader in XS', () => {
  it('loads the compiled image as the same model', async () => {
    const { model, sourceHash } = await boxStackCompiled();
    const { reply } = await xs.call<{ error: number; offset: number; model: unknown; sourceHash: number }>({ kind: 'load', image });
    expect(reply.error).toBe(0);
    expect(reply.model).toEqual(JSON.parse(JSON.stringify(model)));
    expect(reply.sourceHash >>> 0).toBe(sourceHash);
  });

  it('saves the same fossil record bytes as Node and restores one saved in Node', async () => {
    const { model } = await boxStackCompiled();
    const shells = model.families.flatMap((fam) =>
      fam.levels.map((p, l) => ({
        family: fam.index,
        level: l,
        A: p.A.flat(),
        fossil: p.A.map((_, i) => (i % 3 === 0 ? 1 : 0)),
        b: p.b.map((v, i) => v - 100 * i),
        b0: p.b,
        bMin: p.bMin ?? p.b.map((v) => v - 1000),
        bMax: p.bMax ?? p.b,
      })),
    );
    const state = (fill: boolean): FossilState => ({
      f: model.f ?? 16,
      n: model.n,
      moduli: model.moduli,
      alpha: Int32Array.from(fill ? [1, 1, 1] : [0, 0, 0]),
      level: fill ? 2 : 0,
      levels: model.levels.length,
      shells: shells.map((sh) => ({ ...sh, A: Int32Array.from(sh.A), fossil: Uint8Array.from(fill ? sh.fossil : sh.fossil.map(() => 0)), b: Int32Array.from(fill ? sh.b : sh.b0), bMin: Int32Array.from(sh.bMin), bMax: Int32Array.from(sh.bMax) })),
    });
    const blob = saveFossilRecord(state(true));
    const target = state(false);
    const res = restoreFossilRecord(blob, target);
    expect(res.status).toBe(0);
    const { reply } = await xs.call<{ blob: number[]; res: unknown; alpha: number[]; level: number; shells: number[][][] }>({
      kind: 'fossil',
      f: model.f ?? 16,
      n: model.n,
      moduli: model.moduli,
      levels: model.levels.length,
      alpha: [1, 1, 1],
      level: 2,
      shells,
      blob: Array.from(blob),
    });
    expect(reply.blob).toEqual(Array.from(blob));
    expect(reply.res).toEqual(res);
    expect(reply.alpha).toEqual(Array.from(target.alpha));
    expect(reply.level).toBe(target.level);
    expect(reply.shells).toEqual(target.shells.map((sh) => [Array.from(sh.fossil), Array.from(sh.b)]));
  });

  it(`${CASES} mutants: the same verdicts as Node, no exception`, async () => {
    const node = nodeFuzz();
    let accepted = 0;
    let refused = 0;
    for (let done = 0; done < CASES; done += PER_CALL) {
      const request = { kind: 'fuzz', image, seed: 0xb0a7 + done, count: PER_CALL, fixOneIn: 2 };
      const { reply } = await xs.call<FuzzReply>(request);
      const expected = node(request);
      expect(reply.out.length).toBe(expected.out.length);
      expect(reply).toEqual(expected);
      // Per mutant: kind, fixed, same, error, offset (+ a digest when accepted). No INTERNAL.
      for (let i = 0; i < reply.out.length; ) {
        const error = reply.out[i + 3];
        expect(error).not.toBe(ImageError.INTERNAL);
        i += error === ImageError.OK ? 6 : 5;
      }
      accepted += reply.accepted;
      refused += PER_CALL - reply.accepted;
    }
    expect(accepted + refused).toBe(CASES);
    expect(accepted).toBeGreaterThan(0);
    console.log(`xs image fuzz: ${CASES} mutants, ${accepted} accepted (unchanged or CRC-fixed valid models), ${refused} refused, verdicts identical to Node`);
  });
});
