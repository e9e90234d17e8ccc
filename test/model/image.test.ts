/**
 * The image loader (SPEC 12, src/model/loader.ts) and writer
 * (tools/model/image-writer.ts): round trips, the canonical encoding, and
 * every error code from a targeted change, with the offset it names.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import type { ModelSpec } from '../../src/engine/model.js';
import {
  IMAGE_ERROR_MESSAGES,
  ImageError,
  ImageHeader,
  ImageModelFlag,
  ImageParamType,
  ImageSection,
  loadImage,
  type LoadResult,
} from '../../src/model/index.js';
import { writeImage } from '../../tools/model/image-writer.js';
import type { CompileResult } from '../../tools/model/compile.js';
import { boxStackCompiled } from './fixture.js';
import { edited, getI32, sectionContent, sections, setI32, setU16 } from './image-util.js';

let compiled: CompileResult;
let image: Uint8Array;

beforeAll(async () => {
  compiled = await boxStackCompiled();
  image = compiled.image;
});

/** The error and offset of a load (or OK). */
function verdict(res: LoadResult): [number, number] {
  return [res.error, res.offset];
}

/** A clone of the fixture's model. */
function model(): ModelSpec {
  return structuredClone(compiled.model);
}

describe('round trip', () => {
  it('loads the compiled image back as the compiled model, with the source hash', () => {
    const res = loadImage(image);
    expect(res.error).toBe(ImageError.OK);
    if (res.error !== ImageError.OK) return;
    expect(res.model).toStrictEqual(compiled.model);
    expect(res.sourceHash >>> 0).toBe(compiled.sourceHash);
    // Canonical: writing the loaded model gives the same bytes.
    expect(writeImage(res.model, { sourceHash: res.sourceHash })).toEqual(image);
  });

  it('keeps absent options absent and present ones present', () => {
    const m = model();
    delete m.f;
    delete m.gates;
    delete m.searchCap;
    delete m.pressureLeak;
    m.projectIters = 12;
    m.levels[1].windows = [];
    delete m.levels[2].windows;
    delete m.families[0].levels[0].shifts;
    delete m.families[0].levels[0].bMax;
    const img = writeImage(m);
    const res = loadImage(img);
    expect(res.error).toBe(ImageError.OK);
    expect(res.model).toStrictEqual(m);
    expect(res.model && 'f' in res.model).toBe(false);
    expect(img[ImageHeader.F]).toBe(16);
  });

  it('stores operator parameters generically: scalars, vectors (also empty), matrices, any kind', () => {
    const m = model();
    m.operators.push({ kind: 'firmware-op_2', gain: -7, table: [1, -2, 2147483647, -2147483648], none: [], W: [[1, 2], [3, 4], [5, 6]] });
    const res = loadImage(writeImage(m));
    expect(res.error).toBe(ImageError.OK);
    expect(res.model?.operators[3]).toStrictEqual({ kind: 'firmware-op_2', gain: -7, table: [1, -2, 2147483647, -2147483648], none: [], W: [[1, 2], [3, 4], [5, 6]] });
  });

  it('the loaded model builds an engine (the shapes are the engine\'s)', () => {
    const res = loadImage(image);
    if (res.error !== ImageError.OK) throw new Error(IMAGE_ERROR_MESSAGES[res.error]);
    const engine = createEngine(res.model);
    expect(engine.n).toBe(3);
    expect(engine.levels).toBe(3);
    expect(engine.operators.map((op) => op.name)).toEqual(['linear', 'drift', 'traversal']);
  });

  it('accepts a view into a larger buffer', () => {
    const big = new Uint8Array(image.length + 16);
    big.set(image, 8);
    expect(loadImage(big.subarray(8, 8 + image.length)).error).toBe(ImageError.OK);
  });

  it('has a message for every error code', () => {
    for (const code of Object.values(ImageError)) expect(IMAGE_ERROR_MESSAGES[code]).toMatch(/\w/);
    expect(IMAGE_ERROR_MESSAGES.length).toBe(Object.keys(ImageError).length);
  });
});

