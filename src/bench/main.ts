// `npm run bench`: devinctl at enterprise scale against the in-process emulator (with per-request
// latency) over real loopback sockets. A script that prints figures, never a timed test; CI runs
// it with --small as a smoke test (test/bench/smoke.test.ts). See the table in formatTable().
//
//   node dist/bench/main.js [--orgs 500] [--git-perms 20] [--tags 8] [--secrets 5]
//     [--org-idp-groups 3] [--org-service-users 2] [--idp-groups 1000] [--service-users 300]
//     [--latency 25] [--parallelism 8] [--engine-objects 100000] [--json] [--small]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { createApiClient, type HttpApiClient } from '../api/client.js';
import { loadConfig } from '../config/load.js';
import { resolveSecretValues } from '../config/secrets.js';
import type { LoadedConfig } from '../config/types.js';
import { execContextFor, executePlan, type ChangeResult } from '../engine/apply.js';
import { makeFingerprinter } from '../engine/fingerprint.js';
import { planFromApi, type PlanRun, type RunOptions } from '../engine/pipeline.js';
import { startEmulator, type RunningEmulator, type SeedDoc } from '../emulator/index.js';
import { kinds } from '../kinds/index.js';
import { calibrationCpuMs, measureEngineCpu, type EngineCpuResult } from './engine-cpu.js';
import {
  bootstrapMinimum, changeMinimum, generateEnterprise, longestReadChain, readFloor, sum, type Enterprise, type Size,
} from './generate.js';
import { formatTable } from './report.js';

export interface BenchOptions {
  size: Size;
  latencyMs: number;
  parallelism: number;
  engineObjects: number;
  json: boolean;
  small: boolean;
}

export const DEFAULT_SIZE: Size = {
  orgs: 500, gitPerms: 20, tags: 8, secrets: 5, orgIdpGroups: 3, orgServiceUsers: 2, idpGroups: 1000, serviceUsers: 300,
};
export const SMALL_SIZE: Size = {
  orgs: 5, gitPerms: 4, tags: 3, secrets: 2, orgIdpGroups: 2, orgServiceUsers: 1, idpGroups: 10, serviceUsers: 5,
};

/** Targets on the default size (the "Enterprise scale" issue). */
export const TARGETS = {
  readRatio: 1.0,
  bootstrapWriteRatio: 1.05,
  planWallRatio: 1.3,
  engineCpuMs: 1000,
  loadRatio: 1.5,
  peakRssMb: 400,
};

