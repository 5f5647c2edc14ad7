// `devinctl apply [PLANFILE]`: plan (or re-check a saved plan), show it, confirm (or
// --auto-approve), run the ordered calls, then re-read and check that live state now matches.
// Exit 0 when everything converged, 1 on any failure or refusal, 3 when a guard refuses.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { execContextFor, executePlan, type ChangeResult } from '../engine/apply.js';
import { GuardError } from '../engine/errors.js';
import { liveDigests, movedObjects } from '../engine/digest.js';
import { targetPlan } from '../engine/target.js';
import type { Change, Plan } from '../engine/types.js';
import { kinds } from '../kinds/index.js';
import { renderPlanText } from '../render/text.js';
import { ACTIONS } from '../render/symbols.js';
import type { ConnectOptions, FileOptions } from './common.js';
import { EXIT, UsageError } from './exit.js';
import { useColour, type Io } from './io.js';
import { addPlanningOptions, computePlan, guardsOf, prepare, type GuardOptions, type Prepared, type TargetOptions } from './plan.js';
import type { SecretOptions } from './secrets.js';
import { checkTokenFile, tokenSink } from './tokens.js';
import { Journal } from './journal.js';
import { readSavedPlan, secretFingerprints, type SavedPlan } from './planfile.js';

export interface ApplyOptions extends ConnectOptions, FileOptions, GuardOptions, SecretOptions, TargetOptions {
  autoApprove?: boolean;
  tokenFile?: string;
  journal?: string;
  color?: boolean;
}

function resultLine(r: ChangeResult): string {
  const a = ACTIONS[r.action];
  if (r.status === 'done') {
    const ids = r.created.length ? ` (${r.created.join(', ')})` : '';
    return `${r.address}: ${r.cascade ? 'deleted with its organization' : a.past}${ids}`;
  }
  if (r.status === 'failed') return `${r.address}: FAILED: ${r.error?.detail ?? 'unknown error'}`;
  if (r.because === 'interrupted') return `${r.address}: skipped (interrupted before it started)`;
  return `${r.address}: skipped (depends on ${r.because}, which did not complete)`;
}

/** Refusals that must come before any call (D14, D12). */
function refuseUnrunnable(changes: Change[], opts: ApplyOptions, haveValues: boolean): void {
  const provisions = changes.filter((c) => c.kind === 'service-user' && (c.action === 'create' || c.action === 'replace'));
  if (provisions.length && !opts.tokenFile) {
    throw new UsageError(`the plan provisions ${provisions.map((c) => c.address).join(', ')}: pass --token-file FILE to receive the tokens (they are shown only once)`);
  }
  const secrets = changes.filter((c) => c.kind === 'secret' && (c.action === 'create' || c.action === 'replace'));
  if (secrets.length && !haveValues) {
    throw new UsageError(`the plan writes ${secrets.map((c) => c.address).join(', ')}, which needs secret values: run without --skip-secret-values`);
  }
}

const sameChanges = (a: Plan, saved: SavedPlan): boolean =>
  a.changes.length === saved.changes.length &&
  a.changes.every((c, i) => {
    const s = saved.changes[i];
    return c.address === s.address && c.action === s.action && c.fields.map((f) => f.field).join() === s.fields.map((f) => f.field).join();
  });

/** D24/D12: the saved plan still describes what would happen now, or apply refuses naming why. */
function checkSavedPlan(p: Prepared, saved: SavedPlan): void {
  const s = saved.saved;
  if (p.config.digest !== s.desired_digest) throw new UsageError('the desired-state files changed since the plan was made; make a new plan');
  const moved = movedObjects(s.live, liveDigests(p.plan, p.run.live));
  if (moved.length) throw new UsageError(`live state changed since the plan was made: ${moved.join(', ')} moved; make a new plan`);
  const writesSecrets = saved.changes.some((c) => c.kind === 'secret' && (c.action === 'create' || c.action === 'replace'));
  if (s.skip_secret_values && writesSecrets) throw new UsageError('this plan was made with --skip-secret-values and writes secrets: it cannot be applied; plan again with the secret values');
  const now = secretFingerprints(p.plan.changes, p.secrets);
  const changed = Object.keys(s.secret_fingerprints).filter((a) => now[a] !== s.secret_fingerprints[a]).sort();
  if (changed.length) throw new UsageError(`secret values changed since the plan was made: ${changed.join(', ')}; make a new plan`);
  if (!sameChanges(p.plan, saved)) throw new UsageError('the plan no longer matches what live state requires; make a new plan');
}

