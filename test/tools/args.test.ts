import { describe, expect, it } from 'vitest';
import { HelpRequested, parseArgs, UsageError, type CommandSpec } from '../../tools/args.js';

const commands: Record<string, CommandSpec> = {
  sim: {
    summary: 'simulate',
    positionals: ['model'],
    options: {
      steps: { kind: 'int', help: 'steps', min: 1, default: 10 },
      engine: { kind: 'string', help: 'engine', choices: ['node', 'xs'], default: 'node' },
      out: { kind: 'string', short: 'o', help: 'output' },
      json: { kind: 'flag', help: 'json' },
    },
  },
};

describe('parseArgs', () => {
  it('parses positionals, values in both spellings, flags and defaults', () => {
    expect(parseArgs(['sim', 'm.json', '--steps', '5', '--json'], commands)).toEqual({
      command: 'sim',
      positionals: ['m.json'],
      options: { steps: 5, json: true, engine: 'node' },
    });
    expect(parseArgs(['sim', '--engine=xs', 'm.json'], commands).options.engine).toBe('xs');
    expect(parseArgs(['sim', 'm.json', '-o', 'm.mtk'], commands).options.out).toBe('m.mtk');
  });

  it('refuses bad input with a message that names what is wrong', () => {
    const bad: [string[], RegExp][] = [
      [['nope'], /unknown command 'nope'/],
      [['sim'], /expected 1 argument/],
      [['sim', 'm', '--steps', 'x'], /--steps must be an integer, got 'x'/],
      [['sim', 'm', '--steps', '0'], /--steps must be at least 1, got 0/],
      [['sim', 'm', '--engine', 'gpu'], /--engine must be one of node, xs, got 'gpu'/],
      [['sim', 'm', '--steps'], /--steps needs a value/],
      [['sim', 'm', '--color'], /unknown option --color/],
      [['sim', 'm', '--json=1'], /--json takes no value/],
      [['sim', 'm', '-z'], /unknown option -z/],
      [[], /usage: matrioshka <command>/],
    ];
    for (const [argv, message] of bad) {
      expect(() => parseArgs(argv, commands)).toThrow(UsageError);
      expect(() => parseArgs(argv, commands)).toThrow(message);
    }
  });

  it('answers --help with the command usage', () => {
    expect(() => parseArgs(['sim', '--help'], commands)).toThrow(HelpRequested);
    expect(() => parseArgs(['sim', '--help'], commands)).toThrow(/--engine node\|xs/);
  });
});
