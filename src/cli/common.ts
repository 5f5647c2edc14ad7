// What every command that talks to the API shares: loading the desired state, connecting (to
// the API or an in-process emulator, D20), and building the undici client with its limits.
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { createApiClient } from '../api/client.js';
import { createDispatcher, resolveConnection } from '../api/connection.js';
import type { ApiClient } from '../api/types.js';
import { loadConfig } from '../config/load.js';
import { formatDiagnostic } from '../config/format.js';
import type { Diagnostic, LoadedConfig, LoadResult } from '../config/types.js';
import { DiagnosticsError } from '../engine/pipeline.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import type { Io } from './io.js';
import { UsageError } from './exit.js';

export interface ConnectOptions {
  apiUrl?: string;
  emulator?: boolean;
  emulatorState?: string;
  parallelism?: number;
  maxRps?: number;
  maxRetryWait?: number;
  timeout?: number;
  debug?: boolean;
}

export interface FileOptions {
  file?: string[];
}

export const DEFAULT_EMULATOR_STATE = '.devinctl/emulator.json';

const int = (name: string, min: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
  return n;
};
const num = (name: string, max = 86_400) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`${name} must be a positive number up to ${max}`);
  return n;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

export function addFileOption(cmd: Command): Command {
  return cmd.option('-f, --file <path>', 'desired-state YAML file or folder of *.yaml (repeatable; default devin.yaml)', collect);
}

export function addConnectOptions(cmd: Command): Command {
  return cmd
    .option('--api-url <url>', 'Devin API base URL (default $DEVIN_API_URL or https://api.devin.ai)')
    .option('--emulator', 'run against an in-process Devin API emulator on loopback')
    .option('--emulator-state <file>', `emulator state file (default ${DEFAULT_EMULATOR_STATE})`)
    .option('--parallelism <n>', 'requests in flight at most (default 4)', int('--parallelism', 1))
    .option('--max-rps <n>', 'requests per second at most (default: settings.rate_limit.rps, else unlimited)', num('--max-rps'))
    .option('--max-retry-wait <seconds>', 'longest wait between retries (default 60, at most 3600)', num('--max-retry-wait', 3600))
    .option('--timeout <seconds>', 'per-request timeout (default 30, at most 3600)', num('--timeout', 3600))
    .option('--debug', 'log every HTTP request and response to stderr (secrets redacted)')
    .option('--no-color', 'never colour the output');
}

export function addCollect(cmd: Command, flags: string, description: string): Command {
  return cmd.option(flags, description, collect);
}

/** Offline errors, with the best-effort document so plan can add the live ones (D7). */
export class OfflineErrors extends DiagnosticsError {
  constructor(diagnostics: Diagnostic[], readonly partial?: LoadResult['partial']) {
    super(diagnostics);
  }
}

/** Load the -f files. Paths are resolved against the Io's cwd but shown as the user gave them. */
export async function loadDesired(io: Io, opts: FileOptions): Promise<LoadedConfig> {
  const files = opts.file?.length ? opts.file : ['devin.yaml'];
  const res = await loadConfig(files, {
    readFile: (p) => readFile(resolve(io.cwd, p)),
    stat: (p) => stat(resolve(io.cwd, p)),
    readdir: (p) => readdir(resolve(io.cwd, p)),
  });
  if (!res.config || res.diagnostics.some((d) => d.severity === 'error')) throw new OfflineErrors(res.diagnostics, res.partial);
  for (const d of res.diagnostics) io.err(formatDiagnostic(d) + '\n');
  return res.config;
}

export interface Connection {
  api: ApiClient;
  emulator?: RunningEmulator;
  /** Clear the progress line (if any) once reading is over. */
  progressDone(): void;
  close(): Promise<void>;
}

/** Progress of long reads on stderr, only when it is a terminal (and not with --debug). */
function progress(io: Io, debug: boolean | undefined) {
  let shown = false;
  return {
    onProgress: io.stderrIsTTY && !debug
      ? (e: { label: string; page: number; items: number }) => {
          shown = true;
          io.err(`\r\x1b[KReading ${e.label}: page ${e.page}, ${e.items} item${e.items === 1 ? '' : 's'}`);
        }
      : undefined,
    done() {
      if (shown) io.err('\r\x1b[K');
      shown = false;
    },
  };
}

export async function connect(io: Io, opts: ConnectOptions, config?: LoadedConfig): Promise<Connection> {
  let baseUrl: string;
  let token: string;
  let emulator: RunningEmulator | undefined;
  if (opts.emulator) {
    if (opts.apiUrl) throw new UsageError('--emulator cannot be combined with --api-url');
    const statePath = resolve(io.cwd, opts.emulatorState ?? DEFAULT_EMULATOR_STATE);
    await mkdir(dirname(statePath), { recursive: true });
    try {
      emulator = await startEmulator({ statePath, port: 0 });
    } catch (e) {
      throw new UsageError(`the emulator could not start from ${statePath}: ${(e as Error).message}; delete that file to start again from the demo seed`);
    }
    baseUrl = emulator.url;
    token = emulator.adminToken;
  } else {
    const conn = resolveConnection({ apiUrl: opts.apiUrl, env: io.env });
    if ('errors' in conn) throw new UsageError(conn.errors.join('; '));
    ({ baseUrl, token } = conn);
  }
  const dispatcher = createDispatcher(baseUrl, io.env);
  const prog = progress(io, opts.debug);
  const api = createApiClient({
    baseUrl,
    token,
    dispatcher,
    parallelism: opts.parallelism ?? 4,
    maxRps: opts.maxRps ?? config?.doc.settings?.rate_limit?.rps,
    maxRetryWaitMs: (opts.maxRetryWait ?? 60) * 1000,
    timeoutMs: (opts.timeout ?? 30) * 1000,
    log: opts.debug ? (line) => io.err(`[debug] ${line}\n`) : undefined,
    onProgress: prog.onProgress,
  });
  return {
    api,
    emulator,
    progressDone: prog.done,
    async close() {
      prog.done();
      await (dispatcher as { close?: () => Promise<void> }).close?.();
      await emulator?.close();
    },
  };
}
