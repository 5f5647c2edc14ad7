// order: dependencies between changes and a deterministic execution order. Pure.
// Rules (DESIGN "Ordering"): a create/update/replace waits for the changes of what it references
// (parents first); a delete of X waits for every change whose *before* references X (children,
// assignments and groups let go of X first). Cascaded deletes wait for their organization.
import type { Change, ResourceObject } from './types.js';

export type ReferencesOf = (obj: ResourceObject) => string[];

function asObject(c: Change, side: 'before' | 'after'): ResourceObject | undefined {
  const spec = side === 'before' ? c.before : c.after;
  return spec ? { kind: c.kind, key: c.key, parent: c.parent, spec } : undefined;
}

export function computeDeps(changes: Change[], refs: ReferencesOf): Change[] {
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  const deps = new Map<string, Set<string>>(changes.map((c) => [c.address, new Set<string>()]));
  // before-references: X -> changes whose before references X
  const referrers = new Map<string, string[]>();
  for (const c of changes) {
    const before = asObject(c, 'before');
    if (!before) continue;
    for (const r of refs(before)) {
      // a cascaded delete goes with its organization; others referring to it wait for it
      if (c.cascade && r === `organization:${c.parent}`) continue;
      if (!referrers.has(r)) referrers.set(r, []);
      referrers.get(r)!.push(c.address);
    }
  }
  for (const c of changes) {
    const mine = deps.get(c.address)!;
    if (c.cascade) {
      const org = `organization:${c.parent}`;
      if (byAddress.has(org)) mine.add(org);
      continue;
    }
    if (c.action !== 'delete') {
      const after = asObject(c, 'after');
      for (const r of after ? refs(after) : []) {
        const dep = byAddress.get(r);
        if (dep && dep.action !== 'delete' && !dep.cascade) mine.add(r);
      }
    }
    if (c.action === 'delete' || c.action === 'replace') {
      for (const r of referrers.get(c.address) ?? []) {
        if (r === c.address) continue;
        const dep = byAddress.get(r)!;
        // a referrer that itself waits for c (it is re-created after c) must not be waited for
        if (c.action === 'replace' && dep.action !== 'delete') continue;
        mine.add(r);
      }
    }
  }
  return changes.map((c) => ({ ...c, deps: [...deps.get(c.address)!].sort() }));
}

/** Kahn's algorithm; ties broken by the given rank, then address. Throws on a cycle (a bug). */
export function topoOrder(changes: Change[], rank: (c: Change) => number): Change[] {
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const c of changes) {
    indegree.set(c.address, c.deps.length);
    for (const d of c.deps) {
      if (!dependents.has(d)) dependents.set(d, []);
      dependents.get(d)!.push(c.address);
    }
  }
  const cmp = (a: Change, b: Change) => rank(a) - rank(b) || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0);
  let ready = changes.filter((c) => c.deps.length === 0).sort(cmp);
  const out: Change[] = [];
  while (ready.length > 0) {
    const next: Change[] = [];
    for (const c of ready) {
      out.push(c);
      for (const d of dependents.get(c.address) ?? []) {
        const n = indegree.get(d)! - 1;
        indegree.set(d, n);
        if (n === 0) next.push(byAddress.get(d)!);
      }
    }
    ready = next.sort(cmp);
  }
  if (out.length !== changes.length) {
    const stuck = changes.filter((c) => !out.includes(c)).map((c) => c.address);
    throw new Error(`internal error: dependency cycle between ${stuck.join(', ')}`);
  }
  return out;
}
