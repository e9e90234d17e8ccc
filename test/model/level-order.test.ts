/**
 * A level's optional `order` (SPEC 11) through the model pipeline: JSON
 * check and conversion (a plain integer), the image (level flag ORDER and
 * one int32 after the window count), the loader, and images without it
 * unchanged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import type { ModelSpec } from '../../src/engine/model.js';
import { ImageError, ImageLevelFlag, ImageSection, loadImage } from '../../src/model/index.js';
import { compileModel, type CompileResult } from '../../tools/model/compile.js';
import { checkModelJson } from '../../tools/model/check.js';
import { writeImage } from '../../tools/model/image-writer.js';
import { boxStack, boxStackCompiled } from './fixture.js';
import { edited, getI32, sectionContent, setI32 } from './image-util.js';

let compiled: CompileResult;

beforeAll(async () => {
  compiled = await boxStackCompiled();
});

function model(): ModelSpec {
  return structuredClone(compiled.model);
}

describe('level order: image', () => {
  it('round trips present orders (0, 2, 5) and keeps an absent one absent; the writer stays canonical', () => {
    const m = model();
    m.levels[0].order = 2;
    m.levels[1].order = 0;
    m.levels[2].order = 5;
    const img = writeImage(m);
    const res = loadImage(img);
    expect(res.error).toBe(ImageError.OK);
    if (res.error !== ImageError.OK) return;
    expect(res.model).toStrictEqual(m);
    expect(writeImage(res.model)).toEqual(img);
    // One int32 per level that has an order.
    expect(img.length).toBe(writeImage(model()).length + 12);

    const m1 = model();
    m1.levels[1].order = 3;
    const res1 = loadImage(writeImage(m1));
    expect(res1.error).toBe(ImageError.OK);
    expect(res1.model?.levels[1].order).toBe(3);
    expect(res1.model && 'order' in res1.model.levels[0]).toBe(false);
    expect(() => createEngine(res1.model as ModelSpec)).not.toThrow();
  });

  it('an image without orders is byte-identical to before and loads without the field', () => {
    expect(writeImage(model(), { sourceHash: compiled.sourceHash })).toEqual(compiled.image);
    const res = loadImage(compiled.image);
    expect(res.error).toBe(ImageError.OK);
    for (const lv of res.model?.levels ?? []) expect('order' in lv).toBe(false);
  });

  it('refuses an order out of 0..5 at its offset (BAD_VALUE)', () => {
    const m = model();
    m.levels[0].order = 1;
    const img = writeImage(m);
    const at = sectionContent(img, ImageSection.LEVELS) + 20; // beta, tol, tau, flags, count, order
    expect(getI32(img, at - 8)).toBe(ImageLevelFlag.ORDER);
    expect(getI32(img, at)).toBe(1);
    const bad = edited(img, (b) => setI32(b, at, 6));
    const res = loadImage(bad);
    expect([res.error, res.offset]).toEqual([ImageError.BAD_VALUE, at]);
    const neg = loadImage(edited(img, (b) => setI32(b, at, -1)));
    expect([neg.error, neg.offset]).toEqual([ImageError.BAD_VALUE, at]);
  });

  it('the writer refuses an order out of range (the engine\'s check)', () => {
    const m = model();
    m.levels[2].order = 7;
    expect(() => writeImage(m)).toThrow('levels[2].order: must be in 0..5, got 7');
  });
});

describe('level order: JSON', () => {
  it('converts a plain integer order and compiles to an image that carries it', async () => {
    const j = boxStack();
    j.levels[1].order = 2;
    const res = await compileModel(j);
    expect(res.model.levels[1].order).toBe(2);
    expect('order' in res.model.levels[0]).toBe(false);
    expect(loadImage(res.image).model?.levels[1].order).toBe(2);
  });

  it('the checker names a bad order', () => {
    const j = boxStack();
    j.levels[0].order = 6;
    j.levels[1].order = 1.5;
    const issues = checkModelJson(j).map((i) => i.path);
    expect(issues).toContain('levels[0].order');
    expect(issues).toContain('levels[1].order');
  });
});
