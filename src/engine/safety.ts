// Safety rules over a finished plan (D15, D16): deletes of guarded kinds need --allow-delete,
// and a mass delete needs --force. Pure: returns the problems; the CLI turns them into exit 3.
import type { Plan, ResourceObject } from './types.js';

/** Kinds whose deletes (and replaces, which delete) need `--allow-delete <kind>`. */
export const GUARDED_KINDS = ['organization', 'service-user'] as const;

export interface SafetyOptions {
  allowDelete: ReadonlySet<string>;
  force: boolean;
  maxDeletePercent: number; // D16, default 25
  /** Live objects in scope (ignored ones excluded): the collection sizes. */
  live: ResourceObject[];
  ignored: (o: ResourceObject) => boolean;
}

export const MASS_DELETE_MIN = 10;

export function guardProblems(plan: Plan, o: SafetyOptions): string[] {
  const problems: string[] = [];
  for (const kind of GUARDED_KINDS) {
    const hits = plan.changes.filter((c) => c.kind === kind && (c.action === 'delete' || c.action === 'replace') && !c.cascade);
    if (hits.length > 0 && !o.allowDelete.has(kind)) {
      problems.push(`refusing to delete ${hits.length} ${kind}${hits.length > 1 ? 's' : ''} (${hits.map((c) => c.address).join(', ')}) without --allow-delete ${kind}`);
    }
  }
  const size = new Map<string, number>();
  for (const l of o.live) {
    if (o.ignored(l)) continue;
    const k = `${l.kind}\u0000${l.parent}`;
    size.set(k, (size.get(k) ?? 0) + 1);
  }
  const deleting = new Map<string, number>();
  for (const c of plan.changes) {
    if (c.cascade || (c.action !== 'delete' && c.action !== 'replace')) continue;
    const k = `${c.kind}\u0000${c.parent}`;
    deleting.set(k, (deleting.get(k) ?? 0) + 1);
  }
  if (!o.force) {
    for (const [k, n] of deleting) {
      const total = size.get(k) ?? 0;
      if (total < MASS_DELETE_MIN || (n / total) * 100 <= o.maxDeletePercent) continue;
      const [kind, parent] = k.split('\u0000');
      const where = parent ? ` of organization ${parent}` : '';
      problems.push(`refusing to delete ${n} of ${total} live ${kind} objects${where} (more than ${o.maxDeletePercent}%) without --force`);
    }
  }
  return problems;
}
