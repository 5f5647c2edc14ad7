// `devinctl apply`: plan, show it, confirm (or --auto-approve), run the ordered calls, then
// re-read and check that live state now matches. Exit 0 when everything converged, 1 on any
// failure or refusal, 3 when a guard refuses before any call.
import type { Command } from 'commander';
import { executePlan, type ChangeResult } from '../engine/apply.js';
import { GuardError } from '../engine/errors.js';
import type { ExecContext } from '../engine/types.js';
import { kinds } from '../kinds/index.js';
import { renderPlanText } from '../render/text.js';
import { ACTIONS } from '../render/symbols.js';
import { addConnectOptions, addFileOption, connect, loadDesired, type ConnectOptions, type FileOptions } from './common.js';
import { EXIT, UsageError } from './exit.js';
import { useColour, type Io } from './io.js';
import { addGuardOptions, computePlan, guardsOf, type GuardOptions } from './plan.js';
import { Journal } from './journal.js';

export interface ApplyOptions extends ConnectOptions, FileOptions, GuardOptions {
  autoApprove?: boolean;
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
  return `${r.address}: skipped (depends on ${r.because}, which did not complete)`;
}

export async function applyCommand(io: Io, opts: ApplyOptions): Promise<number> {
  const config = await loadDesired(io, opts);
  const conn = await connect(io, opts, config);
  const colour = useColour(io, opts.color);
  try {
    const run = await computePlan(conn.api, config);
    io.out(renderPlanText(run.plan, { colour }));
    const problems = guardsOf(run, config, opts);
    if (problems.length) throw new GuardError(problems);
    if (run.plan.changes.length === 0) return EXIT.ok;

    if (!opts.autoApprove) {
      if (!io.stdinIsTTY) throw new UsageError('apply needs confirmation: run it on a terminal, or pass --auto-approve');
      const answer = await io.confirm("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
      if (answer.trim() !== 'yes') {
        io.err('Apply cancelled; nothing was changed.\n');
        return EXIT.error;
      }
    }

    const journal = opts.journal ? await Journal.open(opts.journal, run.plan) : undefined;
    const desired = new Map(run.desired.map((d) => [`${d.kind}:${d.key}`, d]));
    const base: Omit<ExecContext, 'created'> = {
      api: conn.api,
      lookups: run.lookups,
      desired,
      orgId(key) {
        const id = run.lookups.orgIdByKey.get(key);
        if (!id) throw new Error(`organization ${key} has no id (was its create skipped?)`);
        return id;
      },
      roleId(type, name) {
        const role = run.lookups.roles.find((r) => r.role_type === type && r.role_name === name);
        if (!role) throw new Error(`unknown ${type} role ${name}`);
        return role.role_id;
      },
    };
    io.out('\n');
    const results = await executePlan(run.plan, kinds, base, {
      parallelism: opts.parallelism ?? 4,
      onResult: async (r) => {
        io.out(resultLine(r) + '\n');
        await journal?.record(r);
      },
    });
    const count = (s: ChangeResult['status']) => results.filter((r) => r.status === s).length;
    let unmade: string[] = [];
    if (count('done') > 0) {
      // re-read: a change the API accepted but did not make is an error (DESIGN "Partial failure")
      const after = await computePlan(conn.api, config);
      const done = new Set(results.filter((r) => r.status === 'done').map((r) => r.address));
      unmade = after.plan.changes.filter((c) => done.has(c.address)).map((c) => c.address);
      for (const a of unmade) io.err(`Error: ${a}: the API accepted the change but live state does not show it\n`);
    }
    await journal?.finish(unmade);
    const failed = count('failed');
    const skipped = count('skipped');
    const ok = failed === 0 && skipped === 0 && unmade.length === 0;
    io.out(`\nApply ${ok ? 'complete' : 'incomplete'}! ${count('done')} done, ${failed} failed, ${skipped} skipped${unmade.length ? `, ${unmade.length} not made` : ''}.\n`);
    if (!ok) io.err('Re-run apply after fixing the cause: it converges from wherever this run stopped.\n');
    return ok ? EXIT.ok : EXIT.error;
  } finally {
    await conn.close();
  }
}

export function registerApply(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  const cmd = program.command('apply').description('plan, confirm, and make the changes');
  addFileOption(cmd);
  addConnectOptions(cmd);
  addGuardOptions(cmd);
  cmd
    .option('--auto-approve', 'skip the confirmation prompt (required without a terminal)')
    .option('--journal <file>', 'write a JSON journal of every change (done, failed, skipped, created ids) as the apply goes')
    .action((o: ApplyOptions) => run(applyCommand(io, o)));
}