describe('writer refuses what the format cannot hold', () => {
  it('names the field', () => {
    const cases: [(m: ModelSpec) => void, RegExp][] = [
      [(m) => ((m as unknown as Record<string, unknown>).extra = 1), /image writer: extra: field not in image format v1/],
      [(m) => ((m.levels[0] as unknown as Record<string, unknown>).note = 'x'), /levels\[0\]\.note: field not in image format v1/],
      [(m) => m.operators.push({ kind: 'x', mode: 'fast' }), /operators\[3\]\.mode: an image stores int32 scalars, vectors and matrices only/],
      [(m) => m.operators.push({ kind: 'x', W: [[1, 2], [3]] }), /operators\[3\]\.W\[1\]: row has 1 entries, row 0 has 2/],
      [(m) => m.operators.push({ kind: 'bad name' }), /operators\[3\]\.kind: name "bad name"/],
      [(m) => m.operators.push({ kind: 'x', v: 1.5 }), /operators\[3\]\.v: must be an int32, got 1.5/],
      [(m) => (m.families[1].levels[0].shifts![1] = [2, 4, 7]), /families\[1\]\.levels\[0\]\.shifts\[1\]\[2\]: must be in 0..6, got 7/],
      [(m) => (m.kMax = 0), /kMax: must be in 1..256, got 0/],
    ];
    for (const [edit, message] of cases) {
      const m = model();
      edit(m);
      expect(() => writeImage(m)).toThrow(message);
    }
  });
});

