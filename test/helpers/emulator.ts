// A fresh emulator per test over real loopback sockets, with a temp folder for files.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator, type SeedDoc } from '../../src/emulator/index.js';
import { runCli, type CliOptions, type CliResult } from './cli.js';

export const DEMO_SEED = join(import.meta.dirname, '../../examples/emulator-seed.json');

export async function demoSeed(): Promise<SeedDoc> {
  return JSON.parse(await readFile(DEMO_SEED, 'utf8')) as SeedDoc;
}

export interface Sandbox {
  emu: RunningEmulator;
  dir: string;
  env: Record<string, string>;
  /** Write a desired-state file in the sandbox; returns its path. */
  write(name: string, yaml: string): Promise<string>;
  /** Run devinctl against this emulator (adds --api-url). */
  cli(args: string[], o?: CliOptions): Promise<CliResult>;
  close(): Promise<void>;
}

export async function sandbox(opts: EmulatorOptions = {}): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'devinctl-test-'));
  const emu = await startEmulator({ statePath: join(dir, 'emulator.json'), port: 0, ...opts });
  const env = { DEVIN_API_TOKEN: emu.adminToken, DEVIN_API_URL: emu.url };
  return {
    emu,
    dir,
    env,
    async write(name, yaml) {
      const p = join(dir, name);
      await writeFile(p, yaml);
      return p;
    },
    cli: (args, o = {}) => runCli(args, { cwd: dir, ...o, env: { ...env, ...(o.env ?? {}) } }),
    async close() {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ConvergeArgs {
  /** Flags for plan and apply alike (e.g. --allow-delete organization). */
  both?: string[];
  /** Flags for apply only (e.g. --token-file). */
  apply?: string[];
  cli?: CliOptions;
}

/** plan -> apply -> plan again: the scenario habit. The second plan must be empty. */
export async function converge(sb: Sandbox, files: string[], a: ConvergeArgs = {}): Promise<{ plan: CliResult; apply: CliResult; again: CliResult }> {
  const f = files.flatMap((x) => ['-f', x]);
  const both = a.both ?? [];
  const plan = await sb.cli(['plan', ...f, ...both], a.cli);
  const apply = await sb.cli(['apply', ...f, '--auto-approve', ...both, ...(a.apply ?? [])], a.cli);
  const again = await sb.cli(['plan', ...f, '--detailed-exitcode', ...both], a.cli);
  return { plan, apply, again };
}
