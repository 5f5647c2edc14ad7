// `devinctl plan`: read live state, diff against the desired state, print the ordered plan.
// Exit 0 (no changes or --detailed-exitcode not set), 2 (changes, with --detailed-exitcode),
// 3 (a guard refuses the plan), 1 (any error).
import type { Command } from 'commander';
import { kinds } from '../kinds/index.js';
import { planFromApi, type PlanRun } from '../engine/pipeline.js';
import { guardProblems } from '../engine/safety.js';
import { ignoreMatcher } from '../engine/ignore.js';
import { GuardError } from '../engine/errors.js';
import type { LoadedConfig } from '../config/types.js';
import { renderPlanText } from '../render/text.js';
import { renderPlanJson } from '../render/json.js';
import type { ApiClient } from '../api/types.js';
import { addCollect, addConnectOptions, addFileOption, connect, loadDesired, type ConnectOptions, type FileOptions } from './common.js';
import { EXIT, UsageError } from './exit.js';
import { useColour, type Io } from './io.js';
import { prepareSecrets, type SecretOptions, type SecretRun } from './secrets.js';

export interface GuardOptions {
  allowDelete?: string[];
  force?: boolean;
}

export interface PlanOptions extends ConnectOptions, FileOptions, GuardOptions, SecretOptions {
  detailedExitcode?: boolean;
  format?: string;
  color?: boolean;
}

export function addGuardOptions(cmd: Command): Command {
  addCollect(cmd, '--allow-delete <kind>', 'allow deleting objects of this kind: organization, service-user (repeatable)');
  return cmd.option('--force', `allow a plan that deletes more than settings.max_delete_percent of a collection (D16)`);
}

export function checkGuardFlags(opts: GuardOptions): Set<string> {
  const allowed = new Set(opts.allowDelete ?? []);
  const known = kinds.map((k) => k.name);
  for (const k of allowed) {
    if (!known.includes(k)) throw new UsageError(`--allow-delete takes a kind name (${known.join(', ')}), got '${k}'`);
  }
  return allowed;
}

/** Guard problems of a finished plan run (D15, D16). */
export function guardsOf(run: PlanRun, config: LoadedConfig, opts: GuardOptions): string[] {
  return guardProblems(run.plan, {
    allowDelete: checkGuardFlags(opts),
    force: Boolean(opts.force),
    maxDeletePercent: config.doc.settings?.max_delete_percent ?? 25,
    live: run.live,
    ignored: ignoreMatcher(config.doc.settings),
  });
}

export async function computePlan(api: ApiClient, config: LoadedConfig, secrets: SecretRun): Promise<PlanRun> {
  return planFromApi(api, config, kinds, secrets);
}

export function addSecretOptions(cmd: Command): Command {
  return cmd
    .option('--skip-secret-values', 'read no secret variables; secret values show as "not checked" (D12)')
    .option('--adopt-secrets', 'replace secrets whose marker this run cannot verify (other key or scheme, D11)');
}

export async function planCommand(io: Io, opts: PlanOptions): Promise<number> {
  const format = opts.format ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`--format must be text or json, got '${format}'`);
  checkGuardFlags(opts);
  const config = await loadDesired(io, opts);
  const secrets = prepareSecrets(io, config, opts);
  const conn = await connect(io, opts, config);
  try {
    const run = await computePlan(conn.api, config, secrets);
    if (format === 'json') io.out(renderPlanJson(run.plan));
    else io.out(renderPlanText(run.plan, { colour: useColour(io, opts.color) }));
    const problems = guardsOf(run, config, opts);
    if (problems.length) throw new GuardError(problems);
    const changed = run.plan.changes.length > 0;
    return opts.detailedExitcode && changed ? EXIT.changes : EXIT.ok;
  } finally {
    await conn.close();
  }
}

export function registerPlan(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  const cmd = program.command('plan').description('show what apply would change, in order');
  addFileOption(cmd);
  addConnectOptions(cmd);
  addGuardOptions(cmd);
  addSecretOptions(cmd);
  cmd
    .option('--detailed-exitcode', 'exit 2 when there are changes (0 none, 1 error, 3 refused by a guard)')
    .option('--format <format>', 'text or json', 'text')
    .action((o: PlanOptions) => run(planCommand(io, o)));
}