export async function applyCommand(io: Io, planFile: string | undefined, opts: ApplyOptions): Promise<number> {
  let saved: SavedPlan | undefined;
  if (planFile) {
    if (opts.target?.length) throw new UsageError('apply PLANFILE takes the targets saved in the plan: --target is not allowed');
    saved = await readSavedPlan(resolve(io.cwd, planFile));
    opts = {
      ...opts,
      file: opts.file?.length ? opts.file : saved.saved.files,
      target: saved.saved.targets,
      allowDelete: saved.saved.allow_delete,
      force: saved.saved.force,
    };
  }
  if (opts.tokenFile) opts = { ...opts, tokenFile: resolve(io.cwd, opts.tokenFile) };
  if (opts.journal) opts = { ...opts, journal: resolve(io.cwd, opts.journal) };
  if (opts.tokenFile) await checkTokenFile(opts.tokenFile);
  const p = await prepare(io, opts);
  const { conn, run, config, secrets } = p;
  const colour = useColour(io, opts.color);
  try {
    if (saved) checkSavedPlan(p, saved);
    io.out(renderPlanText(p.plan, { colour }));
    const problems = guardsOf(run, p.plan, config, opts);
    if (problems.length) throw new GuardError(problems);
    if (p.plan.changes.length === 0) return EXIT.ok;
    refuseUnrunnable(p.plan.changes, opts, Boolean(secrets.secretValues));

    if (!opts.autoApprove) {
      if (!io.stdinIsTTY) throw new UsageError('apply needs confirmation: run it on a terminal, or pass --auto-approve');
      const answer = await io.confirm("\nDo you want to perform these actions? Only 'yes' will be accepted: ").catch(() => '');
      if (answer.trim() !== 'yes') {
        io.err('Apply cancelled; nothing was changed.\n');
        return EXIT.error;
      }
    }

    const journal = opts.journal ? await Journal.open(opts.journal, p.plan) : undefined;
    const base = execContextFor(conn.api, run, {
      secretValues: secrets.secretValues,
      fingerprinter: secrets.fingerprinter,
      tokenSink: opts.tokenFile ? tokenSink(opts.tokenFile) : undefined,
    });
    io.out('\n');
    // Ctrl-C: finish the calls in flight, start no new ones, then report (a second Ctrl-C quits)
    const interrupt = new AbortController();
    const stopListening = io.onInterrupt(() => {
      interrupt.abort();
      io.err('\nInterrupted: waiting for the calls in flight, starting no new ones (Ctrl-C again quits at once).\n');
    });
    let results: ChangeResult[];
    try {
      results = await executePlan(p.plan, kinds, base, {
        parallelism: opts.parallelism ?? 4,
        signal: interrupt.signal,
        onResult: async (r) => {
          io.out(resultLine(r) + '\n');
          await journal?.record(r);
        },
      });
    } finally {
      stopListening();
    }
    const count = (s: ChangeResult['status']) => results.filter((r) => r.status === s).length;
    let unmade: string[] = [];
    let unverified: string | undefined;
    if (count('done') > 0 && !interrupt.signal.aborted) {
      // re-read: a change the API accepted but did not make is an error (DESIGN "Partial failure")
      try {
        const after = targetPlan((await computePlan(conn, config, secrets, Boolean(opts.allowRenameCase))).plan, opts.target ?? []);
        const done = new Set(results.filter((r) => r.status === 'done').map((r) => r.address));
        unmade = after.changes.filter((c) => done.has(c.address)).map((c) => c.address);
        for (const a of unmade) io.err(`Error: ${a}: the API accepted the change but live state does not show it\n`);
      } catch (e) {
        unverified = e instanceof Error ? e.message : String(e);
        io.err(`Error: the changes were made, but reading live state again to verify them failed: ${unverified}\n`);
      }
    }
    await journal?.finish(unmade, interrupt.signal.aborted ? 'interrupted' : 'finished');
    const failed = count('failed');
    const skipped = count('skipped');
    const ok = failed === 0 && skipped === 0 && unmade.length === 0 && !unverified;
    const state = interrupt.signal.aborted ? 'interrupted' : ok ? 'complete' : 'incomplete';
    io.out(`\nApply ${state}! ${count('done')} done, ${failed} failed, ${skipped} skipped${unmade.length ? `, ${unmade.length} not made` : ''}${unverified ? ', not verified' : ''}.\n`);
    if (!ok) io.err('Re-run apply after fixing the cause: it converges from wherever this run stopped.\n');
    return ok ? EXIT.ok : EXIT.error;
  } finally {
    await conn.close();
  }
}

export function registerApply(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  addPlanningOptions(program.command('apply').argument('[planfile]', 'a plan saved with plan --out: apply exactly it, or refuse if anything moved').description('plan, confirm, and make the changes'))
    .option('--token-file <file>', 'append provisioned service-user tokens here as JSON lines (0600; required to provision)')
    .option('--auto-approve', 'skip the confirmation prompt (required without a terminal)')
    .option('--journal <file>', 'write a JSON journal of every change (done, failed, skipped, created ids) as the apply goes')
    .action((planFile: string | undefined, o: ApplyOptions) => run(applyCommand(io, planFile, o)));
}
