// plan: the pure middle of the pipeline. Ignore -> kind checks -> diff -> dependencies -> order
// -> summary. No I/O; everything it needs is passed in.
import type { Diagnostic } from '../config/types.js';
import type { Change, DesiredContext, DesiredResult, Plan, ResourceKind, ResourceObject } from './types.js';
import { addressOf, diff } from './diff.js';
import { computeDeps, topoOrder } from './order.js';
import type { IgnoreMatcher } from './ignore.js';

export interface PlanInput {
  /** --allow-rename-case: proceed when names differ from live ones only in case or spacing (D17). */
  allowRenameCase?: boolean;
  kinds: readonly ResourceKind[];
  desired: Map<string, DesiredResult>;
  live: ResourceObject[];
  cascade: Set<string>;
  ignored: IgnoreMatcher;
  ctx: DesiredContext;
}

export interface PlanOutput {
  plan: Plan;
  diagnostics: Diagnostic[]; // plan errors and warnings found with live state
  desired: ResourceObject[]; // after ignore
}

export function summarize(changes: Change[]): Plan['summary'] {
  const s = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes) s[c.action]++;
  return s;
}

export function makePlan(input: PlanInput): PlanOutput {
  const diagnostics: Diagnostic[] = [];
  const kindOf = new Map(input.kinds.map((k) => [k.name, k]));

  // ignore: live objects matching a glob replace whatever desired says about them
  // (the address sets are built only when something is ignored: at 100k objects they cost more than the diff's own maps)
  const desired: ResourceObject[] = [];
  const ignoredDesired: ResourceObject[] = [];
  for (const res of input.desired.values()) {
    for (const d of res.objects) (input.ignored(d) ? ignoredDesired : desired).push(d);
  }
  if (ignoredDesired.length > 0) {
    const liveAddresses = new Set(input.live.map(addressOf));
    for (const d of ignoredDesired) {
      if (!liveAddresses.has(addressOf(d))) {
        diagnostics.push({ ...(d.pos ?? input.ctx.locate([])), severity: 'warning', message: `${addressOf(d)} matches settings.ignore and is left alone` });
      }
    }
  }
  const ignoredLive = input.live.filter((l) => input.ignored(l));
  if (ignoredLive.length > 0) {
    const desiredAddresses = new Set(desired.map(addressOf));
    for (const l of ignoredLive) if (!desiredAddresses.has(addressOf(l))) desired.push({ ...l, meta: undefined });
  }
  const live = input.live;

  diagnostics.push(...desiredDuplicates(desired));
  diagnostics.push(...liveDuplicates(input.live, input.ignored, input.ctx.locate([])));
  if (!input.allowRenameCase) diagnostics.push(...caseMismatches(input.kinds, desired, live));

  for (const k of input.kinds) {
    if (!k.check) continue;
    diagnostics.push(...k.check(desired, live, input.ctx));
  }

  const owned = new Map<string, Set<string>>();
  for (const [kind, res] of input.desired) owned.set(kind, new Set(res.owned));
  const traits = (kind: string) => kindOf.get(kind) ?? {};
  const raw = diff({ traits, desired, live, owned, cascade: input.cascade }).filter((c) => !input.ignored(c));

  const refs = (o: ResourceObject) => kindOf.get(o.kind)?.references?.(o as never) ?? [];
  const raw2 = recreatedWithReplaced(raw, desired, refs);
  const rank = new Map(input.kinds.map((k, i) => [k.name, i]));
  for (const c of raw2) {
    const kind = kindOf.get(c.kind);
    if (kind?.sensitive?.length) c.sensitive = [...kind.sensitive];
    const why = kind?.describe?.(c);
    if (why) c.reason = why;
  }
  const withDeps = mergeTogether(computeDeps(raw2, refs), kindOf);
  const ordered = topoOrder(withDeps, (c) => (c.action === 'delete' ? 100 - (rank.get(c.kind) ?? 0) : rank.get(c.kind) ?? 0));
  return {
    plan: { changes: ordered, warnings: diagnostics.filter((d) => d.severity === 'warning'), summary: summarize(ordered) },
    diagnostics,
    desired,
  };
}

