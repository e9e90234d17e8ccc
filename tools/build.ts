/**
 * Bundles the core (src/index.ts) into one ES module, dist/matrioshka.js,
 * that Node imports, the XS harness evaluates and Moddable compiles.
 */
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(root, 'dist', 'matrioshka.js');

const OPTIONS: esbuild.BuildOptions = {
  entryPoints: [path.join(root, 'src', 'index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // Keep names: the board's stack traces and the XS profiler read them.
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
};

/** Writes dist/matrioshka.js and returns its path. */
export async function buildCore(): Promise<string> {
  await esbuild.build({ ...OPTIONS, outfile: BUNDLE });
  return BUNDLE;
}

/**
 * The same ES module, in memory: test files build it side by side, and a
 * shared output file would race.
 */
export async function bundleCore(): Promise<string> {
  const result = await esbuild.build({ ...OPTIONS, write: false, outfile: BUNDLE });
  return result.outputFiles[0].text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = await buildCore();
  console.log(`built ${path.relative(process.cwd(), out)}`);
}
