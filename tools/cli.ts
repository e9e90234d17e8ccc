/**
 * The `matrioshka` command line: one file per command in tools/commands/,
 * each exporting `spec` and `run(parsed)`, loaded lazily. Exit codes: 0 ok,
 * 1 failure, 2 usage.
 */
import { HelpRequested, parseArgs, UsageError, type CommandSpec, type Parsed } from './args.js';
import { compileSpec } from './commands/compile-spec.js';
import { demoSpec } from './commands/demo-spec.js';
import { simSpec } from './commands/sim-spec.js';

export interface Command {
  run(parsed: Parsed): Promise<number>;
}

const COMMANDS: Record<string, { spec: CommandSpec; load: () => Promise<Command> }> = {
  sim: { spec: simSpec, load: () => import('./commands/sim.js') },
  demo: { spec: demoSpec, load: () => import('./commands/demo.js') },
  compile: { spec: compileSpec, load: () => import('./commands/compile.js') },
};

export async function main(argv: readonly string[]): Promise<number> {
  const specs = Object.fromEntries(Object.entries(COMMANDS).map(([name, c]) => [name, c.spec]));
  try {
    const parsed = parseArgs(argv, specs);
    const command = await COMMANDS[parsed.command].load();
    return await command.run(parsed);
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(err.message);
      return 0;
    }
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    console.error(`matrioshka: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
