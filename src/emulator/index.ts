// Public API of the Devin API emulator: startEmulator() serves the state over real loopback HTTP;
// used by `devinctl emulator`, `--emulator`, the tests and the benchmarks. Written only from the
// API's facts (../shared/api): it imports nothing from kinds/, engine/ or api/.
import type { AddressInfo } from 'node:net';
import { FaultEngine, type FaultConfig } from './faults.js';
import { loadStateFile, saveStateFile } from './persist.js';
import { ROUTES } from './routes/index.js';
import { Router } from './router.js';
import { readSeed, seedToState } from './seed.js';
import { createEmulatorServer, type Latency } from './server.js';
import { StatsCounter, type EmulatorStats } from './stats.js';
import type { EmulatorState, SeedDoc } from './types.js';

export { parseFaults, type FaultConfig, type HttpMethod } from './faults.js';
export type { EmulatorStats } from './stats.js';
export { defaultSeedPath, seedToState } from './seed.js';
export type * from './types.js';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** JSON state file: loaded if it exists, else seeded; written 0600, atomically, after every applied write. */
  statePath?: string;
  /** Seed file path or document; default examples/emulator-seed.json of this package. */
  seed?: string | SeedDoc;
  /** Discard the statePath contents and re-seed. */
  reset?: boolean;
  faults?: FaultConfig;
  /** Delay added to every request, in milliseconds (a fixed value or a uniform range). */
  latencyMs?: number | { min: number; max: number };
}

export interface RunningEmulator {
  url: string;
  port: number;
  /** The seed's admin token. */
  adminToken: string;
  stats(): EmulatorStats;
  resetStats(): void;
  setFaults(f: FaultConfig | undefined): void;
  setLatency(ms: number | { min: number; max: number } | undefined): void;
  /** Live, mutable state, for out-of-band changes in tests. Call save() to persist such changes. */
  state: EmulatorState;
  save(): Promise<void>;
  close(): Promise<void>;
}

/** Every route served: method, path template as in the spec, and whether it answers a v3 page. */
export function listRoutes(): { method: string; path: string; paged: boolean }[] {
  return ROUTES.map((r) => ({ method: r.method, path: r.path, paged: r.paged === true }));
}

/** "50" → 50, "10-200" → {min: 10, max: 200}; for command-line flags. */
export function parseLatency(spec: string): number | { min: number; max: number } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?))?\s*(?:ms)?\s*$/.exec(spec);
  if (!m) throw new Error(`invalid latency "${spec}" (expected milliseconds, e.g. 50 or 10-200)`);
  const min = Number(m[1]);
  if (m[2] === undefined) return min;
  const max = Number(m[2]);
  if (max < min) throw new Error(`invalid latency "${spec}": the maximum is below the minimum`);
  return { min, max };
}

function validateLatency(l: Latency): Latency {
  if (l === undefined) return l;
  const ok = typeof l === 'number' ? Number.isFinite(l) && l >= 0 : Number.isFinite(l.min) && Number.isFinite(l.max) && l.min >= 0 && l.max >= l.min;
  if (!ok) throw new Error(`invalid emulator latency ${JSON.stringify(l)}`);
  return l;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  let state: EmulatorState | undefined = opts.statePath && !opts.reset ? loadStateFile(opts.statePath) : undefined;
  const fresh = state === undefined;
  state ??= seedToState(readSeed(opts.seed));
  const live: EmulatorState = state;
  const persist = (): void => {
    if (opts.statePath) saveStateFile(opts.statePath, live);
  };
  if (fresh) persist();

  let faults = opts.faults ? new FaultEngine(opts.faults) : undefined;
  let latency: Latency = validateLatency(opts.latencyMs);
  const stats = new StatsCounter();
  const server = createEmulatorServer({
    state: () => live,
    router: new Router([...ROUTES]),
    faults: () => faults,
    latency: () => latency,
    stats,
    persist,
  });

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    adminToken: live.admin_token,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults: (f) => {
      faults = f ? new FaultEngine(f) : undefined;
    },
    setLatency: (ms) => {
      latency = validateLatency(ms);
    },
    state: live,
    save: async () => persist(),
    close: () =>
      (closed ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      })),
  };
}
