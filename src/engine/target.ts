// --target (D25): keep the changes whose address matches a glob, plus everything they depend on
// (parents of creates, children and referrers of deletes: both are dependency edges here).
import type { Plan } from './types.js';
import { matchAny } from './glob.js';
import { summarize } from './plan.js';

export function targetPlan(plan: Plan, globs: readonly string[]): Plan {
  if (globs.length === 0) return plan;
  const byAddress = new Map(plan.changes.map((c) => [c.address, c]));
  const keep = new Set<string>();
  const stack = plan.changes.filter((c) => matchAny(globs, c.address)).map((c) => c.address);
  while (stack.length) {
    const a = stack.pop()!;
    if (keep.has(a)) continue;
    keep.add(a);
    for (const d of byAddress.get(a)?.deps ?? []) if (byAddress.has(d)) stack.push(d);
  }
  // a targeted org delete takes its cascaded children with it
  for (const c of plan.changes) if (c.cascade && keep.has(`organization:${c.parent}`)) keep.add(c.address);
  const changes = plan.changes.filter((c) => keep.has(c.address));
  return { ...plan, changes, summary: summarize(changes) };
}
