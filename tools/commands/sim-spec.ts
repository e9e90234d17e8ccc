import type { CommandSpec } from '../args.js';

export const simSpec: CommandSpec = {
  summary: 'simulate a model on the host (the main job)',
  positionals: ['model'],
  options: {
    steps: { kind: 'int', help: 'steps to run', min: 1, max: 100_000_000, default: 10_000 },
    x0: { kind: 'string', help: 'start state, real values: v,v,... (default: the model\'s x0, else 0)' },
    seed: { kind: 'int', help: 'perturb the start by up to +-0.25 per axis, reproducibly', min: 0, max: 0x7fffffff },
    engine: { kind: 'string', help: 'where to run', choices: ['node', 'xs'], default: 'node' },
    trace: { kind: 'string', help: 'write every step to a .jsonl or .csv file' },
    svg: { kind: 'string', help: 'plot the trajectory and the shells to an .svg file' },
    axes: { kind: 'string', help: 'the plot\'s projection axes: i,j', default: '0,1' },
    json: { kind: 'flag', help: 'print a machine-readable summary' },
  },
};
