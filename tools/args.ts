/**
 * Command-line parsing: a typed option table per command, a pure
 * `parseArgs(argv)` that is tested, and a UsageError for exit code 2.
 */

/** Bad arguments: the message says what is wrong; exit code 2. */
export class UsageError extends Error {}

/** `--help` was asked for: the message is the help text; exit code 0. */
export class HelpRequested extends Error {}

export type OptionSpec = (
  | { kind: 'flag'; help: string }
  | { kind: 'int'; help: string; min?: number; max?: number; default?: number }
  | { kind: 'string'; help: string; choices?: readonly string[]; default?: string }
) & {
  /** A one-letter alias, written `-x`. */
  short?: string;
};

export interface CommandSpec {
  summary: string;
  /** Names of positional arguments, in order (all required). */
  positionals: readonly string[];
  options: Record<string, OptionSpec>;
}

export interface Parsed {
  command: string;
  positionals: string[];
  options: Record<string, string | number | boolean | undefined>;
}

/** Parses `argv` (without node and the script) against the command table. */
export function parseArgs(argv: readonly string[], commands: Record<string, CommandSpec>): Parsed {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') throw new HelpRequested(usage(commands));
  if (command === undefined) throw new UsageError(usage(commands));
  const spec = commands[command];
  if (!spec) throw new UsageError(`unknown command '${command}'\n\n${usage(commands)}`);
  if (rest.includes('--help') || rest.includes('-h')) throw new HelpRequested(commandUsage(command, spec));

  const options: Parsed['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    if (/^-[A-Za-z]$/.test(arg)) {
      const long = Object.keys(spec.options).find((name) => spec.options[name].short === arg[1]);
      if (!long) throw new UsageError(`${command}: unknown option ${arg}\n\n${commandUsage(command, spec)}`);
      arg = `--${long}`;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const opt = spec.options[name];
    if (!opt) throw new UsageError(`${command}: unknown option --${name}\n\n${commandUsage(command, spec)}`);
    if (opt.kind === 'flag') {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
      options[name] = true;
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) throw new UsageError(`${command}: --${name} needs a value`);
    options[name] = opt.kind === 'int' ? parseIntOption(command, name, value, opt) : parseStringOption(command, name, value, opt);
  }
  if (positionals.length !== spec.positionals.length) {
    throw new UsageError(`${command}: expected ${spec.positionals.length} argument(s), got ${positionals.length}\n\n${commandUsage(command, spec)}`);
  }
  for (const [name, opt] of Object.entries(spec.options)) {
    if (options[name] === undefined && opt.kind !== 'flag' && opt.default !== undefined) options[name] = opt.default;
  }
  return { command, positionals, options };
}

function parseIntOption(command: string, name: string, value: string, opt: { min?: number; max?: number }): number {
  if (!/^-?\d+$/.test(value)) throw new UsageError(`${command}: --${name} must be an integer, got '${value}'`);
  const n = Number(value);
  if (opt.min !== undefined && n < opt.min) throw new UsageError(`${command}: --${name} must be at least ${opt.min}, got ${n}`);
  if (opt.max !== undefined && n > opt.max) throw new UsageError(`${command}: --${name} must be at most ${opt.max}, got ${n}`);
  return n;
}

function parseStringOption(command: string, name: string, value: string, opt: { choices?: readonly string[] }): string {
  if (opt.choices && !opt.choices.includes(value)) {
    throw new UsageError(`${command}: --${name} must be one of ${opt.choices.join(', ')}, got '${value}'`);
  }
  return value;
}

export function commandUsage(name: string, spec: CommandSpec): string {
  const lines = [`usage: matrioshka ${name}${spec.positionals.map((p) => ` <${p}>`).join('')} [options]`, `  ${spec.summary}`];
  for (const [opt, o] of Object.entries(spec.options)) {
    const value = o.kind === 'flag' ? '' : o.kind === 'int' ? ' N' : o.choices ? ` ${o.choices.join('|')}` : ' S';
    const dflt = o.kind !== 'flag' && o.default !== undefined ? ` (default ${o.default})` : '';
    lines.push(`  ${o.short ? `-${o.short}, ` : ''}--${opt}${value}`.padEnd(28) + o.help + dflt);
  }
  return lines.join('\n');
}

export function usage(commands: Record<string, CommandSpec>): string {
  const lines = ['usage: matrioshka <command> [options]', '', 'commands:'];
  for (const [name, spec] of Object.entries(commands)) lines.push(`  ${name.padEnd(10)}${spec.summary}`);
  lines.push('', "run 'matrioshka <command> --help' for a command's options");
  return lines.join('\n');
}
