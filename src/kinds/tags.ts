// Kind `tags` (address tags:<org>): an organization's allowed session tags and its default, one
// object. Canonical order is sorted (D9). `tags: null` clears both. The allowed set is written
// with one PUT, which already drops a default it no longer contains; a new default is set after.
import type { Diagnostic } from '../config/types.js';
import type { ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { diag, enc, liveScopes, orgsWith } from './common.js';

interface TagsSpec extends Spec {
  allowed: string[];
  default?: string | null;
}

const base = (org: string) => `/v3/enterprise/organizations/${enc(org)}/tags`;
const sorted = (tags: string[]) => [...new Set(tags)].sort();

export const tags: ResourceKind<TagsSpec> = {
  name: 'tags',
  collection: 'tags',

  desired(ctx) {
    const objects: ResourceObject<TagsSpec>[] = [];
    const owned: string[] = [];
    for (const [org, doc] of orgsWith(ctx, 'tags')) {
      owned.push(org);
      const spec: TagsSpec = doc === null ? { allowed: [], default: null } : { allowed: sorted(doc.allowed) };
      if (doc && 'default' in doc) spec.default = doc.default ?? null;
      objects.push({ kind: 'tags', key: org, parent: org, spec, pos: ctx.locate(['organizations', org, 'tags']) });
    }
    return { objects, owned, diagnostics: [] };
  },

  async read(api, ctx) {
    return Promise.all(
      liveScopes(ctx.lookups, ctx.scopes).map(async ([org, orgId]): Promise<ResourceObject<TagsSpec>> => {
        const [allowed, def] = await Promise.all([
          api.get<{ tags: string[] }>(base(orgId)),
          api.get<{ default_tag: string | null }>(`${base(orgId)}/default`),
        ]);
        return { kind: 'tags', key: org, parent: org, spec: { allowed: sorted(allowed.tags ?? []), default: def.default_tag ?? null } };
      }),
    );
  },

  references: (o) => [`organization:${o.parent}`],

  check(desired, live, ctx) {
    // D9: dropping the live default while `default` is hands-off is a plan error.
    const out: Diagnostic[] = [];
    const liveBy = new Map(live.filter((l) => l.kind === 'tags').map((l) => [l.key, l]));
    for (const d of desired) {
      if (d.kind !== 'tags') continue;
      const l = liveBy.get(d.key);
      const liveDefault = l?.spec.default;
      const allowed = d.spec.allowed as string[];
      if ('default' in d.spec || typeof liveDefault !== 'string' || allowed.includes(liveDefault)) continue;
      out.push(diag(ctx, ['organizations', d.key, 'tags'],
        `the allowed tags drop '${liveDefault}', the live default tag; set 'default' (or null) to say what the default becomes`));
    }
    return out;
  },

  async apply(change, ec) {
    if (change.action === 'delete') return; // tags go only with their organization (cascade)
    const orgId = ec.orgId(change.parent);
    const before = change.before as TagsSpec | undefined;
    const after = change.after as TagsSpec;
    const beforeAllowed = before?.allowed ?? [];
    let liveDefault = before?.default ?? null;
    if (JSON.stringify(beforeAllowed) !== JSON.stringify(after.allowed)) {
      await ec.api.put(base(orgId), { tags: after.allowed });
      if (liveDefault !== null && !after.allowed.includes(liveDefault)) liveDefault = null; // the PUT cleared it
    }
    if (!('default' in after)) return;
    const want = after.default ?? null;
    if (want === liveDefault) return;
    if (want === null) await ec.api.delete(`${base(orgId)}/default`);
    else await ec.api.put(`${base(orgId)}/default`, { tag: want });
  },
};
