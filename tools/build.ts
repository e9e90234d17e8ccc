/**
 * Bundles the core (src/index.ts) into one ES module, dist/matrioshka.js,
 * that Node imports, the XS harness evaluates and Moddable compiles.
 */
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUNDLE = path.join(root, 'dist', 'matrioshka.js');

export async function buildCore(): Promise<string> {
  await esbuild.build({
    entryPoints: [path.join(root, 'src', 'index.ts')],
    outfile: BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // Keep names: the board's stack traces and the XS profiler read them.
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = await buildCore();
  console.log(`built ${path.relative(process.cwd(), out)}`);
}
