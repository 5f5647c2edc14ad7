// IdP groups: registration (/v3/enterprise/idp-groups: list, bulk register ≤100 ignoring
// existing names, delete refused with 409 while the group has role assignments or members, D19),
// the enterprise role (/v3/enterprise/members/idp-groups) and org roles
// (/v3/enterprise/organizations/{org_id}/members/idp-groups). A member list holds the groups with
// an assignment at that scope (enterprise: any assignment). An org role needs a prior role
// assignment (NOTES quirk 8). All need ManageAccountMembership; GETs also ViewAccountMembership.
import { MEMBERSHIP_READ, MEMBERSHIP_WRITE } from '../auth.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { pageOf } from '../pagination.js';
import type { Ctx, Route } from '../router.js';
import type { EmulatorState, StateIdpGroup } from '../types.js';
import { arr, obj, req, str, validateBody } from '../validate.js';
import { findOrg, findRegisteredGroup, idpGroupView, roleOfType } from '../views.js';

const REG = '/v3/enterprise/idp-groups';
const ENT = '/v3/enterprise/members/idp-groups';
const ORG = '/v3/enterprise/organizations/{org_id}/members/idp-groups';
const roleBody = obj({ role_id: req(str()) });

/** org null = the enterprise scope. */
const assignmentAt = (g: StateIdpGroup, org: string | null) => g.role_assignments.find((a) => a.org_id === org);

function memberAt(state: EmulatorState, name: string, org: string | null): StateIdpGroup {
  const g = findRegisteredGroup(state, name);
  const ok = org === null ? g.role_assignments.length > 0 : assignmentAt(g, org) !== undefined;
  if (!ok) throw notFound(`IdP group '${name}' has no role ${org === null ? 'assignment' : `in organization ${org}`}`);
  return g;
}

/** Shared assign / change / remove for one scope (org null = enterprise). */
function assign({ state, params, body }: Ctx, org: string | null): StateIdpGroup {
  const { role_id } = validateBody<{ role_id: string }>(body, roleBody);
  if (org !== null) findOrg(state, org);
  const g = findRegisteredGroup(state, params.idp_group_name);
  roleOfType(state, role_id, org === null ? 'enterprise' : 'org');
  if (assignmentAt(g, org)) {
    throw conflict(`IdP group '${g.idp_group_name}' already has a role ${org === null ? 'at the enterprise level' : `in organization ${org}`}; use PATCH to change it`);
  }
  if (org !== null && g.role_assignments.length === 0) {
    throw badRequest(`IdP group '${g.idp_group_name}' has no role assignment; assign it an enterprise role before an organization role`);
  }
  g.role_assignments.push({ role_id, org_id: org });
  return g;
}

function change({ state, params, body }: Ctx, org: string | null): StateIdpGroup {
  const { role_id } = validateBody<{ role_id: string }>(body, roleBody);
  if (org !== null) findOrg(state, org);
  const g = findRegisteredGroup(state, params.idp_group_name);
  roleOfType(state, role_id, org === null ? 'enterprise' : 'org');
  const a = assignmentAt(g, org);
  if (!a) throw notFound(`IdP group '${g.idp_group_name}' has no role ${org === null ? 'at the enterprise level' : `in organization ${org}`}`);
  a.role_id = role_id;
  return g;
}

function remove({ state, params }: Ctx, org: string | null): StateIdpGroup {
  if (org !== null) findOrg(state, org);
  const g = findRegisteredGroup(state, params.idp_group_name);
  if (!assignmentAt(g, org)) throw notFound(`IdP group '${g.idp_group_name}' has no role ${org === null ? 'at the enterprise level' : `in organization ${org}`}`);
  g.role_assignments = g.role_assignments.filter((a) => a.org_id !== org);
  return g;
}

