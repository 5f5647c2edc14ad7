// `devinctl plan`: read live state, diff against the desired state, print the ordered plan.
// Exit 0 (no changes, or changes without --detailed-exitcode), 2 (changes, with
// --detailed-exitcode), 3 (a guard refuses the plan), 1 (any error). --out saves the plan (D24).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { kinds } from '../kinds/index.js';
import { DiagnosticsError, liveDiagnostics, planFromApi, type PlanRun } from '../engine/pipeline.js';
import { sortDiagnostics } from '../config/format.js';
import { guardProblems } from '../engine/safety.js';
import { ignoreMatcher } from '../engine/ignore.js';
import { targetPlan } from '../engine/target.js';
import { matchGlob } from '../engine/glob.js';
import { closeMatches } from '../config/suggest.js';
import { GuardError } from '../engine/errors.js';
import type { Plan } from '../engine/types.js';
import type { LoadedConfig } from '../config/types.js';
import { renderPlanText } from '../render/text.js';
import { renderPlanJson } from '../render/json.js';
import { addCollect, addConnectOptions, addFileOption, connect, loadDesired, OfflineErrors, type Connection, type ConnectOptions, type FileOptions } from './common.js';
import { EXIT, UsageError } from './exit.js';
import { useColour, type Io } from './io.js';
import { prepareSecrets, secretDiagnostics, type SecretOptions, type SecretRun } from './secrets.js';
import { writeSavedPlan } from './planfile.js';
import { renderPlanMarkdown } from '../render/markdown.js';

export interface GuardOptions {
  allowDelete?: string[];
  force?: boolean;
  allowRenameCase?: boolean;
}

export interface TargetOptions {
  target?: string[];
}

export interface PlanOptions extends ConnectOptions, FileOptions, GuardOptions, SecretOptions, TargetOptions {
  detailedExitcode?: boolean;
  format?: string;
  out?: string;
  color?: boolean;
}

export function addGuardOptions(cmd: Command): Command {
  addCollect(cmd, '--allow-delete <kind>', 'allow deleting objects of this kind: organization, service-user (repeatable)');
  return cmd
    .option('--force', 'allow a plan that deletes more than settings.max_delete_percent of a collection')
    .option('--allow-rename-case', 'proceed when a name differs from a live one only in case or spacing');
}

export function addSecretOptions(cmd: Command): Command {
  return cmd
    .option('--skip-secret-values', 'read no secret variables; secret values are not compared')
    .option('--adopt-secrets', 'replace secrets whose marker this run cannot verify (other key or scheme)');
}

export function addTargetOption(cmd: Command): Command {
  return addCollect(cmd, '--target <address>', 'limit to matching addresses (glob; repeatable) plus what they depend on');
}

export function checkGuardFlags(opts: GuardOptions): Set<string> {
  const allowed = new Set(opts.allowDelete ?? []);
  const known = kinds.map((k) => k.name);
  for (const k of allowed) {
    if (!known.includes(k)) throw new UsageError(`--allow-delete takes a kind name (${known.join(', ')}), got '${k}'`);
  }
  return allowed;
}

/** Guard problems of a (possibly targeted) plan (D15, D16). */
export function guardsOf(run: PlanRun, plan: Plan, config: LoadedConfig, opts: GuardOptions): string[] {
  return guardProblems(plan, {
    allowDelete: checkGuardFlags(opts),
    force: Boolean(opts.force),
    maxDeletePercent: config.doc.settings?.max_delete_percent ?? 25,
    live: run.live,
    ignored: ignoreMatcher(config.doc.settings),
  });
}

export interface Prepared {
  config: LoadedConfig;
  secrets: SecretRun;
  conn: Connection;
  run: PlanRun;
  plan: Plan; // targeted
}

export async function computePlan(conn: Connection, config: LoadedConfig, secrets: SecretRun, allowRenameCase = false): Promise<PlanRun> {
  try {
    return await planFromApi(conn.api, config, kinds, { ...secrets, allowRenameCase });
  } finally {
    conn.progressDone();
  }
}

/** Load, connect, read and plan: what plan, apply and drift share. The caller closes conn. */
export async function prepare(io: Io, opts: ConnectOptions & FileOptions & SecretOptions & TargetOptions & GuardOptions): Promise<Prepared> {
  checkGuardFlags(opts);
  const config = await loadDesired(io, opts).catch((e) => withLiveDiagnostics(io, opts, e));
  const secrets = prepareSecrets(io, config, opts);
  const conn = await connect(io, opts, config);
  try {
    const run = await computePlan(conn, config, secrets, Boolean(opts.allowRenameCase));
    checkTargets(opts.target ?? [], run);
    return { config, secrets, conn, run, plan: targetPlan(run.plan, opts.target ?? []) };
  } catch (e) {
    await conn.close();
    throw e;
  }
}

