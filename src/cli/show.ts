// `devinctl show PLANFILE`: render a saved plan (text, json or markdown) without reading the
// API, e.g. to post the reviewed plan as a pull-request comment.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Change, Plan } from '../engine/types.js';
import { renderPlanMarkdown } from '../render/markdown.js';
import { EXIT } from './exit.js';
import type { Io } from './io.js';
import { checkFormat, renderPlan } from './plan.js';
import { readSavedPlan, type SavedPlan } from './planfile.js';

const ORG_SCOPED_BY_PREFIX = new Set(['git-permission', 'secret', 'idp-group-org-role', 'service-user-org-role']);

/** The scope of an address, read from the address itself (D1). */
function parentOf(kind: string, key: string): string {
  if (kind === 'tags') return key;
  if (ORG_SCOPED_BY_PREFIX.has(kind)) return key.slice(0, key.indexOf('/'));
  return '';
}

export function planFromSaved(saved: SavedPlan): Plan {
  const doc = saved as unknown as { changes: Record<string, unknown>[]; summary: Plan['summary']; warnings?: { message: string; file?: string; line?: number; col?: number }[] };
  const changes = doc.changes.map((c): Change => {
    const address = String(c.address);
    const kind = String(c.kind);
    const key = address.slice(kind.length + 1);
    return {
      address,
      kind,
      key,
      parent: parentOf(kind, key),
      action: c.action as Change['action'],
      before: (c.before ?? undefined) as Change['before'],
      after: (c.after ?? undefined) as Change['after'],
      fields: (c.fields as Change['fields']).map((f) => ({ field: f.field, before: f.before ?? undefined, after: f.after ?? undefined })),
      deps: c.deps as string[],
      ...(c.cascade ? { cascade: true } : {}),
      ...(c.reason ? { reason: String(c.reason) } : {}),
    };
  });
  const warnings = (doc.warnings ?? []).map((w) => ({ file: w.file ?? '', line: w.line ?? 0, col: w.col ?? 0, severity: 'warning' as const, message: w.message }));
  return { changes, summary: doc.summary, warnings };
}

interface ShowOptions {
  format?: string;
  artifactHint?: string;
  color?: boolean;
}

export async function showCommand(io: Io, file: string, opts: ShowOptions): Promise<number> {
  const format = opts.format ?? 'text';
  checkFormat(format);
  const plan = planFromSaved(await readSavedPlan(resolve(io.cwd, file)));
  if (format === 'markdown') io.out(renderPlanMarkdown(plan, { artifactHint: opts.artifactHint }));
  else renderPlan(io, plan, format, opts.color);
  return EXIT.ok;
}

export function registerShow(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  program
    .command('show')
    .argument('<planfile>', 'a plan saved with plan --out')
    .description('render a saved plan without reading the API')
    .option('--format <format>', 'text, json or markdown', 'text')
    .option('--artifact-hint <text>', 'where the full plan is, named when a markdown comment is shortened')
    .option('--no-color', 'never colour the output')
    .action((file: string, o: ShowOptions) => run(showCommand(io, file, o)));
}
