// Bearer-token authentication and the permission model. A token maps to a service user; the
// caller's enterprise permissions are those of its enterprise role(s); its permissions in an org
// are its org role's permissions there ∪ the org permissions its enterprise permissions imply
// (the state's implied_org_permissions, D21). Each route declares the permission it needs.
import { HttpError, forbidden } from './errors.js';
import type { EmulatorState, StateServiceUser } from './types.js';

export interface Caller {
  serviceUser: StateServiceUser;
  enterprisePermissions: ReadonlySet<string>;
  orgPermissions(orgId: string): ReadonlySet<string>;
}

/** Who may call a route: nobody special, an enterprise permission (any of), or an org permission (any of) in the path's org. */
export type PermissionRule =
  | { scope: 'none' }
  | { scope: 'enterprise'; anyOf: string[] }
  | { scope: 'org'; anyOf: string[]; orgParam: string };

export const SERVICE_USER_MANAGEMENT = ['ManageAccountServiceUsers', 'ManageServiceUsers', 'ManageOrgServiceUsers'];

const unauthorized = (detail: string): HttpError => new HttpError(401, detail, { 'www-authenticate': 'Bearer' });

export function isActive(su: StateServiceUser, now: number): boolean {
  return su.deleted_at === null && (su.expires_at === null || su.expires_at > now);
}

export function enterprisePermissionsOf(state: EmulatorState, su: StateServiceUser): Set<string> {
  const out = new Set<string>();
  for (const a of su.role_assignments) {
    if (a.org_id !== null) continue;
    const role = state.roles.find((r) => r.role_id === a.role_id);
    if (role?.role_type === 'enterprise') role.permissions.forEach((p) => out.add(p));
  }
  return out;
}

export function orgPermissionsOf(state: EmulatorState, su: StateServiceUser, orgId: string, enterprise = enterprisePermissionsOf(state, su)): Set<string> {
  const out = new Set<string>();
  for (const a of su.role_assignments) {
    if (a.org_id !== orgId) continue;
    const role = state.roles.find((r) => r.role_id === a.role_id);
    if (role?.role_type === 'org') role.permissions.forEach((p) => out.add(p));
  }
  for (const p of enterprise) (state.implied_org_permissions[p] ?? []).forEach((q) => out.add(q));
  return out;
}

/** Resolves the Authorization header to a caller, or throws 401. */
export function authenticate(state: EmulatorState, header: string | undefined, now: number): Caller {
  if (!header) throw unauthorized('Not authenticated');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) throw unauthorized('Invalid authentication credentials');
  const entry = state.tokens.find((t) => t.token === m[1]);
  if (!entry) throw unauthorized('Invalid or expired token');
  const su = state.service_users.find((s) => s.service_user_id === entry.service_user_id);
  if (!su || !isActive(su, now)) throw unauthorized('Invalid or expired token');
  if (entry.api_key_id) {
    const key = state.api_keys.find((k) => k.api_key_id === entry.api_key_id);
    if (!key || key.revoked_at !== null || (key.expires_at !== null && key.expires_at <= now)) throw unauthorized('Invalid or expired token');
    key.last_used_at = now; // in memory; persisted with the next write
  }
  const enterprise = enterprisePermissionsOf(state, su);
  const perOrg = new Map<string, Set<string>>();
  return {
    serviceUser: su,
    enterprisePermissions: enterprise,
    orgPermissions(orgId) {
      let p = perOrg.get(orgId);
      if (!p) perOrg.set(orgId, (p = orgPermissionsOf(state, su, orgId, enterprise)));
      return p;
    },
  };
}

/** Throws 403 naming the missing permission when the caller does not satisfy the rule. */
export function authorize(caller: Caller, rule: PermissionRule, params: Record<string, string>): void {
  if (rule.scope === 'none') return;
  if (rule.scope === 'enterprise') {
    if (!rule.anyOf.some((p) => caller.enterprisePermissions.has(p))) throw forbidden(`Missing permission: ${rule.anyOf[0]}`);
    return;
  }
  const orgId = params[rule.orgParam] ?? '';
  if (!rule.anyOf.some((p) => caller.orgPermissions(orgId).has(p))) {
    throw forbidden(`Missing permission: ${rule.anyOf[0]} in organization ${orgId}`);
  }
}

export const none: PermissionRule = { scope: 'none' };
export const enterprise = (...anyOf: string[]): PermissionRule => ({ scope: 'enterprise', anyOf });
export const inOrg = (...anyOf: string[]): PermissionRule => ({ scope: 'org', anyOf, orgParam: 'org_id' });

/** Membership routes: writes need ManageAccountMembership; reads also accept the newer ViewAccountMembership (NOTES §4.3). */
export const MEMBERSHIP_READ = enterprise('ManageAccountMembership', 'ViewAccountMembership');
export const MEMBERSHIP_WRITE = enterprise('ManageAccountMembership');
