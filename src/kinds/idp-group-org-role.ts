// Kind `idp-group-org-role` (address idp-group-org-role:<org>/<group>): the org role an IdP group
// holds in one organization. The API refuses an org role for a group with no prior (enterprise)
// role, so a group that would end with an org role but no enterprise role is a plan error.
import type { Diagnostic } from '../config/types.js';
import type { ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { diag, enc, liveScopes, orgsWith, resolveRole } from './common.js';

interface OrgRoleSpec extends Spec {
  role: string;
}

interface IdpGroup {
  idp_group_name: string;
  role_assignments?: { role: { role_name: string }; org_id: string | null }[];
}

const path = (orgId: string) => `/v3/enterprise/organizations/${enc(orgId)}/members/idp-groups`;
const groupOf = (o: { key: string; parent: string }) => o.key.slice(o.parent.length + 1);

export const idpGroupOrgRole: ResourceKind<OrgRoleSpec> = {
  name: 'idp-group-org-role',
  collection: 'IdP group org roles',

  desired(ctx) {
    const objects: ResourceObject<OrgRoleSpec>[] = [];
    const owned: string[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const [org, groups] of orgsWith(ctx, 'idp_groups')) {
      owned.push(org);
      for (const [group, role] of Object.entries(groups ?? {})) {
        resolveRole(ctx, 'org', role, ['organizations', org, 'idp_groups', group], diagnostics);
        objects.push({ kind: 'idp-group-org-role', key: `${org}/${group}`, parent: org, spec: { role }, pos: ctx.locate(['organizations', org, 'idp_groups', group]) });
      }
    }
    return { objects, owned, diagnostics };
  },

  async read(api, ctx) {
    const out: ResourceObject<OrgRoleSpec>[] = [];
    await Promise.all(
      liveScopes(ctx.lookups, ctx.scopes).map(async ([org, orgId]) => {
        const items = await api.list<IdpGroup>(path(orgId), {}, { label: `IdP groups of ${org}` });
        for (const g of items) {
          const a = g.role_assignments?.find((r) => r.org_id === orgId);
          if (a) out.push({ kind: 'idp-group-org-role', key: `${org}/${g.idp_group_name}`, parent: org, spec: { role: a.role.role_name } });
        }
      }),
    );
    return out;
  },

  references: (o) => [`organization:${o.parent}`, `idp-group:${groupOf(o)}`],

  check(desired, live, ctx) {
    const out: Diagnostic[] = [];
    const managed = ctx.doc.enterprise?.idp_groups;
    const liveGroups = new Map(live.filter((l) => l.kind === 'idp-group').map((l) => [l.key, l.spec.role ?? null]));
    const groupsRead = managed !== undefined;
    for (const d of desired) {
      if (d.kind !== 'idp-group-org-role') continue;
      const group = groupOf(d);
      const want = managed?.[group];
      // the enterprise role the group ends with: desired when managed, else live
      const finalRole = want && 'role' in want ? want.role ?? null : liveGroups.get(group) ?? null;
      if (!groupsRead) continue; // registrations not managed here: the API's answer decides
      if (!want && !liveGroups.has(group)) {
        out.push(diag(ctx, ['organizations', d.parent, 'idp_groups', group], `IdP group '${group}' is not registered: add it to enterprise.idp_groups with an enterprise role`));
      } else if (finalRole === null) {
        out.push(diag(ctx, ['organizations', d.parent, 'idp_groups', group], `IdP group '${group}' would hold an org role but no enterprise role; the API refuses that: give it a role in enterprise.idp_groups`));
      }
    }
    return out;
  },

  async apply(change, ec) {
    const orgId = ec.orgId(change.parent);
    const url = `${path(orgId)}/${enc(groupOf(change))}`;
    if (change.action === 'delete') await ec.api.delete(url);
    else if (change.action === 'create') await ec.api.post(url, { role_id: ec.roleId('org', String(change.after!.role)) });
    else if (change.action === 'update') await ec.api.patch(url, { role_id: ec.roleId('org', String(change.after!.role)) });
    else throw new Error(`internal error: idp-group-org-role cannot ${change.action}`);
  },
};
