/**
 * Image fuzz (SPEC 12): at least 10^5 mutated, truncated and extended
 * images of the test model (test/model/fuzz-driver.ts), most of them with
 * the CRC fixed up so the parser behind it is exercised too. For every one:
 *
 * - the loader returns (no exception escapes) and never reports INTERNAL;
 * - a changed image whose CRC was not fixed up is refused;
 * - an accepted image is a valid model, and writing that model again gives
 *   exactly the bytes loaded (the canonical encoding): nothing was misread,
 *   nothing ignored;
 * - for 10^4 of them, read through a Proxy that records every index: the
 *   loader never reads outside the array (nor any property but `length`).
 *
 * Under the integer-purity instrumentation (much slower) fewer cases run;
 * the XS parity test runs 10^4 more in XS.
 */
import { describe, expect, it } from 'vitest';
import { ImageError, loadImage, type LoadResult } from '../../src/model/index.js';
import { checkModel } from '../../src/engine/validate.js';
import { writeImage } from '../../tools/model/image-writer.js';
import { PURITY } from '../helpers/budget.js';
import { boxStackCompiled } from './fixture.js';
import { MUTATION_NAMES, nodeFuzz } from './fuzz-driver.js';

const CASES = PURITY ? 5_000 : 100_000;
const PROXY_EVERY = PURITY ? 25 : 10; // 10^4 proxied loads in the full run

/** `bytes` behind a Proxy that counts reads outside `[0, length)` and of anything but indices and `length`. */
function guarded(bytes: Uint8Array, bad: string[]): Uint8Array {
  return new Proxy(bytes, {
    get(target, prop) {
      if (typeof prop === 'string') {
        if (prop === 'length') return target.length;
        if (/^(0|[1-9]\d*)$/.test(prop)) {
          const i = Number(prop);
          if (i >= target.length) bad.push(`read [${i}] of ${target.length}`);
          return target[i];
        }
      }
      bad.push(`read property ${String(prop)}`);
      return Reflect.get(target, prop, target) as unknown;
    },
  });
}

describe('image fuzz (Node)', () => {
  it(`${CASES} mutants: never throws, never misreads, never accepts a corrupted image`, async () => {
    const { image } = await boxStackCompiled();
    const perKind = MUTATION_NAMES.map(() => ({ total: 0, fixed: 0, accepted: 0 }));
    const codes = new Map<number, number>();
    const problems: string[] = [];
    let proxied = 0;
    let canonical = 0;
    let count = 0;
    const hook = (img: Uint8Array, res: LoadResult, kind: number, fixed: number, same: number): void => {
      count++;
      const k = perKind[kind];
      k.total++;
      k.fixed += fixed;
      codes.set(res.error, (codes.get(res.error) ?? 0) + 1);
      if (res.error === ImageError.INTERNAL) problems.push(`INTERNAL on a ${MUTATION_NAMES[kind]} mutant: ${res.detail}`);
      if (res.error === ImageError.OK) {
        k.accepted++;
        if (!same && !fixed) problems.push(`accepted a ${MUTATION_NAMES[kind]} mutant without a fixed CRC`);
        if (!same) {
          // A CRC-valid image of another model: it must be that model's one encoding.
          checkModel(res.model);
          const again = writeImage(res.model, { sourceHash: res.sourceHash });
          if (again.length !== img.length || again.some((v, i) => v !== img[i])) problems.push(`accepted a ${MUTATION_NAMES[kind]} mutant that is not canonical`);
          else canonical++;
        }
      } else if (same) {
        problems.push(`refused an unchanged image (${res.error})`);
      }
      if (count % PROXY_EVERY === 0) {
        const bad: string[] = [];
        const again = loadImage(guarded(img, bad));
        proxied++;
        if (bad.length > 0) problems.push(`out-of-bounds read on a ${MUTATION_NAMES[kind]} mutant: ${bad[0]}`);
        if (again.error !== res.error || again.offset !== res.offset) problems.push('a proxied load disagrees');
      }
    };
    const drive = nodeFuzz(hook);
    const per = 10_000;
    for (let done = 0; done < CASES; done += per) {
      drive({ image: Array.from(image), seed: 0x5eed + done, count: Math.min(per, CASES - done), fixOneIn: 2 });
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(count).toBe(CASES);
    expect(proxied).toBe(Math.floor(CASES / PROXY_EVERY));
    // The parser behind the CRC was reached: most refusal codes occur.
    const seen = [...codes.keys()].sort((a, b) => a - b);
    const table = MUTATION_NAMES.map((name, i) => `${name}: ${perKind[i].total} (${perKind[i].fixed} CRC-fixed, ${perKind[i].accepted} accepted)`);
    console.log(`image fuzz: ${CASES} mutants, ${proxied} proxied, ${canonical} accepted as another valid model (canonical)\n  ${table.join('\n  ')}\n  codes: ${seen.map((c) => `${c}x${codes.get(c)}`).join(' ')}`);
    if (!PURITY) {
      for (const code of [
        ImageError.TOO_SHORT,
        ImageError.BAD_VERSION,
        ImageError.BAD_HEADER,
        ImageError.BAD_SIZE,
        ImageError.TRUNCATED,
        ImageError.TRAILING_BYTES,
        ImageError.BAD_CRC,
        ImageError.BAD_DIMENSION,
        ImageError.BAD_FLAGS,
        ImageError.BAD_SECTION,
        ImageError.BAD_SECTION_SIZE,
        ImageError.BAD_COUNT,
        ImageError.BAD_VALUE,
        ImageError.BAD_NAME,
        ImageError.BAD_INDEX,
        ImageError.INVALID_MODEL,
      ]) {
        expect(codes.get(code) ?? 0, `error code ${code} never produced`).toBeGreaterThan(0);
      }
    }
  });

  it('the same seed gives the same verdicts (the driver is deterministic)', async () => {
    const { image } = await boxStackCompiled();
    const drive = nodeFuzz();
    const a = drive({ image: Array.from(image), seed: 42, count: 500, fixOneIn: 2 });
    const b = drive({ image: Array.from(image), seed: 42, count: 500, fixOneIn: 2 });
    expect(a).toEqual(b);
    expect(a.out.length).toBeGreaterThanOrEqual(2500);
  });
});
