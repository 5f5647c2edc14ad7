// JSON renderer: the plan document of D24 (`format_version: 1`), also the saved plan file's body.
// Stable order (the plan's execution order), sensitive values masked, never present.
import type { Change, Plan } from '../engine/types.js';
import { isSensitive, maskedChange, maskValue } from './mask.js';

export interface JsonChange {
  address: string;
  kind: string;
  action: Change['action'];
  before: unknown;
  after: unknown;
  fields: { field: string; before: unknown; after: unknown }[];
  deps: string[];
  cascade?: boolean;
  reason?: string;
}

export function jsonChange(c: Change): JsonChange {
  const m = maskedChange(c);
  return {
    address: c.address,
    kind: c.kind,
    action: c.action,
    before: m.before ?? null,
    after: m.after ?? null,
    fields: c.fields.map((f) => ({ field: f.field, before: maskValue(f.before, isSensitive(c, f)) ?? null, after: maskValue(f.after, isSensitive(c, f)) ?? null })),
    deps: c.deps,
    ...(c.cascade ? { cascade: true } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
  };
}

export function planDocument(plan: Plan): Record<string, unknown> {
  return {
    format_version: 1,
    changes: plan.changes.map(jsonChange),
    summary: plan.summary,
    warnings: plan.warnings.map((w) => (w.line > 0 ? { file: w.file, line: w.line, col: w.col, message: w.message } : { message: w.message })),
  };
}

export function renderPlanJson(plan: Plan): string {
  return JSON.stringify(planDocument(plan), null, 2) + '\n';
}
