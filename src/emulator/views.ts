// State → API response shapes (the spec's schemas), plus the lookups every route needs
// (org, role, service user, IdP group by key; 404 with a detail when missing). Stored git
// prefixes lose their trailing "/" here (D10); secret values never leave the state.
import { badRequest, notFound } from './errors.js';
import type {
  EmulatorState, RoleType, StateGitConnection, StateGitPermission, StateIdpGroup, StateOrganization,
  StateRole, StateRoleAssignment, StateSecret, StateServiceUser,
} from './types.js';

export const roleView = (r: StateRole) => ({ role_id: r.role_id, role_name: r.role_name, role_type: r.role_type });

export function assignmentsView(state: EmulatorState, list: StateRoleAssignment[]) {
  const out: { role: ReturnType<typeof roleView>; org_id: string | null }[] = [];
  for (const a of list) {
    const role = state.roles.find((r) => r.role_id === a.role_id);
    if (role) out.push({ role: roleView(role), org_id: a.org_id });
  }
  return out;
}

export const orgView = (o: StateOrganization) => ({
  org_id: o.org_id,
  name: o.name,
  max_session_acu_limit: o.max_session_acu_limit,
  max_cycle_acu_limit: o.max_cycle_acu_limit,
  created_at: o.created_at,
  updated_at: o.updated_at,
});

export const serviceUserView = (state: EmulatorState, s: StateServiceUser) => ({
  service_user_id: s.service_user_id,
  name: s.name,
  expires_at: s.expires_at,
  deleted_at: s.deleted_at,
  role_assignments: assignmentsView(state, s.role_assignments),
});

export const idpGroupView = (state: EmulatorState, g: StateIdpGroup) => ({
  idp_group_name: g.idp_group_name,
  role_assignments: assignmentsView(state, g.role_assignments),
});

const noSlash = (p: string | null): string | null => (p === null ? null : p.replace(/\/+$/, ''));

export const gitPermissionView = (p: StateGitPermission) => ({
  git_permission_id: p.git_permission_id,
  git_connection_id: p.git_connection_id,
  repo_path: p.repo_path,
  group_prefix: noSlash(p.group_prefix),
  prefix_path: noSlash(p.prefix_path),
  read_only: p.read_only,
  created_at: p.created_at,
});

export const gitConnectionView = (c: StateGitConnection) => ({
  git_connection_id: c.git_connection_id,
  git_provider_type: c.git_provider_type,
  name: c.name,
  host: c.host,
  created_at: c.created_at,
});

/** Never includes `value`. */
export const secretView = (s: StateSecret) => ({
  secret_id: s.secret_id,
  key: s.key,
  note: s.note,
  is_sensitive: s.is_sensitive,
  secret_type: s.secret_type,
  access_type: s.access_type,
  created_by: s.created_by,
  created_at: s.created_at,
  updated_at: s.updated_at,
  updated_by: s.updated_by,
});

// ---- lookups ------------------------------------------------------------------------------

export function findOrg(state: EmulatorState, orgId: string): StateOrganization {
  const org = state.organizations.find((o) => o.org_id === orgId);
  if (!org) throw notFound(`Organization ${orgId} not found`);
  return org;
}

export function findServiceUser(state: EmulatorState, id: string, opts: { allowDeleted?: boolean } = {}): StateServiceUser {
  const su = state.service_users.find((s) => s.service_user_id === id);
  if (!su || (su.deleted_at !== null && !opts.allowDeleted)) throw notFound(`Service user ${id} not found`);
  return su;
}

export function findRegisteredGroup(state: EmulatorState, name: string): StateIdpGroup {
  const g = state.idp_groups.find((x) => x.idp_group_name === name);
  if (!g) throw notFound(`IdP group '${name}' is not registered`);
  return g;
}

/** A role by id that must be of the given type (400 otherwise: it is a bad reference in the body). */
export function roleOfType(state: EmulatorState, roleId: string, type: RoleType): StateRole {
  const role = state.roles.find((r) => r.role_id === roleId);
  if (!role) throw badRequest(`Role ${roleId} not found`);
  if (role.role_type !== type) throw badRequest(`Role ${role.role_name} (${roleId}) is ${role.role_type === 'org' ? 'an org' : 'an enterprise'}-level role; this endpoint needs ${type === 'org' ? 'an org' : 'an enterprise'}-level role`);
  return role;
}
