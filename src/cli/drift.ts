// `devinctl drift`: the read/diff pipeline without writes, for a cron job. Exit 0 in sync,
// 2 on drift, 1 on error. Wording per D26.
import type { Command } from 'commander';
import type { Plan } from '../engine/types.js';
import { planDocument } from '../render/json.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { renderChangeText, renderWarningsText } from '../render/text.js';
import { addConnectOptions, addFileOption, type ConnectOptions, type FileOptions } from './common.js';
import { EXIT } from './exit.js';
import { useColour, type Io } from './io.js';
import { addSecretOptions, addTargetOption, checkFormat, prepare, type TargetOptions } from './plan.js';
import type { SecretOptions } from './secrets.js';

export const DRIFT_MESSAGE = 'live differs from desired (changed outside devinctl, or not yet applied)';
export const IN_SYNC_MESSAGE = 'No drift: live matches desired.';

interface DriftOptions extends ConnectOptions, FileOptions, SecretOptions, TargetOptions {
  format?: string;
  color?: boolean;
}

function driftText(plan: Plan, colour: boolean): string {
  if (plan.changes.length === 0) return `${IN_SYNC_MESSAGE}\n`;
  const out = [`Drift: ${DRIFT_MESSAGE}.`, ''];
  for (const c of plan.changes) out.push(...renderChangeText(c, { colour }), '');
  if (plan.warnings.length) out.push(...renderWarningsText(plan.warnings), '');
  const n = plan.changes.length;
  out.push(`${n} object${n === 1 ? '' : 's'} drifted.`);
  return out.join('\n') + '\n';
}

export async function driftCommand(io: Io, opts: DriftOptions): Promise<number> {
  const format = opts.format ?? 'text';
  checkFormat(format);
  const p = await prepare(io, opts);
  try {
    const plan = p.plan;
    const drifted = plan.changes.length > 0;
    if (format === 'json') {
      io.out(JSON.stringify({ ...planDocument(plan), kind: 'drift', message: drifted ? DRIFT_MESSAGE : IN_SYNC_MESSAGE }, null, 2) + '\n');
    } else if (format === 'markdown') {
      const md = renderPlanMarkdown(plan, { title: 'devinctl drift report' }).replace('<!-- devinctl:plan -->', '<!-- devinctl:drift -->');
      // the D26 sentence goes right under the heading
      io.out(drifted ? md.replace(/^(## .*\n)/m, `$1\n**Drift:** ${DRIFT_MESSAGE}.\n`) : `<!-- devinctl:drift -->\n${IN_SYNC_MESSAGE}\n`);
    } else io.out(driftText(plan, useColour(io, opts.color)));
    return drifted ? EXIT.changes : EXIT.ok;
  } finally {
    await p.conn.close();
  }
}

export function registerDrift(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  const cmd = program.command('drift').description('report what differs between live and desired; never writes (exit 0 in sync, 2 drift, 1 error)');
  addFileOption(cmd);
  addConnectOptions(cmd);
  addSecretOptions(cmd);
  addTargetOption(cmd);
  cmd.option('--format <format>', 'text, json or markdown', 'text').action((o: DriftOptions) => run(driftCommand(io, o)));
}
