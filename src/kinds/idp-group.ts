// Kind `idp-group` (address idp-group:<name>): an IdP group's registration plus its optional
// enterprise role (D3). Registration is a bulk POST of at most 100 names (idempotent, D23); the
// role is assigned (POST), changed (PATCH) or removed (DELETE) as the live state requires.
import type { Diagnostic } from '../config/types.js';
import type { Change, ExecContext, ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { diag, enc, resolveRole } from './common.js';

interface IdpGroupSpec extends Spec {
  role?: string | null;
}

interface IdpGroup {
  idp_group_name: string;
  role_assignments?: { role: { role_id: string; role_name: string; role_type: string }; org_id: string | null }[];
}

const REGISTER = '/v3/enterprise/idp-groups';
const MEMBERS = '/v3/enterprise/members/idp-groups';

/** The enterprise IdP group assignments, read once per run (shared with the org-role kind's checks). */
export function enterpriseAssignments(ctx: { shared<T>(k: string, r: () => Promise<T>): Promise<T> }, api: import('../api/types.js').ApiClient) {
  return ctx.shared('idp-group-assignments', () => api.list<IdpGroup>(MEMBERS, {}, { label: 'IdP group role assignments' }));
}

export const idpGroup: ResourceKind<IdpGroupSpec> = {
  name: 'idp-group',
  collection: 'IdP groups',
  foldCase: true,

  desired(ctx) {
    const groups = ctx.doc.enterprise?.idp_groups;
    if (!groups) return { objects: [], owned: [], diagnostics: [] };
    const diagnostics: Diagnostic[] = [];
    const objects = Object.entries(groups).map(([name, g]): ResourceObject<IdpGroupSpec> => {
      const spec: IdpGroupSpec = {};
      if (g && 'role' in g) {
        spec.role = g.role ?? null;
        if (g.role) resolveRole(ctx, 'enterprise', g.role, ['enterprise', 'idp_groups', name, 'role'], diagnostics);
      }
      return { kind: 'idp-group', key: name, parent: '', spec, pos: ctx.locate(['enterprise', 'idp_groups', name]) };
    });
    return { objects, owned: [''], diagnostics };
  },

  async read(api, ctx) {
    if (!ctx.scopes.includes('')) return [];
    const [registered, assigned] = await Promise.all([
      api.list<{ idp_group_name: string }>(REGISTER, {}, { label: 'IdP groups' }),
      enterpriseAssignments(ctx, api),
    ]);
    const roleOf = new Map<string, string>();
    const orgsOf = new Map<string, string[]>();
    for (const g of assigned) {
      const ent = g.role_assignments?.find((a) => a.org_id === null);
      if (ent) roleOf.set(g.idp_group_name, ent.role.role_name);
      orgsOf.set(g.idp_group_name, (g.role_assignments ?? []).filter((a) => a.org_id !== null).map((a) => a.org_id!));
    }
    return registered.map((g) => ({
      kind: 'idp-group',
      key: g.idp_group_name,
      parent: '',
      spec: { role: roleOf.get(g.idp_group_name) ?? null },
      meta: { org_ids: orgsOf.get(g.idp_group_name) ?? [] },
    }));
  },

  check(desired, live, ctx) {
    // a registration cannot go while the group holds a role in an org this plan leaves alone
    const out: Diagnostic[] = [];
    if (!ctx.doc.enterprise?.idp_groups) return out;
    const wanted = new Set(desired.filter((d) => d.kind === 'idp-group').map((d) => d.key));
    for (const l of live) {
      if (l.kind !== 'idp-group' || wanted.has(l.key)) continue;
      for (const orgId of (l.meta?.org_ids as string[] | undefined) ?? []) {
        const org = ctx.lookups.orgKeyById.get(orgId) ?? orgId;
        const managed = ctx.doc.organizations?.[org]?.idp_groups !== undefined && !desired.some((d) => d.kind === 'idp-group-org-role' && d.key === `${org}/${l.key}`);
        if (managed || ctx.cascade?.has(org)) continue;
        out.push(diag(ctx, ['enterprise', 'idp_groups'], `IdP group '${l.key}' would be deleted but still holds a role in organization ${org}, which this plan leaves alone; the API refuses to delete it: manage organizations.${org}.idp_groups or keep the group`));
      }
    }
    return out;
  },

  describe(change) {
    if (change.action === 'delete') return 'if the group still has members, the API refuses this delete and no endpoint removes them (D19)';
    return undefined;
  },

  batch: {
    key: (c) => (c.action === 'create' ? 'idp-group:register' : undefined),
    limit: 100,
    async apply(changes, ec) {
      await ec.api.post(REGISTER, { idp_group_names: changes.map((c) => c.key) }, { idempotent: true });
      await Promise.all(changes.map((c) => setRole(c, ec)));
    },
  },

  async apply(change, ec) {
    if (change.action === 'create') {
      await ec.api.post(REGISTER, { idp_group_names: [change.key] }, { idempotent: true });
      await setRole(change, ec);
    } else if (change.action === 'update') {
      await setRole(change, ec);
    } else if (change.action === 'delete') {
      if (change.before?.role) await ec.api.delete(`${MEMBERS}/${enc(change.key)}`);
      await ec.api.delete(`${REGISTER}/${enc(change.key)}`);
    } else throw new Error(`internal error: idp-group cannot ${change.action}`);
  },
};

async function setRole(change: Change, ec: ExecContext): Promise<void> {
  if (!change.after || !('role' in change.after)) return;
  const before = change.before?.role ?? null;
  const after = (change.after.role as string | null) ?? null;
  if (before === after) return;
  const path = `${MEMBERS}/${enc(change.key)}`;
  if (after === null) await ec.api.delete(path);
  else if (before === null) await ec.api.post(path, { role_id: ec.roleId('enterprise', after) });
  else await ec.api.patch(path, { role_id: ec.roleId('enterprise', after) });
}