const FLAGS = {
  orgs: 'orgs', 'git-perms': 'gitPerms', tags: 'tags', secrets: 'secrets', 'org-idp-groups': 'orgIdpGroups',
  'org-service-users': 'orgServiceUsers', 'idp-groups': 'idpGroups', 'service-users': 'serviceUsers',
} as const satisfies Record<string, keyof Size>;

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: 'string' as const }])),
      latency: { type: 'string' },
      parallelism: { type: 'string' },
      'engine-objects': { type: 'string' },
      json: { type: 'boolean', default: false },
      small: { type: 'boolean', default: false },
    },
  });
  const v = values as Record<string, string | boolean | undefined>;
  const small = v.small === true;
  const num = (flag: string, dflt: number): number => {
    const raw = v[flag];
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a number ≥ 0, got '${String(raw)}'`);
    return n;
  };
  const size = { ...(small ? SMALL_SIZE : DEFAULT_SIZE) };
  for (const [flag, field] of Object.entries(FLAGS)) size[field] = num(flag, size[field]);
  const parallelism = num('parallelism', 8);
  if (!Number.isInteger(parallelism) || parallelism < 1) throw new Error('--parallelism must be a whole number ≥ 1');
  return {
    size,
    latencyMs: num('latency', small ? 2 : 25),
    parallelism,
    engineObjects: num('engine-objects', small ? 2_000 : 100_000),
    json: v.json === true,
    small,
  };
}

export interface ApplyFigures {
  /** Write requests the emulator counted (everything but GET). */
  writes: number;
  minimum: number;
  ratio: number;
  byRoute: Record<string, number>;
  minimumByRoute: Record<string, number>;
  /** GETs during the apply itself (the executor's re-reads, if any). */
  readsDuringApply: number;
  planned: PlanRun['plan']['summary'];
  changes: number;
  failed: number;
  skipped: number;
  firstErrors: string[];
  /** A plan right after the apply is empty. */
  converged: boolean;
  wallMs: number;
  /** writes × latency / parallelism. */
  idealWallMs: number;
}

export interface BenchResult {
  size: Size;
  latencyMs: number;
  parallelism: number;
  objects: Record<string, number>;
  desiredFileBytes: number;
  reads: {
    /** GETs of a plan where live equals desired. */
    noChangePlan: number;
    floor: number;
    ratio: number;
    byRoute: Record<string, number>;
    floorByRoute: Record<string, number>;
    /** Changes in that plan: 0 unless live and desired differ (they must not). */
    noChangePlanChanges: number;
  };
  planWall: { ms: number; idealMs: number; ratio: number; longestChainPages: number };
  bootstrap: ApplyFigures;
  change10: ApplyFigures;
  engine: EngineCpuResult;
  /** The engine figures come from a fresh child process (false: this process, when run from src/). */
  engineIsolated: boolean;
  /** CPU ms of a fixed reference loop (engine-cpu.ts calibrationCpuMs): how fast this machine is. */
  calibrationCpuMs: number;
  load: { loadConfigCpuMs: number; parseDocumentCpuMs: number; ratio: number };
  /** Peak RSS (MB) of this process by the end of the applies (the engine workload, the emulator and the bench's own data included); the target figure when the CLI cannot run in a child process. */
  peakRssMb: number;
  /** Peak RSS (MB) of the devinctl CLI alone (child process) for `plan` (no change) and the bootstrap `apply`; null without dist/. */
  cliPeakRssMb: { plan: number; apply: number } | null;
  /** Peak RSS (MB) of the whole benchmark, its CPU loops (5 loads, 5 parses, 3 × makePlan of 100k) included. */
  peakRssWholeBenchMb: number;
  /** Peak RSS (MB) reached by the end of each phase: where the peak comes from. */
  peakRssByPhase: Record<string, number>;
  targets: { name: string; value: number; target: string; met: boolean }[];
}

const ratio = (a: number, b: number): number => (b === 0 ? (a === 0 ? 1 : Infinity) : a / b);
const reads = (byRoute: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(byRoute).filter(([k]) => k.startsWith('GET ')));
const writes = (byRoute: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(byRoute).filter(([k]) => !k.startsWith('GET ')));

/** CPU milliseconds (user + system) of `fn`; nothing else may run meanwhile. */
async function cpuMs(fn: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function load(file: string): Promise<LoadedConfig> {
  const res = await loadConfig([file]);
  if (!res.config) throw new Error(`the generated file ${file} does not load:\n${res.diagnostics.slice(0, 5).map((d) => `${d.line}:${d.col} ${d.message}`).join('\n')}`);
  return res.config;
}

function runOptions(config: LoadedConfig, env: Record<string, string>): RunOptions {
  const { values, diagnostics } = resolveSecretValues(config.doc, config.locate, env);
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(diagnostics[0].message);
  return { secretValues: values, fingerprinter: makeFingerprinter(env) };
}

function client(emu: RunningEmulator, parallelism: number): HttpApiClient {
  return createApiClient({ baseUrl: emu.url, token: emu.adminToken, parallelism });
}

/** plan → apply → plan again (without latency): writes counted by the emulator. */
async function applyAndCount(emu: RunningEmulator, o: BenchOptions, config: LoadedConfig, env: Record<string, string>, minimumByRoute: Record<string, number>): Promise<ApplyFigures> {
  const opts = runOptions(config, env);
  const api = client(emu, o.parallelism);
  try {
    const run = await planFromApi(api, config, kinds, opts);
    emu.resetStats();
    const started = performance.now();
    const results = await executePlan(run.plan, kinds, execContextFor(api, run, { secretValues: opts.secretValues, fingerprinter: opts.fingerprinter, tokenSink: async () => undefined }), { parallelism: o.parallelism });
    const wallMs = performance.now() - started;
    const stats = emu.stats();
    const byRoute = writes(stats.byRoute);
    emu.setLatency(0);
    const again = await planFromApi(api, config, kinds, opts);
    emu.setLatency(o.latencyMs);
    const minimum = sum(minimumByRoute);
    const bad = results.filter((r: ChangeResult) => r.status !== 'done');
    return {
      writes: stats.writes,
      minimum,
      ratio: ratio(stats.writes, minimum),
      byRoute,
      minimumByRoute,
      readsDuringApply: stats.reads,
      planned: run.plan.summary,
      changes: run.plan.changes.length,
      failed: bad.filter((r) => r.status === 'failed').length,
      skipped: bad.filter((r) => r.status === 'skipped').length,
      firstErrors: bad.filter((r) => r.error).slice(0, 3).map((r) => `${r.address}: ${r.error!.detail}`),
      converged: again.plan.changes.length === 0,
      wallMs,
      idealWallMs: (stats.writes * o.latencyMs) / o.parallelism,
    };
  } finally {
    await api.close();
  }
}

async function withEmulator<T>(seed: SeedDoc, latencyMs: number, fn: (emu: RunningEmulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator({ seed, latencyMs });
  try {
    return await fn(emu);
  } finally {
    await emu.close();
  }
}

/**
 * makePlan's CPU time and the reference loop, on a clean heap: in a fresh child process when the
 * compiled bench is there, else (run from src/, e.g. by vitest) in this process.
 */
async function engineFigures(total: number): Promise<{ engine: EngineCpuResult; calibration: number; engineIsolated: boolean }> {
  const entry = fileURLToPath(new URL('./engine-cpu.js', import.meta.url));
  if (!existsSync(entry)) {
    return { engine: measureEngineCpu(total), calibration: median([calibrationCpuMs(), calibrationCpuMs(), calibrationCpuMs()]), engineIsolated: false };
  }
  const child = spawn(process.execPath, [entry, String(total)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => void (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new Error(`the engine measurement failed (exit ${code}):\n${stderr.slice(-2000)}`);
  const out = JSON.parse(stdout) as { engine: EngineCpuResult; calibration: number };
  return { ...out, engineIsolated: true };
}

/** The CLI's own peak RSS for one command, in a child process (undefined when run from src/, without dist/). */
async function cliPeakRssMb(args: string[], env: Record<string, string>): Promise<{ mb: number; code: number } | undefined> {
  const entry = fileURLToPath(new URL('./cli-rss.js', import.meta.url));
  if (!existsSync(entry)) return undefined;
  const child = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => void (stderr += d));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  const m = /BENCH_MAX_RSS_KB=(\d+)/.exec(stderr);
  if (!m) throw new Error(`devinctl ${args[0]} in a child process printed no peak RSS (exit ${code}):\n${stderr.slice(-2000)}`);
  return { mb: Number(m[1]) / 1024, code };
}

export async function runBench(o: BenchOptions, progress: (line: string) => void = () => undefined): Promise<BenchResult> {
  const key = process.env.DEVINCTL_FINGERPRINT_KEY || 'devinctl-bench-fingerprint-key';
  const peakRssByPhase: Record<string, number> = {};
  const phase = (name: string): void => {
    peakRssByPhase[name] = process.resourceUsage().maxRSS / 1024;
  };
  phase('start');
  const ent: Enterprise = generateEnterprise(o.size, key);
  const dir = await mkdtemp(join(tmpdir(), 'devinctl-bench-'));
  try {
    const desiredFile = join(dir, 'desired.yaml');
    const changedFile = join(dir, 'changed.yaml');
    await writeFile(desiredFile, ent.desiredYaml);
    await writeFile(changedFile, ent.changedYaml);
    await writeFile(join(dir, 'seed.json'), JSON.stringify(ent.seed));
    await writeFile(join(dir, 'empty-seed.json'), JSON.stringify(ent.emptySeed));

    // what a user's run does first (cold: JIT included): load, plan, apply
    const desired = await load(desiredFile);
    const changedConfig = await load(changedFile);
    phase('generate + load');

    // the no-change plan: reads vs the floor, wall time vs the ideal
    progress('no-change plan');
    const floorByRoute = readFloor(o.size, 'equal');
    const floor = sum(floorByRoute);
    const chain = longestReadChain(o.size);
    const noChange = await withEmulator(ent.seed, o.latencyMs, async (emu) => {
      const opts = runOptions(desired, ent.env);
      const api = client(emu, o.parallelism);
      try {
        emu.resetStats();
        const started = performance.now();
        const run = await planFromApi(api, desired, kinds, opts);
        const ms = performance.now() - started;
        const stats = emu.stats();
        progress('10% change: plan + apply');
        const change10 = await applyAndCount(emu, o, changedConfig, ent.env, changeMinimum(ent.changes));
        return { changes: run.plan.changes.length, ms, stats, change10 };
      } finally {
        await api.close();
      }
    });
    phase('no-change plan + 10% change apply');
    const measuredReads = noChange.stats.reads;
    const idealMs = Math.max((measuredReads * o.latencyMs) / o.parallelism, chain * o.latencyMs);

    progress('bootstrap: plan + apply');
    const bootstrap = await withEmulator(ent.emptySeed, o.latencyMs, (emu) => applyAndCount(emu, o, desired, ent.env, bootstrapMinimum(o.size)));
    phase('bootstrap apply');
    // this process through the plans and applies (the load loop below only adds the bench's own garbage)
    const peakRssPlanApplyMb = process.resourceUsage().maxRSS / 1024;

    // the CLI alone, in a child process, against emulators without latency: `plan` where live equals
    // desired, and the bootstrap `apply` (with its post-apply re-read)
    progress('devinctl plan / apply in a child process (peak RSS)');
    const cliEnv = (emu: RunningEmulator) => ({ ...ent.env, DEVIN_API_URL: emu.url, DEVIN_API_TOKEN: emu.adminToken });
    const par = ['--parallelism', String(o.parallelism)];
    const cliPlan = await withEmulator(ent.seed, 0, (emu) => cliPeakRssMb(['plan', '-f', desiredFile, ...par], cliEnv(emu)));
    const cliApply = await withEmulator(ent.emptySeed, 0, (emu) =>
      cliPeakRssMb(['apply', '-f', desiredFile, '--auto-approve', '--token-file', join(dir, 'tokens.jsonl'), ...par], cliEnv(emu)));
    for (const [name, r] of [['plan', cliPlan], ['apply', cliApply]] as const) {
      if (r && r.code !== 0) throw new Error(`devinctl ${name} in a child process exited ${r.code}`);
    }

    // load + validate vs the YAML parser alone, on the same text: one warm-up each, then the median of 5
    progress('load+validate vs yaml.parseDocument');
    const text = await readFile(desiredFile, 'utf8');
    await load(desiredFile);
    parseDocument(text);
    const loadRuns: number[] = [];
    const parseRuns: number[] = [];
    for (let i = 0; i < 5; i++) {
      loadRuns.push(await cpuMs(() => load(desiredFile)));
      parseRuns.push(await cpuMs(() => parseDocument(text)));
    }
    const loadFig = { loadConfigCpuMs: median(loadRuns), parseDocumentCpuMs: median(parseRuns), ratio: 0 };
    loadFig.ratio = ratio(loadFig.loadConfigCpuMs, loadFig.parseDocumentCpuMs);
    phase('load CPU loop');

    progress(`engine: makePlan over ${o.engineObjects} objects`);
    const { engine, calibration, engineIsolated } = await engineFigures(o.engineObjects);
    phase('engine makePlan');

    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const result: BenchResult = {
      size: o.size,
      latencyMs: o.latencyMs,
      parallelism: o.parallelism,
      objects: ent.objects,
      desiredFileBytes: Buffer.byteLength(ent.desiredYaml),
      reads: {
        noChangePlan: measuredReads,
        floor,
        ratio: ratio(measuredReads, floor),
        byRoute: reads(noChange.stats.byRoute),
        floorByRoute,
        noChangePlanChanges: noChange.changes,
      },
      planWall: { ms: noChange.ms, idealMs, ratio: ratio(noChange.ms, idealMs), longestChainPages: chain },
      bootstrap,
      change10: noChange.change10,
      engine,
      calibrationCpuMs: calibration,
      engineIsolated,
      load: loadFig,
      peakRssMb: peakRssPlanApplyMb,
      cliPeakRssMb: cliPlan && cliApply ? { plan: cliPlan.mb, apply: cliApply.mb } : null,
      peakRssWholeBenchMb: peakRssMb,
      peakRssByPhase,
      targets: [],
    };
    // the target figure: the CLI's own peak when it could run in a child process, else this process through plans and applies
    const peakRss = result.cliPeakRssMb ? Math.max(result.cliPeakRssMb.plan, result.cliPeakRssMb.apply) : peakRssPlanApplyMb;
    result.targets = [
      { name: 'reads / floor', value: result.reads.ratio, target: `= ${TARGETS.readRatio.toFixed(2)}`, met: Math.abs(result.reads.ratio - TARGETS.readRatio) < 0.005 },
      { name: 'bootstrap writes / minimum', value: bootstrap.ratio, target: `<= ${TARGETS.bootstrapWriteRatio}`, met: bootstrap.ratio <= TARGETS.bootstrapWriteRatio },
      { name: 'plan wall / ideal', value: result.planWall.ratio, target: `<= ${TARGETS.planWallRatio}`, met: result.planWall.ratio <= TARGETS.planWallRatio },
      { name: `engine CPU ms (${engine.objects.desired} objects)`, value: engine.cpuMs, target: `<= ${TARGETS.engineCpuMs}`, met: engine.cpuMs <= TARGETS.engineCpuMs },
      { name: 'load+validate / yaml parse', value: loadFig.ratio, target: `<= ${TARGETS.loadRatio}`, met: loadFig.ratio <= TARGETS.loadRatio },
      { name: 'peak RSS MB', value: peakRss, target: `<= ${TARGETS.peakRssMb}`, met: peakRss <= TARGETS.peakRssMb },
    ];
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function main(argv: string[]): Promise<number> {
  let o: BenchOptions;
  try {
    o = parseBenchArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 1;
  }
  const result = await runBench(o, (line) => process.stderr.write(`bench: ${line}…\n`));
  process.stdout.write(o.json ? JSON.stringify(result, null, 2) + '\n' : formatTable(result));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`bench: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
