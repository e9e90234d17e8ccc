/**
 * The model compiler (SPEC 12): JSON text -> checked `ModelSpec` -> proved
 * geometry -> image. `matrioshka compile` is a thin shell around
 * `compileModel`.
 *
 * 1. `modelFromJson` (convert.ts): shapes, conversion to Q, sharpening, the
 *    engine's checks, operator precomputation, range rules.
 * 2. `proveGeometry` (nesting.ts): non-empty shells, nesting per facet,
 *    headroom of the Q format (LPs with HiGHS).
 * 3. `writeImage` (image-writer.ts), then the image is loaded back with the
 *    board's loader (src/model/loader.ts) and must give the same model: a
 *    compiled image is known to load.
 *
 * The image carries the CRC-32 of the JSON text it came from (no timestamp:
 * the same input gives the same bytes).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ModelSpec } from '../../src/engine/model.js';
import { IMAGE_ERROR_MESSAGES } from '../../src/model/format.js';
import { loadImage } from '../../src/model/loader.js';
import { crc32Bytes } from '../../src/wire/crc32.js';
import { modelFromJson, type ModelFromJsonOptions } from './convert.js';
import { writeImage } from './image-writer.js';
import { ModelError, type Issue } from './issues.js';
import { proveGeometry, type GeometryReport } from './nesting.js';

export interface CompileResult {
  /** The engine's model (equal to what `loadImage(image)` gives). */
  model: ModelSpec;
  /** The image bytes. */
  image: Uint8Array;
  /** The image's CRC-32 (its last four bytes), unsigned. */
  crc: number;
  /** CRC-32 of the source text, unsigned (stored in the header). */
  sourceHash: number;
  /** Nesting proofs, bounding boxes, LP count. */
  geometry: GeometryReport;
  /** Remarks that do not refuse the model. */
  warnings: Issue[];
  /** The JSON's suggested start `x0`, raw Q f, if given (host tools only; not in the image). */
  x0?: number[];
}

/** Parses JSON text, as a ModelError (`model: ...`) when it is not JSON. */
export function parseModelText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ModelError([{ path: 'model', rule: `not valid JSON (${e instanceof Error ? e.message : String(e)})` }]);
  }
}

/**
 * Compiles a model given as JSON text (or an already parsed value, hashed
 * as `JSON.stringify` of it). Throws a ModelError listing the issues of a
 * model that is refused.
 */
export async function compileModel(source: string | unknown, options: ModelFromJsonOptions = {}): Promise<CompileResult> {
  const text = typeof source === 'string' ? source : JSON.stringify(source);
  const json = typeof source === 'string' ? parseModelText(source) : source;
  const encoded = new TextEncoder().encode(text);
  const sourceHash = crc32Bytes(encoded, 0, encoded.length) >>> 0;
  const { model, warnings, x0 } = modelFromJson(json, options);
  const geometry = await proveGeometry(model);
  const image = writeImage(model, { sourceHash });
  const back = loadImage(image);
  if (back.error !== 0) throw new Error(`internal: the image does not load back: ${IMAGE_ERROR_MESSAGES[back.error]} at ${back.offset} ${back.detail}`);
  if (!isDeepStrictEqual(back.model, model)) throw new Error('internal: the image loads back as a different model');
  const crc = new DataView(image.buffer, image.byteOffset).getUint32(image.length - 4, true);
  const result: CompileResult = { model, image, crc, sourceHash, geometry, warnings: [...warnings, ...geometry.warnings] };
  if (x0 !== undefined) result.x0 = x0;
  return result;
}
