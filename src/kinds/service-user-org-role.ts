// Kind `service-user-org-role` (address service-user-org-role:<org>/<name>): the org role an
// enterprise service user holds in one organization (D4). Read from the enterprise service-user
// list's role_assignments, not from per-org lists.
import { ApiError } from '../api/types.js';
import type { Diagnostic } from '../config/types.js';
import type { ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { diag, enc, resolveRole } from './common.js';
import { enterpriseRole, liveServiceUsers } from './service-users-live.js';

interface SuOrgRoleSpec extends Spec {
  role: string;
}

const nameOf = (o: { key: string; parent: string }) => o.key.slice(o.parent.length + 1);

export const serviceUserOrgRole: ResourceKind<SuOrgRoleSpec> = {
  name: 'service-user-org-role',
  collection: 'service user org roles',

  desired(ctx) {
    const objects: ResourceObject<SuOrgRoleSpec>[] = [];
    const owned: string[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const [org, doc] of Object.entries(ctx.doc.organizations ?? {})) {
      if (!doc?.service_users) continue;
      owned.push(org);
      for (const [name, v] of Object.entries(doc.service_users)) {
        if (typeof v !== 'string') continue;
        resolveRole(ctx, 'org', v, ['organizations', org, 'service_users', name], diagnostics);
        objects.push({ kind: 'service-user-org-role', key: `${org}/${name}`, parent: org, spec: { role: v }, pos: ctx.locate(['organizations', org, 'service_users', name]) });
      }
    }
    return { objects, owned, diagnostics };
  },

  async read(api, ctx) {
    if (ctx.scopes.length === 0) return [];
    const scopes = new Set(ctx.scopes);
    const out: ResourceObject<SuOrgRoleSpec>[] = [];
    for (const su of await liveServiceUsers(api, ctx)) {
      if (enterpriseRole(su) === undefined) continue; // org-scoped: its role belongs to the service-user kind
      for (const a of su.role_assignments) {
        if (a.org_id === null) continue;
        const org = ctx.lookups.orgKeyById.get(a.org_id);
        if (!org || !scopes.has(org)) continue;
        out.push({ kind: 'service-user-org-role', key: `${org}/${su.name}`, parent: org, spec: { role: a.role.role_name }, meta: { id: su.service_user_id } });
      }
    }
    return out;
  },

  references: (o) => [`organization:${o.parent}`, `service-user:${nameOf(o)}`],

  check(desired, live, ctx) {
    const out: Diagnostic[] = [];
    const users = new Set([...desired, ...live].filter((o) => o.kind === 'service-user' && o.spec.scope === '').map((o) => o.key));
    const caller = ctx.lookups.caller?.service_user_id;
    for (const d of desired) {
      if (d.kind !== 'service-user-org-role') continue;
      const name = nameOf(d);
      if (!users.has(name)) out.push(diag(ctx, ['organizations', d.parent, 'service_users', name], `unknown enterprise service user '${name}': declare it in enterprise.service_users, or give it { role, ttl_days } to make it org-scoped`));
    }
    if (caller) {
      for (const l of live) {
        if (l.kind !== 'service-user-org-role' || l.meta?.id !== caller) continue;
        const want = desired.find((d) => d.kind === l.kind && d.key === l.key);
        const owned = ctx.doc.organizations?.[l.parent]?.service_users !== undefined;
        if ((owned && !want) || (want && want.spec.role !== l.spec.role)) {
          out.push(diag(ctx, ['organizations', l.parent, 'service_users'], `the plan would change the org role of '${nameOf(l)}', the caller devinctl runs as (D5)`));
        }
      }
    }
    return out;
  },

  async apply(change, ec) {
    const orgId = ec.orgId(change.parent);
    const suId = ec.liveIds.get(`service-user:${nameOf(change)}`) ?? String(change.meta?.id ?? '');
    if (!suId) throw new Error(`service user ${nameOf(change)} has no id (was its provisioning skipped?)`);
    const url = `/v3/enterprise/organizations/${enc(orgId)}/members/service-users/${enc(suId)}`;
    if (change.action === 'delete') await ec.api.delete(url);
    else if (change.action === 'create') {
      const body = { role_id: ec.roleId('org', String(change.after!.role)) };
      try {
        await ec.api.post(url, body);
      } catch (e) {
        // it already holds a role here (a replace earlier in this apply carried its org roles
        // over to the new service user): make it the desired one
        if (!(e instanceof ApiError && e.status === 409)) throw e;
        await ec.api.patch(url, body);
      }
    }
    else if (change.action === 'update') await ec.api.patch(url, { role_id: ec.roleId('org', String(change.after!.role)) });
    else throw new Error(`internal error: service-user-org-role cannot ${change.action}`);
  },
};