export const idpGroupRoutes: Route[] = [
  // ---- registration
  {
    method: 'GET',
    path: REG,
    permission: MEMBERSHIP_READ,
    paged: true,
    handle: ({ state, query }) => ({ body: pageOf(state.idp_groups.map((g) => ({ idp_group_name: g.idp_group_name })), query) }),
  },
  {
    method: 'POST',
    path: REG,
    permission: MEMBERSHIP_WRITE,
    handle: ({ state, body, now }) => {
      const b = validateBody<{ idp_group_names: string[] }>(body, obj({ idp_group_names: req(arr(str({ minLength: 1 }), { minItems: 1, maxItems: 100 })) }));
      const names = [...new Set(b.idp_group_names)];
      for (const name of names) {
        if (!state.idp_groups.some((g) => g.idp_group_name === name)) {
          state.idp_groups.push({ idp_group_name: name, created_at: now, members: [], role_assignments: [] });
        }
      }
      return { body: names.map((idp_group_name) => ({ idp_group_name })) };
    },
  },
  {
    method: 'DELETE',
    path: `${REG}/{idp_group_name}`,
    permission: MEMBERSHIP_WRITE,
    handle: ({ state, params }) => {
      const g = findRegisteredGroup(state, params.idp_group_name);
      if (g.role_assignments.length) {
        throw conflict(`IdP group '${g.idp_group_name}' still has ${g.role_assignments.length} role assignment(s); remove them before deleting the group`);
      }
      if (g.members.length) {
        throw conflict(`IdP group '${g.idp_group_name}' still has ${g.members.length} member(s); groups with members cannot be deleted`);
      }
      state.idp_groups = state.idp_groups.filter((x) => x !== g);
      return { body: { idp_group_name: g.idp_group_name } };
    },
  },
  // ---- enterprise role
  {
    method: 'GET',
    path: ENT,
    permission: MEMBERSHIP_READ,
    paged: true,
    handle: ({ state, query }) => ({
      body: pageOf(state.idp_groups.filter((g) => g.role_assignments.length > 0).map((g) => idpGroupView(state, g)), query),
    }),
  },
  {
    method: 'GET',
    path: `${ENT}/{idp_group_name}`,
    permission: MEMBERSHIP_READ,
    handle: ({ state, params }) => ({ body: idpGroupView(state, memberAt(state, params.idp_group_name, null)) }),
  },
  { method: 'POST', path: `${ENT}/{idp_group_name}`, permission: MEMBERSHIP_WRITE, handle: (c) => ({ body: idpGroupView(c.state, assign(c, null)) }) },
  { method: 'PATCH', path: `${ENT}/{idp_group_name}`, permission: MEMBERSHIP_WRITE, handle: (c) => ({ body: idpGroupView(c.state, change(c, null)) }) },
  { method: 'DELETE', path: `${ENT}/{idp_group_name}`, permission: MEMBERSHIP_WRITE, handle: (c) => ({ body: idpGroupView(c.state, remove(c, null)) }) },
  // ---- org roles
  {
    method: 'GET',
    path: ORG,
    permission: MEMBERSHIP_READ,
    paged: true,
    handle: ({ state, params, query }) => {
      findOrg(state, params.org_id);
      const groups = state.idp_groups.filter((g) => assignmentAt(g, params.org_id));
      return { body: pageOf(groups.map((g) => idpGroupView(state, g)), query) };
    },
  },
  {
    method: 'GET',
    path: `${ORG}/{idp_group_name}`,
    permission: MEMBERSHIP_READ,
    handle: ({ state, params }) => {
      findOrg(state, params.org_id);
      return { body: idpGroupView(state, memberAt(state, params.idp_group_name, params.org_id)) };
    },
  },
  { method: 'POST', path: `${ORG}/{idp_group_name}`, permission: MEMBERSHIP_WRITE, handle: (c) => ({ body: idpGroupView(c.state, assign(c, c.params.org_id)) }) },
  { method: 'PATCH', path: `${ORG}/{idp_group_name}`, permission: MEMBERSHIP_WRITE, handle: (c) => ({ body: idpGroupView(c.state, change(c, c.params.org_id)) }) },
  { method: 'DELETE', path: `${ORG}/{idp_group_name}`, permission: MEMBERSHIP_WRITE, handle: (c) => ({ body: idpGroupView(c.state, remove(c, c.params.org_id)) }) },
];