describe('refused images name the error and the offset', () => {
  it('before the CRC: size, magic, version, header size, total size', () => {
    const len = image.length;
    expect(verdict(loadImage(new Uint8Array(0)))).toEqual([ImageError.TOO_SHORT, 0]);
    expect(verdict(loadImage(image.slice(0, 43)))).toEqual([ImageError.TOO_SHORT, 43]);
    expect(verdict(loadImage(edited(image, (b) => (b[0] = 0x6d))))).toEqual([ImageError.BAD_MAGIC, 0]);
    expect(verdict(loadImage(edited(image, (b) => setU16(b, 4, 2))))).toEqual([ImageError.BAD_VERSION, 4]);
    expect(verdict(loadImage(edited(image, (b) => setU16(b, 6, 44))))).toEqual([ImageError.BAD_HEADER, 6]);
    for (const total of [0, 43, len + 2, 0x400004, 0x7fffffff, -1, -0x80000000]) {
      expect(verdict(loadImage(edited(image, (b) => setI32(b, 8, total))))).toEqual([ImageError.BAD_SIZE, 8]);
    }
    expect(verdict(loadImage(image.slice(0, len - 4)))).toEqual([ImageError.TRUNCATED, len - 4]);
    const longer = new Uint8Array(len + 4);
    longer.set(image);
    expect(verdict(loadImage(longer))).toEqual([ImageError.TRAILING_BYTES, len]);
  });

  it('a changed byte anywhere after the magic is a CRC error (or caught before it)', () => {
    const len = image.length;
    for (let at = 8; at < len; at++) {
      const b = image.slice();
      b[at] ^= 0x10;
      const res = loadImage(b);
      if (at < 12) expect(res.error).not.toBe(ImageError.OK);
      else expect(verdict(res)).toEqual([ImageError.BAD_CRC, len - 4]);
    }
  });

  it('header fields (CRC fixed up)', () => {
    const cases: [(b: Uint8Array) => void, number, number][] = [
      [(b) => setU16(b, ImageHeader.RESERVED0, 1), ImageError.BAD_HEADER, 30],
      [(b) => setI32(b, ImageHeader.RESERVED1, 1), ImageError.BAD_HEADER, 36],
      [(b) => (b[ImageHeader.F] = 7), ImageError.BAD_DIMENSION, 12],
      [(b) => (b[ImageHeader.F] = 25), ImageError.BAD_DIMENSION, 12],
      [(b) => (b[ImageHeader.N] = 0), ImageError.BAD_DIMENSION, 13],
      [(b) => (b[ImageHeader.N] = 65), ImageError.BAD_DIMENSION, 13],
      [(b) => (b[ImageHeader.MODULI] = 9), ImageError.BAD_DIMENSION, 14],
      [(b) => (b[ImageHeader.LEVELS] = 0), ImageError.BAD_DIMENSION, 15],
      [(b) => (b[ImageHeader.LEVELS] = 33), ImageError.BAD_DIMENSION, 15],
      [(b) => setU16(b, ImageHeader.FAMILIES, 0), ImageError.BAD_DIMENSION, 16],
      [(b) => setU16(b, ImageHeader.OPERATORS, 65), ImageError.BAD_DIMENSION, 18],
      [(b) => setI32(b, ImageHeader.FLAGS, getI32(b, ImageHeader.FLAGS) | 64), ImageError.BAD_FLAGS, 20],
      [(b) => ((b[ImageHeader.F] = 20), setI32(b, ImageHeader.FLAGS, getI32(b, ImageHeader.FLAGS) & ~ImageModelFlag.F)), ImageError.BAD_FLAGS, 12],
      [(b) => setI32(b, ImageHeader.FACETS, getI32(b, ImageHeader.FACETS) + 1), ImageError.BAD_COUNT, 24],
      [(b) => setU16(b, ImageHeader.M_MAX, 6), ImageError.BAD_COUNT, 28],
      // One modulus fewer: the MODU section no longer has the size the header implies.
      [(b) => (b[ImageHeader.MODULI] = 2), ImageError.BAD_SECTION_SIZE, 44],
      // One level more: CAQ is sized from the level count.
      [(b) => (b[ImageHeader.LEVELS] = 4), ImageError.BAD_SECTION_SIZE, sections(image)[2].at + 4],
    ];
    for (const [edit, code, at] of cases) expect(verdict(loadImage(edited(image, edit)))).toEqual([code, at]);
  });

  it('sections: tags, lengths, counts, values, names (CRC fixed up)', () => {
    const s = sections(image);
    const levl = sectionContent(image, ImageSection.LEVELS);
    const poly = sectionContent(image, ImageSection.POLYTOPES);
    const oper = sectionContent(image, ImageSection.OPERATORS);
    // Level 1 (after level 0's five words) has one window: its metric follows its five words.
    const metric1 = levl + 20 + 20;
    // Family 0, level 0: A (18), b (6), bMin (6), bMax (6), then 6 shift flags and 6 x 3 residues.
    const shiftFlags = poly + 4 * (18 + 6 + 6 + 6);
    const residues = shiftFlags + 4 * 6;
    // Operator 0: size, name 'linear' (8 bytes), count, then parameter 'M' (4 bytes of name), its type.
    const kindName = oper + 4;
    const firstParamName = oper + 4 + 8 + 4;
    const firstParamType = firstParamName + 4;
    const cases: [(b: Uint8Array) => void, number, number][] = [
      [(b) => setI32(b, s[0].at, 0x12345678), ImageError.BAD_SECTION, s[0].at],
      [(b) => setI32(b, s[0].at + 4, 8), ImageError.BAD_SECTION_SIZE, s[0].at + 4],
      [(b) => setI32(b, s[3].at + 4, 0), ImageError.BAD_SECTION_SIZE, s[3].at + 4],
      [(b) => setI32(b, s[4].at + 4, -4), ImageError.BAD_SECTION_SIZE, s[4].at + 4],
      // LEVL one word short: the last read that does not fit is level 2's window metric S (read whole).
      [(b) => setI32(b, s[4].at + 4, s[4].length - 4), ImageError.BAD_SECTION_SIZE, metric1 + 4 * 8 + 4 * 5 + 4 * 5],
      [(b) => setI32(b, s[7].at + 4, 0x7ffffffc), ImageError.BAD_SECTION_SIZE, s[7].at + 4],
      [(b) => setI32(b, s[1].content + 16, 5), ImageError.BAD_FLAGS, s[1].content + 16], // searchCap present: fine; see below
      [(b) => setI32(b, levl + 12, 4), ImageError.BAD_FLAGS, levl + 12], // bit 2: unknown (bit 1 is ORDER)
      [(b) => setI32(b, levl + 16, 1), ImageError.BAD_FLAGS, levl + 16],
      [(b) => setI32(b, levl + 20 + 16, 65), ImageError.BAD_COUNT, levl + 20 + 16],
      [(b) => setI32(b, metric1, 2), ImageError.BAD_VALUE, metric1],
      [(b) => setI32(b, sectionContent(b, ImageSection.FAMILIES) + 4, 0), ImageError.BAD_COUNT, sectionContent(image, ImageSection.FAMILIES) + 4],
      [(b) => setI32(b, sectionContent(b, ImageSection.FAMILIES) + 4, 257), ImageError.BAD_COUNT, sectionContent(image, ImageSection.FAMILIES) + 4],
      [(b) => setI32(b, sectionContent(b, ImageSection.FAMILIES) + 8, 8), ImageError.BAD_FLAGS, sectionContent(image, ImageSection.FAMILIES) + 8],
      [(b) => setI32(b, shiftFlags + 4, 2), ImageError.BAD_VALUE, shiftFlags + 4],
      [(b) => setI32(b, residues + 4 * 3, 1), ImageError.BAD_VALUE, residues + 4 * 3], // facet 1 has no shift: zeros only
      [(b) => setI32(b, residues + 4 * 2, 7), ImageError.BAD_VALUE, residues + 4 * 2], // residue 7 for modulus 7
      [(b) => setI32(b, oper, getI32(b, oper) + 4), ImageError.BAD_COUNT, oper],
      [(b) => (b[kindName] = 0), ImageError.BAD_NAME, kindName],
      [(b) => (b[kindName] = 64), ImageError.BAD_NAME, kindName],
      [(b) => (b[kindName + 1] = 0x31), ImageError.BAD_NAME, kindName + 1], // starts with a digit
      [(b) => (b[kindName + 3] = 0x21), ImageError.BAD_NAME, kindName + 3], // '!'
      [(b) => (b[kindName + 7] = 1), ImageError.BAD_VALUE, kindName + 7], // padding
      [(b) => setI32(b, oper + 12, 65), ImageError.BAD_COUNT, oper + 12],
      [(b) => setI32(b, firstParamType, 4), ImageError.BAD_VALUE, firstParamType],
      [(b) => setI32(b, firstParamType + 4, 4097), ImageError.BAD_COUNT, firstParamType + 4],
      [(b) => setI32(b, firstParamType + 8, 0), ImageError.BAD_COUNT, firstParamType + 8],
      [(b) => setI32(b, firstParamType + 4, 100), ImageError.BAD_COUNT, firstParamType + 12 - 8],
    ];
    for (const [edit, code, at] of cases) {
      const res = loadImage(edited(image, edit));
      // Writing a value into a present optional setting (searchCap) is a valid, different model.
      if (at === s[1].content + 16) {
        expect(res.error).toBe(ImageError.OK);
        expect(res.model?.searchCap).toBe(5);
        continue;
      }
      expect(verdict(res)).toEqual([code, at]);
    }
  });

  it('an absent option with a nonzero word is refused', () => {
    const m = model();
    delete m.searchCap;
    const img = writeImage(m);
    const at = sectionContent(img, ImageSection.SETTINGS) + 16;
    expect(verdict(loadImage(edited(img, (b) => setI32(b, at, 5))))).toEqual([ImageError.BAD_FLAGS, at]);
  });

  it('parameter names: "kind", "__proto__" and repeats are refused', () => {
    const m = model();
    m.operators = [{ kind: 'x', ab: 1, cd: 2 }];
    const img = writeImage(m);
    const oper = sectionContent(img, ImageSection.OPERATORS);
    const p0 = oper + 4 + 4 + 4; // size, name 'x' (4 bytes), count
    const p1 = p0 + 4 + 8; // name 'ab' (4 bytes), scalar type and value
    // 'cd' -> 'ab': a repeat.
    expect(verdict(loadImage(edited(img, (b) => ((b[p1 + 1] = 0x61), (b[p1 + 2] = 0x62)))))).toEqual([ImageError.BAD_NAME, p1]);
    // 'ab' -> '__': reserved.
    expect(verdict(loadImage(edited(img, (b) => ((b[p0 + 1] = 0x5f), (b[p0 + 2] = 0x5f)))))).toEqual([ImageError.BAD_NAME, p0]);
    expect(getI32(img, p0 + 4)).toBe(ImageParamType.SCALAR);
  });

  it('moduli refused by the CRT index, and models refused by the engine checks, say why', () => {
    const modu = sectionContent(image, ImageSection.MODULI);
    const bad = loadImage(edited(image, (b) => setI32(b, modu + 8, 9)));
    expect(verdict(bad)).toEqual([ImageError.BAD_INDEX, modu]);
    expect(bad.detail).toBe('CRT index: moduli[2] = 9 shares a factor 3 with moduli[0] = 3');
    const fam = sectionContent(image, ImageSection.FAMILIES);
    const dup = loadImage(edited(image, (b) => setI32(b, fam + 4 * 7, 0)));
    expect(dup.error).toBe(ImageError.BAD_INDEX);
    expect(dup.detail).toMatch(/families\[1\]\.index = 0 is already mapped by families\[0\]\.index/);
    const sets = sectionContent(image, ImageSection.SETTINGS);
    const invalid = loadImage(edited(image, (b) => setI32(b, sets, 0)));
    expect(verdict(invalid)).toEqual([ImageError.INVALID_MODEL, 0]);
    expect(invalid.detail).toBe('kMax: must be in 1..256, got 0');
  });
});
