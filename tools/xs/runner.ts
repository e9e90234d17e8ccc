/**
 * Runs scenarios in Moddable's XS engine through @agoric/xsnap.
 *
 * The core bundle (the ES module of dist/matrioshka.js, built in memory) is turned into a script that defines
 * the global `M` (the same code, only the module wrapper differs), then a
 * scenario script defines `globalThis.scenario(request) -> reply`. Each
 * `call` sends one JSON request and returns the reply with the engine's
 * metering: computrons (bytecodes executed) and the heap slot count.
 */
import '@endo/init';
import { xsnap } from '@agoric/xsnap';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import tmp from 'tmp';
import * as esbuild from 'esbuild';
import { bundleCore } from '../build.js';

export interface XsMeter {
  /** Computrons spent by this call (XS bytecodes, roughly). */
  compute: number;
  /** Heap slots in use when the call returned. */
  heapCount: number;
}

export interface XsReply<T> {
  reply: T;
  meter: XsMeter;
}

export interface XsWorker {
  /** Sends one request to the scenario, returns its reply and the metering. */
  call<T = unknown>(request: unknown): Promise<XsReply<T>>;
  /** Runs a full garbage collection, so heap counts compare like with like. */
  gc(): Promise<XsMeter>;
  close(): Promise<void>;
}

let coreScript: Promise<string> | undefined;

/** The core bundle as a script defining `globalThis.M`; built once per process. */
export function coreAsScript(): Promise<string> {
  coreScript ??= (async () => {
    const source = await bundleCore();
    const out = await esbuild.transform(source, { format: 'iife', globalName: 'M', target: 'es2022' });
    return out.code;
  })();
  return coreScript;
}

/** The request glue: JSON in, JSON out, around the scenario function. */
const GLUE = `
globalThis.handleCommand = (bytes) => {
  const request = JSON.parse(new TextDecoder().decode(bytes));
  if (request === '__gc') { gc(); return new TextEncoder().encode('null').buffer; }
  const reply = globalThis.scenario(request);
  return new TextEncoder().encode(JSON.stringify(reply === undefined ? null : reply)).buffer;
};
`;

/**
 * Starts an XS worker with the core loaded and `scenarioSource` evaluated.
 * `scenarioSource` must assign `globalThis.scenario = (request) => reply`;
 * it sees the core as the global `M`.
 */
export async function startXs(scenarioSource: string, meteringLimit = 0): Promise<XsWorker> {
  const worker = await xsnap({
    os: os.type(),
    spawn,
    fs: { ...fs, ...fsp, tmpName: tmp.tmpName },
    stderr: 'inherit',
    stdout: 'inherit',
    meteringLimit,
    name: 'matrioshka-xs',
  });
  await worker.evaluate(await coreAsScript());
  await worker.evaluate(GLUE);
  await worker.evaluate(scenarioSource);

  async function send(request: unknown) {
    const { reply, meterUsage } = await worker.issueStringCommand(JSON.stringify(request));
    const meter: XsMeter = { compute: meterUsage.compute ?? 0, heapCount: meterUsage.currentHeapCount ?? 0 };
    return { reply: JSON.parse(reply), meter };
  }

  return {
    call: send,
    async gc() {
      return (await send('__gc')).meter;
    },
    close: () => worker.close(),
  };
}
