/**
 * Runs a script in the ARM build of XS under `qemu-arm` with the
 * instruction-counting plugin, and returns the guest instructions executed
 * by the whole process (start-up, parse, the script, tear-down).
 *
 * Use differences of counts (the same script with N and 2N units of work) to
 * get a cost per unit; see tools/bench/measure.ts.
 *
 * Determinism: the count depends only on the binary and the script. Anything
 * else that reaches the guest is fixed: the environment is empty, and the
 * script is always seen at the same path, `/devcost/script.js` (qemu's `-L`
 * prefix maps it to a fresh temporary folder), since XS hashes the file name.
 */
import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensureDevcost } from './build.js';

/** The path the guest sees the script at: the same in every run. */
const GUEST_DIR = '/devcost';
const GUEST_SCRIPT = `${GUEST_DIR}/script.js`;

export interface InstrumentedRun {
  /** Guest instructions executed by the whole process. */
  instructions: number;
  /** What the script printed with `print(...)`. */
  stdout: string;
}

export interface RunOptions {
  /** Kill the run after this long (default 5 minutes). */
  timeoutMs?: number;
}

/**
 * Runs `scriptSource` as a program (not a module) in the ARM xsnap and
 * counts the instructions executed. The script may `print(...)`; an uncaught
 * exception rejects with its message (xsnap itself would then spin).
 */
export async function runInstrumented(scriptSource: string, options: RunOptions = {}): Promise<InstrumentedRun> {
  const tools = await ensureDevcost();
  const prefix = await fsp.mkdtemp(path.join(os.tmpdir(), 'matrioshka-devcost-'));
  try {
    await fsp.mkdir(path.join(prefix, GUEST_DIR));
    await fsp.writeFile(path.join(prefix, GUEST_SCRIPT), scriptSource);
    const countFile = path.join(prefix, 'count.txt');
    const stdout = await runQemu(
      tools.qemu,
      ['-L', prefix, '-plugin', `${tools.plugin},out=${countFile}`, tools.xsnap, GUEST_SCRIPT],
      prefix,
      options.timeoutMs ?? 5 * 60_000,
    );
    const text = await fsp.readFile(countFile, 'utf8').catch(() => '');
    const instructions = Number(text.trim());
    if (!text.trim() || !Number.isSafeInteger(instructions)) {
      throw new Error(`devcost: the QEMU plugin wrote no count (got ${JSON.stringify(text)})`);
    }
    return { instructions, stdout };
  } finally {
    await fsp.rm(prefix, { recursive: true, force: true });
  }
}

/** Guest instructions executed running `scriptSource` in the ARM xsnap. */
export async function countInstructions(scriptSource: string, options?: RunOptions): Promise<number> {
  return (await runInstrumented(scriptSource, options)).instructions;
}

function runQemu(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Empty environment: glibc's start-up walks it, so it would change the count.
    const child = spawn(cmd, args, { cwd, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let failure: Error | undefined;
    const fail = (e: Error) => {
      failure ??= e;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => fail(new Error(`devcost: run timed out after ${timeoutMs} ms`)), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1 << 20) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1 << 16) stderr += d.toString();
      // xsnap reports an uncaught exception, then loops forever reporting more.
      const line = /Unhandled exception[^\n]*/.exec(stderr);
      if (line) fail(new Error(`devcost: script failed in XS: ${line[0]}`));
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) reject(new Error(`devcost: qemu-arm xsnap exited with ${code ?? signal}:\n${stderr.slice(0, 4000)}`));
      else resolve(stdout);
    });
  });
}
