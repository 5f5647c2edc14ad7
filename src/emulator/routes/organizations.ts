// Organizations: list, create, get, merge-patch update and delete under
// /v3/enterprise/organizations (ManageOrganizations). Names are not unique (D21). A create without
// max_session_acu_limit gets the server default. Delete returns the org and cascades (D18).
import { enterprise } from '../auth.js';
import { pageOf } from '../pagination.js';
import type { Route } from '../router.js';
import type { EmulatorState } from '../types.js';
import { newId } from '../ids.js';
import { int, obj, opt, req, str, validateBody } from '../validate.js';
import { findOrg, orgView } from '../views.js';

const BASE = '/v3/enterprise/organizations';
const perm = enterprise('ManageOrganizations');
const limit = int({ nullable: true, minimum: 0 });

interface OrgBody {
  name?: string | null;
  max_session_acu_limit?: number | null;
  max_cycle_acu_limit?: number | null;
}

/** Removes an org and everything that lives in it or points at it (D18). */
export function cascadeDeleteOrg(state: EmulatorState, orgId: string): void {
  state.organizations = state.organizations.filter((o) => o.org_id !== orgId);
  state.git_permissions = state.git_permissions.filter((p) => p.org_id !== orgId);
  delete state.tags[orgId];
  state.secrets = state.secrets.filter((s) => s.org_id !== orgId);
  for (const g of state.idp_groups) g.role_assignments = g.role_assignments.filter((a) => a.org_id !== orgId);
  const scoped = new Set(state.service_users.filter((s) => s.org_id === orgId).map((s) => s.service_user_id));
  state.service_users = state.service_users.filter((s) => !scoped.has(s.service_user_id));
  for (const s of state.service_users) s.role_assignments = s.role_assignments.filter((a) => a.org_id !== orgId);
  state.tokens = state.tokens.filter((t) => !scoped.has(t.service_user_id));
  state.api_keys = state.api_keys.filter((k) => !scoped.has(k.service_user_id));
  for (const g of Object.values(state.org_group_limits.groups)) g.org_ids = g.org_ids.filter((id) => id !== orgId);
}

export const organizationRoutes: Route[] = [
  {
    method: 'GET',
    path: BASE,
    permission: perm,
    paged: true,
    handle: ({ state, query }) => ({ body: pageOf(state.organizations.map(orgView), query) }),
  },
  {
    method: 'POST',
    path: BASE,
    permission: perm,
    handle: ({ state, body, now }) => {
      const b = validateBody<OrgBody>(body, obj({
        name: req(str({ minLength: 1 })),
        max_cycle_acu_limit: opt(limit),
        max_session_acu_limit: opt(limit),
      }));
      const org = {
        org_id: newId('org-'),
        name: b.name as string,
        max_session_acu_limit: b.max_session_acu_limit === undefined ? state.default_max_session_acu_limit : b.max_session_acu_limit,
        max_cycle_acu_limit: b.max_cycle_acu_limit ?? null,
        created_at: now,
        updated_at: now,
      };
      state.organizations.push(org);
      return { body: orgView(org) };
    },
  },
  {
    method: 'GET',
    path: `${BASE}/{org_id}`,
    permission: perm,
    handle: ({ state, params }) => ({ body: orgView(findOrg(state, params.org_id)) }),
  },
  {
    method: 'PATCH',
    path: `${BASE}/{org_id}`,
    permission: perm,
    handle: ({ state, params, body, now }) => {
      const b = validateBody<OrgBody>(body, obj({
        name: opt(str({ nullable: true, minLength: 1 })),
        max_cycle_acu_limit: opt(limit),
        max_session_acu_limit: opt(limit),
      }));
      const org = findOrg(state, params.org_id);
      // Merge-patch: omitted = unchanged, null clears (a null name cannot clear, so it is unchanged).
      if (b.name !== undefined && b.name !== null) org.name = b.name;
      if (b.max_cycle_acu_limit !== undefined) org.max_cycle_acu_limit = b.max_cycle_acu_limit;
      if (b.max_session_acu_limit !== undefined) org.max_session_acu_limit = b.max_session_acu_limit;
      org.updated_at = now;
      return { body: orgView(org) };
    },
  },
  {
    method: 'DELETE',
    path: `${BASE}/{org_id}`,
    permission: perm,
    handle: ({ state, params }) => {
      const org = findOrg(state, params.org_id);
      cascadeDeleteOrg(state, org.org_id);
      return { body: orgView(org) };
    },
  },
];
