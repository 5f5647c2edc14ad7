// `devinctl emulator`: serve the local Devin API emulator until interrupted.
import { resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { parseFaults, parseLatency, startEmulator, type FaultConfig } from '../emulator/index.js';
import { DEFAULT_EMULATOR_STATE } from './common.js';
import { isLoopbackHost } from '../api/connection.js';
import { EXIT, UsageError } from './exit.js';
import type { Io } from './io.js';

interface EmulatorCliOptions {
  port: string;
  host: string;
  state?: string;
  seed?: string;
  reset?: boolean;
  faults?: string;
  latency?: string;
}

export async function emulatorCommand(io: Io, o: EmulatorCliOptions, until: Promise<void>): Promise<number> {
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, got '${o.port}'`);
  let faults: FaultConfig | undefined;
  try {
    faults = o.faults ? parseFaults(o.faults) : undefined;
  } catch (e) {
    throw new UsageError(`--faults: ${(e as Error).message}`);
  }
  let latency: ReturnType<typeof parseLatency> | undefined;
  try {
    latency = o.latency === undefined ? undefined : parseLatency(o.latency);
  } catch (e) {
    throw new UsageError(`--latency: ${(e as Error).message}`);
  }
  if (!isLoopbackHost(o.host)) throw new UsageError(`--host must be a loopback address (127.0.0.1, ::1, localhost): the emulator's admin token is public, got '${o.host}'`);
  const statePath = resolve(io.cwd, o.state ?? DEFAULT_EMULATOR_STATE);
  await mkdir(dirname(statePath), { recursive: true });
  const emu = await startEmulator({
    host: o.host,
    port,
    statePath,
    seed: o.seed ? resolve(io.cwd, o.seed) : undefined,
    reset: o.reset,
    faults,
    latencyMs: latency,
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${o.host} is in use; pick another with --port (0 = any free port)`);
    throw new UsageError(`the emulator could not start: ${e.message}`);
  });
  io.err(`Devin API emulator listening on ${emu.url} (state: ${statePath})\n`);
  io.err(`Use: DEVIN_API_URL=${emu.url} with DEVIN_API_TOKEN set to the seed's admin token (see src/emulator/README.md).\n`);
  await until;
  await emu.close();
  return EXIT.ok;
}

export function registerEmulator(program: Command, io: Io, run: (p: Promise<number>) => void, until: () => Promise<void>): void {
  program
    .command('emulator')
    .description('serve the local Devin API emulator (state in a JSON file)')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8787')
    .option('--host <host>', 'loopback address to bind', '127.0.0.1')
    .option('--state <file>', `state file (default ${DEFAULT_EMULATOR_STATE})`)
    .option('--seed <file>', 'seed file used when the state file is new or --reset (default: the demo enterprise)')
    .option('--reset', 'discard the state file and start from the seed')
    .option('--faults <spec>', 'inject faults, e.g. 429=0.1,500=0.05,drop-before=0.02,drop-after=0.02,ignore-write=0.01')
    .option('--latency <ms>', 'delay every response by this many milliseconds, or a range like 10-200')
    .action((o: EmulatorCliOptions) => run(emulatorCommand(io, o, until())));
}
