/**
 * Loads a model for the host tools: a JSON model (compiled: checked, nesting
 * proved, converted to Q) or a compiled image (.mtk, through the core's
 * loader, as a board would).
 */
import fs from 'node:fs/promises';
import type { ModelSpec } from '../../src/engine/model.js';
import { IMAGE_ERROR_MESSAGES } from '../../src/model/format.js';
import { loadImage } from '../../src/model/loader.js';
import { compileModel, parseModelText } from '../model/compile.js';

export interface LoadedModel {
  model: ModelSpec;
  /** The model's suggested start, real values (JSON `x0`), if any. */
  x0?: number[];
  name: string;
}

export async function loadModelFile(file: string): Promise<LoadedModel> {
  const bytes = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`${file}: cannot read (${e.code ?? e.message})`);
  });
  if (file.endsWith('.mtk')) {
    const r = loadImage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    if (r.error !== 0 || !r.model) throw new Error(`${file}: not a valid image: ${IMAGE_ERROR_MESSAGES[r.error]} at byte ${r.offset}${r.detail ? ` (${r.detail})` : ''}`);
    return { model: r.model, name: file };
  }
  const text = bytes.toString('utf8');
  const json = parseModelText(text) as { x0?: unknown; name?: unknown };
  try {
    const { model } = await compileModel(text);
    const x0 = Array.isArray(json.x0) ? (json.x0 as number[]) : undefined;
    return { model, x0, name: typeof json.name === 'string' ? json.name : file };
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
