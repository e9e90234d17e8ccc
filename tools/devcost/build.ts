/**
 * Builds the device-cost instrument (docs/bench.md) and caches it:
 *
 * - `xsnap`: the `xsnap` command-line program of @agoric/xsnap, from the XS
 *   sources that package installs, cross-compiled for 32-bit ARM with
 *   software floating point (Debian's gcc-arm-linux-gnueabi), static, for
 *   `qemu-arm`. The package's own makefile drives it; xsnap-arm.mk lists the
 *   few changes (compiler, no metering/profiler hooks, static link).
 * - `insn-count.so`: the QEMU TCG plugin in insn-count.c, built with the
 *   host compiler, that counts executed guest instructions.
 *
 * Both land in `.cache/devcost/<xsnap version>-<hash>/`, the hash covering
 * this file, the makefile, the plugin source and the compilers' versions, so
 * a new @agoric/xsnap or a changed recipe rebuilds; an unchanged one costs a
 * few stat calls. Concurrent callers (parallel test files, a bench) share one
 * build through a lock directory.
 *
 * Needs the Debian packages that tools/devcost/install-deps.sh installs; runs
 * that script itself when one is missing (unless MATRIOSHKA_NO_INSTALL=1).
 * Run directly (`tsx tools/devcost/build.ts`) to build and print the paths.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/** Where the built instrument is cached (gitignored). */
export const CACHE_ROOT = path.join(root, '.cache', 'devcost');
/** The ARM cross compiler, Debian's armel (soft-float EABI) toolchain. */
export const CROSS_CC = 'arm-linux-gnueabi-gcc';
/** The user-mode emulator that runs the ARM engine. */
export const QEMU = 'qemu-arm';
/** QEMU plugin API version insn-count.c declares (that of QEMU 7.2, Debian 12). */
export const PLUGIN_API_VERSION = 1;

const MAKEFILE = path.join(here, 'xsnap-arm.mk');
const PLUGIN_SOURCE = path.join(here, 'insn-count.c');
/** A build older than this while its lock is still held is taken as abandoned. */
const STALE_LOCK_MS = 15 * 60_000;

export interface Devcost {
  /** The ARM `xsnap` executable. */
  xsnap: string;
  /** The instruction-counting QEMU plugin. */
  plugin: string;
  /** The emulator command. */
  qemu: string;
  /** The cache folder of this build. */
  dir: string;
  /** What the figures depend on: recorded next to the bench results. */
  info: DevcostInfo;
}

export interface DevcostInfo {
  xsnapVersion: string;
  crossCompiler: string;
  qemu: string;
  pluginApi: number;
  /** The build's cache key (hash of recipe, sources and compiler versions). */
  key: string;
}

/** The @agoric/xsnap package folder and its version. */
export function xsnapPackage(): { dir: string; version: string } {
  const dir = path.join(root, 'node_modules', '@agoric', 'xsnap');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, version: pkg.version };
}

/** First line of `cmd args`, or throws naming the install script. */
function toolVersion(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `devcost: \`${cmd}\` is not available (${r.error?.message ?? r.stderr.trim()}); ` +
        'install the Debian packages with `bash tools/devcost/install-deps.sh`',
    );
  }
  return r.stdout.split('\n')[0].trim();
}

/** Versions of the tools the instrument needs; throws when one is missing. */
export function checkTools(): { crossCompiler: string; qemu: string; hostCompiler: string } {
  toolVersion('make', ['--version']);
  return {
    crossCompiler: toolVersion(CROSS_CC, ['--version']),
    qemu: toolVersion(QEMU, ['--version']),
    hostCompiler: toolVersion('cc', ['--version']),
  };
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`devcost: \`${cmd} ${args.join(' ')}\` failed (exit ${code}):\n${log.slice(-4000)}`));
    });
  });
}

