/**
 * Vite plugin (used by the vitest project `purity`): instruments every
 * `src/**\/*.ts` module with the integer-purity checks of transform.ts.
 * Nothing outside `src/` is touched, and the normal test project does not
 * load this plugin at all.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { instrument } from './transform.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUNTIME = path.join(HERE, 'runtime.ts');
const toPosix = (p: string): string => p.split(path.sep).join('/');

export interface PurityPluginOptions {
  /** Project root (default: the Vite root). */
  root?: string;
  /** Directory to instrument, relative to the root (default `src`). */
  dir?: string;
}

export function purityPlugin(options: PurityPluginOptions = {}): Plugin {
  let root = options.root ? path.resolve(options.root) : '';
  let srcDir = '';
  return {
    name: 'matrioshka:integer-purity',
    // Before Vite strips the types: the transform reads the TypeScript source.
    enforce: 'pre',
    configResolved(config) {
      if (!root) root = path.resolve(config.root);
      srcDir = path.join(root, options.dir ?? 'src') + path.sep;
    },
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (!file.startsWith(srcDir) || !file.endsWith('.ts') || file.endsWith('.d.ts')) return null;
      let runtimeImport = toPosix(path.relative(path.dirname(file), RUNTIME));
      if (!runtimeImport.startsWith('.')) runtimeImport = `./${runtimeImport}`;
      const out = instrument(code, toPosix(path.relative(root, file)), { runtimeImport, sourceFileName: file });
      return { code: out.code, map: out.map ?? null };
    },
  };
}
