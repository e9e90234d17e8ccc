/**
 * The test model (test/model/fixtures/box-stack.json: n = 3, moduli
 * [3, 5, 7], two families of three nested shells, both sharpening forms)
 * and its compiled image, built once per test file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel, type CompileResult } from '../../tools/model/compile.js';

export const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const BOX_STACK_PATH = path.join(FIXTURE_DIR, 'box-stack.json');

/** The fixture's text. */
export function boxStackText(): string {
  return fs.readFileSync(BOX_STACK_PATH, 'utf8');
}

/** A fresh parsed copy of the fixture, to modify in a test. */
export function boxStack(): Record<string, any> {
  return JSON.parse(boxStackText()) as Record<string, any>;
}

let compiled: Promise<CompileResult> | undefined;

/** The fixture compiled (from its text, so with its source hash). */
export function boxStackCompiled(): Promise<CompileResult> {
  compiled ??= compileModel(boxStackText());
  return compiled;
}
