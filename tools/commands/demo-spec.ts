import type { CommandSpec } from '../args.js';

export const demoSpec: CommandSpec = {
  summary: 'rotate a point in fixed point in Node and in XS and compare the bits',
  positionals: [],
  options: {
    steps: { kind: 'int', help: 'rotation steps', min: 1, max: 10_000_000, default: 100_000 },
    f: { kind: 'int', help: 'fractional bits of the Q format', min: 8, max: 24, default: 16 },
    engine: { kind: 'string', help: 'where to run', choices: ['node', 'xs', 'both'], default: 'both' },
  },
};
