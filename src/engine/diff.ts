// diff: desired vs live objects -> changes. Pure, and it never branches on a kind: which fields
// force a replace, which are sensitive and how fields compare is data from the kind.
import type { Change, FieldDiff, JsonValue, ResourceObject, Spec } from './types.js';
import { canonicalJson } from '../config/digest.js';

export interface KindTraits {
  immutable?: readonly string[];
  sensitive?: readonly string[];
  equal?(field: string, desired: JsonValue | undefined, live: JsonValue | undefined): boolean;
}

export interface DiffInput {
  traits: (kind: string) => KindTraits;
  desired: ResourceObject[];
  live: ResourceObject[];
  /** kind -> scopes where its collection is authoritative. */
  owned: Map<string, Set<string>>;
  /** Organization keys being deleted: their live children are deleted with them (D18). */
  cascade: Set<string>;
}

export const addressOf = (o: { kind: string; key: string }): string => `${o.kind}:${o.key}`;

export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return canonicalJson(a) === canonicalJson(b);
}

function fieldDiffs(traits: KindTraits, desired: Spec, live: Spec | undefined): FieldDiff[] {
  const out: FieldDiff[] = [];
  const equal = traits.equal ?? ((_f, d, l) => sameValue(d, l));
  for (const field of Object.keys(desired).sort()) {
    const before = live?.[field];
    const after = desired[field];
    if (live && equal(field, after, before)) continue;
    const d: FieldDiff = { field, before, after };
    if (traits.sensitive?.includes(field)) d.sensitive = true;
    out.push(d);
  }
  return out;
}

export function diff(input: DiffInput): Change[] {
  // live objects by kind, then key: each lookup hashes the object's own key string (hashed once),
  // and an address string is built only for a change (at 100k objects the address maps dominated)
  const live = new Map<string, Map<string, ResourceObject>>();
  for (const l of input.live) {
    let byKey = live.get(l.kind);
    if (!byKey) live.set(l.kind, (byKey = new Map()));
    byKey.set(l.key, l);
  }
  const seen = new Map<string, Set<string>>();
  const changes: Change[] = [];

  for (const d of input.desired) {
    let keys = seen.get(d.kind);
    if (!keys) seen.set(d.kind, (keys = new Set()));
    keys.add(d.key);
    const traits = input.traits(d.kind);
    const l = live.get(d.kind)?.get(d.key);
    if (!l) {
      changes.push({
        address: addressOf(d), kind: d.kind, key: d.key, parent: d.parent, action: 'create',
        after: d.spec, fields: fieldDiffs(traits, d.spec, undefined), deps: [],
      });
      continue;
    }
    const fields = fieldDiffs(traits, d.spec, l.spec);
    if (fields.length === 0) continue;
    const forced = fields.filter((f) => traits.immutable?.includes(f.field)).map((f) => f.field);
    changes.push({
      address: addressOf(d), kind: d.kind, key: d.key, parent: d.parent,
      action: forced.length > 0 ? 'replace' : 'update',
      before: l.spec, after: { ...l.spec, ...d.spec }, fields, deps: [],
      ...(forced.length > 0 ? { reason: `${forced.join(', ')} cannot be changed in place` } : {}),
      ...(l.meta ? { meta: l.meta } : {}),
    });
  }

  for (const l of input.live) {
    if (seen.get(l.kind)?.has(l.key)) continue;
    const cascade = l.kind !== 'organization' && input.cascade.has(l.parent);
    if (!cascade && !input.owned.get(l.kind)?.has(l.parent)) continue;
    changes.push({
      address: addressOf(l), kind: l.kind, key: l.key, parent: l.parent, action: 'delete',
      before: l.spec, fields: [], deps: [],
      ...(cascade ? { cascade: true, reason: 'deleted with organization' } : {}),
      ...(l.meta ? { meta: l.meta } : {}),
    });
  }
  return changes;
}