const exists = (p: string) => fsp.access(p).then(() => true, () => false);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function buildInto(out: string, xsnapDir: string, log: (s: string) => void): Promise<void> {
  const started = Date.now();
  const buildDir = path.join(out, 'build');
  log(`devcost: building the ARM xsnap (${CROSS_CC}, -j${os.availableParallelism()}) ...`);
  await run(
    'make',
    [
      '-f', MAKEFILE,
      `MODDABLE=${path.join(xsnapDir, 'moddable')}`,
      `BUILD_DIR=${buildDir}`,
      `-j${os.availableParallelism()}`,
    ],
    path.join(xsnapDir, 'xsnap-native', 'xsnap', 'makefiles', 'lin'),
  );
  await fsp.copyFile(path.join(buildDir, 'bin', 'lin', 'release', 'xsnap'), path.join(out, 'xsnap'));
  await fsp.chmod(path.join(out, 'xsnap'), 0o755);
  await fsp.rm(buildDir, { recursive: true, force: true });
  log('devcost: building the QEMU plugin (cc) ...');
  await run('cc', ['-O2', '-Wall', '-Wextra', '-shared', '-fPIC', '-o', path.join(out, 'insn-count.so'), PLUGIN_SOURCE], out);
  log(`devcost: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** A lock whose builder has died, or that is older than any build takes. */
async function lockIsStale(lock: string): Promise<boolean> {
  const mtime = await fsp.stat(lock).then((st) => st.mtimeMs, () => Date.now());
  if (Date.now() - mtime > STALE_LOCK_MS) return true;
  const pid = Number(await fsp.readFile(path.join(lock, 'pid'), 'utf8').catch(() => ''));
  if (!pid) return false; // just created: the pid file follows
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Drops builds for other versions or recipes (about 2 MB each). */
async function removeOtherBuilds(keep: string): Promise<void> {
  for (const name of await fsp.readdir(CACHE_ROOT)) {
    if (name !== keep && /^[^/]+-[0-9a-f]{16}$/.test(name)) {
      await fsp.rm(path.join(CACHE_ROOT, name), { recursive: true, force: true });
    }
  }
}

let cached: Promise<Devcost> | undefined;

/**
 * Returns the built instrument, building it first when the cache has no
 * build for the current @agoric/xsnap version and recipe.
 */
export function ensureDevcost(log: (s: string) => void = (s) => console.error(s)): Promise<Devcost> {
  cached ??= ensure(log);
  return cached;
}

/** Runs install-deps.sh (apt-get; we run as root on dev and CI machines). */
function installDeps(log: (s: string) => void): void {
  log('devcost: Debian packages missing; running tools/devcost/install-deps.sh');
  const r = spawnSync('bash', [path.join(here, 'install-deps.sh')], { stdio: ['ignore', 2, 2] });
  if (r.status !== 0) throw new Error('devcost: tools/devcost/install-deps.sh failed');
}

async function ensure(log: (s: string) => void): Promise<Devcost> {
  let tools: ReturnType<typeof checkTools>;
  try {
    tools = checkTools();
  } catch (e) {
    // On a fresh machine, install what is missing (set MATRIOSHKA_NO_INSTALL=1 to refuse).
    if (process.env.MATRIOSHKA_NO_INSTALL === '1') throw e;
    installDeps(log);
    tools = checkTools();
  }
  const xs = xsnapPackage();
  const hash = createHash('sha256');
  for (const file of [fileURLToPath(import.meta.url), MAKEFILE, PLUGIN_SOURCE]) hash.update(fs.readFileSync(file));
  hash.update(`${tools.crossCompiler}\n${tools.hostCompiler}\n`);
  const key = hash.digest('hex').slice(0, 16);
  const dir = path.join(CACHE_ROOT, `${xs.version}-${key}`);
  const info: DevcostInfo = {
    xsnapVersion: xs.version,
    crossCompiler: tools.crossCompiler,
    qemu: tools.qemu,
    pluginApi: PLUGIN_API_VERSION,
    key,
  };
  const result: Devcost = { xsnap: path.join(dir, 'xsnap'), plugin: path.join(dir, 'insn-count.so'), qemu: QEMU, dir, info };

  await fsp.mkdir(CACHE_ROOT, { recursive: true });
  const lock = `${dir}.lock`;
  for (;;) {
    if (await exists(path.join(dir, 'info.json'))) return result;
    try {
      await fsp.mkdir(lock);
      await fsp.writeFile(path.join(lock, 'pid'), String(process.pid));
    } catch {
      // Someone else is building: wait for it, or take over an abandoned lock.
      if (await lockIsStale(lock)) await fsp.rm(lock, { recursive: true, force: true });
      else await sleep(1000);
      continue;
    }
    try {
      if (await exists(path.join(dir, 'info.json'))) return result;
      const tmp = `${dir}.tmp-${process.pid}`;
      await fsp.rm(tmp, { recursive: true, force: true });
      await fsp.mkdir(tmp, { recursive: true });
      await buildInto(tmp, xs.dir, log);
      await fsp.writeFile(path.join(tmp, 'info.json'), JSON.stringify(info, null, 2) + '\n');
      await fsp.rm(dir, { recursive: true, force: true });
      await fsp.rename(tmp, dir);
      await removeOtherBuilds(path.basename(dir));
      return result;
    } finally {
      await fsp.rm(lock, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    const d = await ensureDevcost();
    console.log(`xsnap (ARM):  ${path.relative(process.cwd(), d.xsnap)}`);
    console.log(`QEMU plugin:  ${path.relative(process.cwd(), d.plugin)} (plugin API v${d.info.pluginApi})`);
    console.log(`@agoric/xsnap ${d.info.xsnapVersion}; ${d.info.crossCompiler}; ${d.info.qemu}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