/** Offline errors: add the live ones found by lookup reads only (D7), then report all at once. */
async function withLiveDiagnostics(io: Io, opts: ConnectOptions, e: unknown): Promise<never> {
  if (!(e instanceof OfflineErrors) || !e.partial) throw e;
  let conn: Connection | undefined;
  try {
    conn = await connect(io, opts);
    const live = await liveDiagnostics(conn.api, e.partial, kinds);
    const secrets = secretDiagnostics(e.partial, io.env, Boolean((opts as SecretOptions).skipSecretValues));
    throw new DiagnosticsError(sortDiagnostics([...e.diagnostics, ...secrets, ...live], e.partial.files));
  } catch (inner) {
    if (inner instanceof DiagnosticsError) throw inner;
    throw e; // the live checks could not run: the offline errors stand
  } finally {
    await conn?.close();
  }
}

/** A --target that matches no object (desired or live) is a mistake, not "no changes". */
function checkTargets(globs: string[], run: PlanRun): void {
  if (globs.length === 0) return;
  const known = kinds.map((k) => k.name);
  const addresses = [...run.desired, ...run.live].map((o) => `${o.kind}:${o.key}`);
  const problems: string[] = [];
  for (const g of globs) {
    const kind = g.includes(':') ? g.slice(0, g.indexOf(':')) : g;
    if (!/[*?]/.test(kind) && !known.includes(kind)) {
      const near = closeMatches(kind, known);
      problems.push(`--target '${g}': unknown kind '${kind}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}; addresses are kind:key`);
    } else if (!addresses.some((a) => matchGlob(g, a))) problems.push(`--target '${g}' matches no object, desired or live`);
  }
  if (problems.length) throw new UsageError(problems.join('\n       '));
}

export function renderPlan(io: Io, plan: Plan, format: string, colour: boolean | undefined): void {
  if (format === 'json') io.out(renderPlanJson(plan));
  else if (format === 'markdown') io.out(renderPlanMarkdown(plan, {}));
  else io.out(renderPlanText(plan, { colour: useColour(io, colour) }));
}

export function checkFormat(format: string): void {
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format must be text, json or markdown, got '${format}'`);
}

export async function planCommand(io: Io, opts: PlanOptions): Promise<number> {
  const format = opts.format ?? 'text';
  checkFormat(format);
  const p = await prepare(io, opts);
  try {
    renderPlan(io, p.plan, format, opts.color);
    const problems = guardsOf(p.run, p.plan, p.config, opts);
    if (problems.length) throw new GuardError(problems);
    if (opts.out) {
      await writeSavedPlan(resolve(io.cwd, opts.out), p.run, p.plan, p.config, p.secrets, {
        files: p.config.files.map((f) => relativeTo(io.cwd, f)),
        apiUrl: p.conn.api.baseUrl,
        skipSecretValues: Boolean(opts.skipSecretValues),
        targets: opts.target ?? [],
        allowDelete: [...checkGuardFlags(opts)],
        force: Boolean(opts.force),
      });
      io.err(`Saved the plan to ${opts.out}; apply exactly this plan with: devinctl apply ${opts.out}\n`);
    }
    return opts.detailedExitcode && p.plan.changes.length > 0 ? EXIT.changes : EXIT.ok;
  } finally {
    await p.conn.close();
  }
}

function relativeTo(cwd: string, path: string): string {
  return path.startsWith(cwd + '/') ? path.slice(cwd.length + 1) : path;
}

/** The options of every command that plans: files, connection, guards, secrets, targets. */
export function addPlanningOptions(cmd: Command): Command {
  addFileOption(cmd);
  addConnectOptions(cmd);
  addGuardOptions(cmd);
  addSecretOptions(cmd);
  return addTargetOption(cmd);
}

export function registerPlan(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  addPlanningOptions(program.command('plan').description('show what apply would change, in order'))
    .option('--detailed-exitcode', 'exit 2 when there are changes (0 none, 1 error, 3 refused by a guard)')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--out <file>', 'save the plan (with digests of the live state it read) for `devinctl apply FILE`')
    .action((o: PlanOptions) => run(planCommand(io, o)));
}
