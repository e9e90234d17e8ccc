import type { CommandSpec } from '../args.js';

export const compileSpec: CommandSpec = {
  summary: 'check a model JSON (moduli, nesting, headroom) and write its binary image',
  positionals: ['model.json'],
  options: {
    out: { kind: 'string', short: 'o', help: 'image file to write (default: the model path with .mtk)' },
    json: { kind: 'flag', help: 'print the summary as JSON' },
  },
};
