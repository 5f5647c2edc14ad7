// Kind `organization` (address organization:<name>): name and ACU limits. An `id` pin adopts an
// existing organization under the file's name, or renames it (D1). Read from the shared lookup.
import type { ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { diag, enc } from './common.js';

interface OrgSpec extends Spec {
  name: string;
  max_session_acu_limit?: number | null;
  max_cycle_acu_limit?: number | null;
}

const LIMITS = ['max_session_acu_limit', 'max_cycle_acu_limit'] as const;

export const organization: ResourceKind<OrgSpec> = {
  name: 'organization',
  collection: 'organizations',
  foldCase: true,

  desired(ctx) {
    const orgs = ctx.doc.organizations;
    if (!orgs) return { objects: [], owned: [], diagnostics: [] };
    const objects = Object.entries(orgs).map(([name, org]): ResourceObject<OrgSpec> => {
      const spec: OrgSpec = { name };
      for (const f of LIMITS) if (org && f in org) spec[f] = org[f] ?? null;
      return { kind: 'organization', key: name, parent: '', spec, pos: ctx.locate(['organizations', name]) };
    });
    const diagnostics = (ctx.lookups.unmatchedPins ?? []).map((name) =>
      diag(ctx, ['organizations', name, 'id'], `id ${orgs[name]?.id} matches no live organization`));
    for (const { name, liveName } of ctx.lookups.pinConflicts ?? []) {
      diagnostics.push(diag(ctx, ['organizations', name, 'id'], `id ${orgs[name]?.id} is the live organization '${liveName}', which the file also lists: the pin would rename it to '${name}' and create a new, empty '${liveName}'; remove one of the two, or pin '${liveName}' too`));
    }
    return { objects, owned: [''], diagnostics };
  },

  async read(_api, ctx) {
    return ctx.lookups.organizations.map((o) => ({
      kind: 'organization',
      key: ctx.lookups.orgKeyById.get(o.org_id) ?? o.name,
      parent: '',
      spec: { name: o.name, max_session_acu_limit: o.max_session_acu_limit, max_cycle_acu_limit: o.max_cycle_acu_limit },
      meta: { id: o.org_id },
    }));
  },

  async apply(change, ec) {
    const after = change.after as OrgSpec | undefined;
    if (change.action === 'create') {
      const body: Record<string, unknown> = { name: after!.name };
      for (const f of LIMITS) if (f in after!) body[f] = after![f];
      const org = await ec.api.post<{ org_id: string }>('/v3/enterprise/organizations', body);
      ec.lookups.orgIdByKey.set(change.key, org.org_id);
      ec.lookups.orgKeyById.set(org.org_id, change.key);
      ec.created(org.org_id);
      return;
    }
    const id = ec.orgId(change.key);
    if (change.action === 'update') {
      const body: Record<string, unknown> = {};
      for (const f of change.fields) body[f.field] = f.after ?? null;
      await ec.api.patch(`/v3/enterprise/organizations/${enc(id)}`, body);
      return;
    }
    if (change.action === 'delete') {
      await ec.api.delete(`/v3/enterprise/organizations/${enc(id)}`);
      ec.lookups.orgIdByKey.delete(change.key);
      return;
    }
    throw new Error(`internal error: organization cannot ${change.action}`);
  },
};