/** Changes of a `together` batch run as one call: each waits for the union of their dependencies. */
function mergeTogether(changes: Change[], kindOf: Map<string, ResourceKind>): Change[] {
  const union = new Map<string, Set<string>>();
  const keyOf = (c: Change) => {
    const b = kindOf.get(c.kind)?.batch;
    return b?.together ? b.key(c) : undefined;
  };
  for (const c of changes) {
    const k = keyOf(c);
    if (k === undefined) continue;
    if (!union.has(k)) union.set(k, new Set());
    for (const d of c.deps) union.get(k)!.add(d);
  }
  if (union.size === 0) return changes;
  return changes.map((c) => {
    const k = keyOf(c);
    if (k === undefined) return c;
    const members = new Set(changes.filter((o) => keyOf(o) === k).map((o) => o.address));
    return { ...c, deps: [...union.get(k)!].filter((d) => !members.has(d)).sort() };
  });
}

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** D17: two live objects at one address cannot be told apart; no guess is made. */
function liveDuplicates(live: ResourceObject[], ignored: IgnoreMatcher, at: Diagnostic | Omit<Diagnostic, 'severity' | 'message'>): Diagnostic[] {
  // index of the first live object of each kind and key; a list only where a second one turns up
  // (one address string and one array per live object cost ~15% of makePlan at 100k objects)
  const first = new Map<string, Map<string, number>>();
  const dupes = new Map<number, ResourceObject[]>();
  live.forEach((l, i) => {
    if (ignored(l)) return;
    let byKey = first.get(l.kind);
    if (!byKey) first.set(l.kind, (byKey = new Map()));
    const f = byKey.get(l.key);
    if (f === undefined) byKey.set(l.key, i);
    else {
      const list = dupes.get(f);
      if (list) list.push(l);
      else dupes.set(f, [live[f], l]);
    }
  });
  const out: Diagnostic[] = [];
  for (const [, list] of [...dupes].sort(([a], [b]) => a - b)) {
    const a = addressOf(list[0]);
    const ids = list.map((l) => String(l.meta?.id ?? '?')).join(', ');
    out.push({ file: at.file, line: at.line, col: at.col, severity: 'error', message: `${a} exists ${list.length} times live (${ids}); remove the duplicates, devinctl will not guess` });
  }
  return out;
}

/** D17: a desired name that matches a live one only up to case or spacing is a plan error. */
function caseMismatches(kinds: readonly ResourceKind[], desired: ResourceObject[], live: ResourceObject[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const k of kinds) {
    if (!k.foldCase) continue;
    const liveKeys = new Map<string, string>();
    for (const l of live) if (l.kind === k.name) liveKeys.set(fold(l.key), l.key);
    const exact = new Set(live.filter((l) => l.kind === k.name).map((l) => l.key));
    for (const d of desired) {
      if (d.kind !== k.name || exact.has(d.key)) continue;
      const near = liveKeys.get(fold(d.key));
      if (near === undefined || !d.pos) continue;
      out.push({ ...d.pos, severity: 'error', message: `${k.name} '${d.key}' differs from the live '${near}' only in case or spacing; rename it to match, or pass --allow-rename-case to treat them as different` });
    }
  }
  return out;
}

/**
 * A replace deletes the object and creates a new one, which takes with it whatever referred to
 * the old one (an expired service user's org roles). Desired objects that refer to a replaced
 * object are created again after it: a no-op becomes a create, an update becomes a create of
 * the new value.
 */
function recreatedWithReplaced(changes: Change[], desired: ResourceObject[], refs: (o: ResourceObject) => string[]): Change[] {
  const replaced = new Set(changes.filter((c) => c.action === 'replace').map((c) => c.address));
  if (replaced.size === 0) return changes;
  const byAddress = new Map(changes.map((c) => [c.address, c]));
  const out = [...changes];
  for (const d of desired) {
    const address = addressOf(d);
    const via = refs(d).find((r) => replaced.has(r));
    if (!via) continue;
    const existing = byAddress.get(address);
    if (existing && existing.action !== 'update') continue;
    const created: Change = {
      address, kind: d.kind, key: d.key, parent: d.parent, action: 'create', after: existing?.after ?? d.spec,
      fields: Object.keys(d.spec).sort().map((field) => ({ field, before: undefined, after: d.spec[field] })),
      deps: [], reason: `created again: ${via} is replaced`,
    };
    if (existing) out[out.indexOf(existing)] = created;
    else out.push(created);
  }
  return out;
}

/** Two desired entries that resolve to one object (e.g. a connection by name and by host). */
function desiredDuplicates(desired: ResourceObject[]): Diagnostic[] {
  const first = new Map<string, ResourceObject>();
  const out: Diagnostic[] = [];
  for (const d of desired) {
    const a = addressOf(d);
    const prev = first.get(a);
    if (!prev) {
      first.set(a, d);
      continue;
    }
    if (!d.pos) continue;
    const where = prev.pos ? ` (also at ${prev.pos.file === d.pos.file ? '' : `${prev.pos.file}:`}${prev.pos.line}:${prev.pos.col})` : '';
    out.push({ ...d.pos, severity: 'error', message: `${a} is described twice${where}; entries that name the same object must be merged` });
  }
  return out;
}
