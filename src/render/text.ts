// Text renderer: a Terraform-like plan for terminals and logs. Field-level `before -> after`
// for updates, a unified diff for multi-line strings, destructive changes marked, summary last.
import { structuredPatch } from 'diff';
import type { Diagnostic } from '../config/types.js';
import type { Change, JsonValue, Plan } from '../engine/types.js';
import { printable, shownFields } from './mask.js';
import { ACTIONS, BOLD, CASCADE_VERB, DIM, RESET, summaryLine } from './symbols.js';

export interface TextOptions {
  colour: boolean;
}

const show = (v: JsonValue | undefined): string => (v === undefined ? '(absent)' : JSON.stringify(v));

function paint(on: boolean, code: string, s: string): string {
  return on ? `${code}${s}${RESET}` : s;
}

function multiline(before: JsonValue | undefined, after: JsonValue | undefined): boolean {
  return (typeof before === 'string' && before.includes('\n')) || (typeof after === 'string' && after.includes('\n'));
}

function unified(before: string, after: string, indent: string): string[] {
  // maxEditLength bounds the work on two huge, very different strings (no diff is then shown)
  const patch = structuredPatch('before', 'after', before, after, '', '', { context: 2, maxEditLength: 5000 });
  const out: string[] = [];
  if (!patch) return [`${indent}(too different to diff: ${before.length} -> ${after.length} characters)`];
  for (const h of patch.hunks) {
    out.push(`${indent}@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push(`${indent}${printable(l, false)}`);
  }
  return out;
}

export function renderChangeText(c: Change, o: TextOptions): string[] {
  const a = ACTIONS[c.action];
  const lines: string[] = [];
  const verb = c.cascade ? CASCADE_VERB : a.verb;
  const flag = c.action === 'delete' || c.action === 'replace' ? ' [destructive]' : '';
  const address = printable(c.address);
  lines.push(paint(o.colour, BOLD, `  # ${address} ${verb}${c.cascade ? '' : flag}`));
  if (c.reason && !c.cascade) lines.push(paint(o.colour, DIM, `  # (${printable(c.reason)})`));
  lines.push(paint(o.colour, a.colour, `  ${a.symbol} ${address}`));
  if (c.cascade) return lines;
  const fields = shownFields(c); // masked
  const width = Math.max(0, ...fields.map((f) => f.field.length));
  for (const f of fields) {
    const name = f.field.padEnd(width);
    const { before, after } = f;
    if (c.action === 'create') lines.push(paint(o.colour, ACTIONS.create.colour, `      + ${name} = ${show(after)}`));
    else if (c.action === 'delete') lines.push(paint(o.colour, ACTIONS.delete.colour, `      - ${name} = ${show(before)}`));
    else if (!f.sensitive && multiline(before, after)) {
      lines.push(paint(o.colour, ACTIONS.update.colour, `      ~ ${name} =`));
      lines.push(...unified(typeof before === 'string' ? before : show(before), typeof after === 'string' ? after : show(after), '          '));
    } else lines.push(paint(o.colour, ACTIONS.update.colour, `      ~ ${name} = ${show(before)} -> ${show(after)}`));
  }
  return lines;
}

export function renderWarningsText(warnings: Diagnostic[]): string[] {
  return warnings.map((w) => printable(w.line > 0 ? `Warning: ${w.file}:${w.line}:${w.col}: ${w.message}` : `Warning: ${w.message}`));
}

export function renderPlanText(plan: Plan, o: TextOptions): string {
  const out: string[] = [];
  if (plan.changes.length > 0) {
    out.push('devinctl will perform the following actions, in this order:', '');
    for (const c of plan.changes) out.push(...renderChangeText(c, o), '');
  }
  if (plan.warnings.length) out.push(...renderWarningsText(plan.warnings), '');
  out.push(paint(o.colour, BOLD, summaryLine(plan.summary)));
  return out.join('\n') + '\n';
}
