// Service-user provisioning and API keys, still on /v3beta1 (NOTES §5.2.1, §5.2.4).
// Enterprise provisioning needs ManageAccountServiceUsers and an enterprise role; org
// provisioning needs ManageOrgServiceUsers in that org and an org role. Anti-escalation (NOTES
// §4.4, D21): the role's permissions must be a subset of the caller's (effective) permissions, and
// a role holding any service-user-management permission can never be granted (403 either way).
// The reply carries a fresh "cog_" token, shown once. API keys: create, list, revoke (409 twice).
import { SERVICE_USER_MANAGEMENT, enterprise, inOrg } from '../auth.js';
import { forbidden, conflict, notFound, invalid, valueError, type ValidationItem } from '../errors.js';
import { newId, newToken } from '../ids.js';
import { pageOf } from '../pagination.js';
import type { Ctx, Route } from '../router.js';
import type { StateApiKey, StateRole } from '../types.js';
import { int, obj, opt, queryEnum, req, str, validateBody } from '../validate.js';
import { findOrg, findServiceUser, roleOfType, serviceUserView } from '../views.js';

const KEYS = '/v3beta1/enterprise/service-users/{service_user_id}/api-keys';
const keysPerm = enterprise('ManageAccountServiceUsers');

const provisionSchema = obj({
  name: req(str({ minLength: 1, maxLength: 256 })),
  role_id: req(str({ minLength: 1 })),
  ttl_seconds: req(int({ minimum: 1, maximum: 31_536_000 })),
});

function checkEscalation(role: StateRole, callerPermissions: ReadonlySet<string>): void {
  const managing = role.permissions.filter((p) => SERVICE_USER_MANAGEMENT.includes(p));
  if (managing.length) {
    throw forbidden(`Role ${role.role_name} includes ${managing.join(', ')}: service-user management permissions can never be granted through provisioning`);
  }
  const beyond = role.permissions.filter((p) => !callerPermissions.has(p));
  if (beyond.length) {
    throw forbidden(`Privilege escalation refused: role ${role.role_name} has permissions the caller lacks: ${beyond.join(', ')}`);
  }
}

function provision(ctx: Ctx, orgId: string | null) {
  const { state, body, caller, now } = ctx;
  const b = validateBody<{ name: string; role_id: string; ttl_seconds: number }>(body, provisionSchema);
  if (orgId !== null) findOrg(state, orgId);
  const role = roleOfType(state, b.role_id, orgId === null ? 'enterprise' : 'org');
  checkEscalation(role, orgId === null ? caller.enterprisePermissions : caller.orgPermissions(orgId));
  const su = {
    service_user_id: newId('service-user-'),
    name: b.name,
    org_id: orgId,
    created_at: now,
    expires_at: now + b.ttl_seconds,
    deleted_at: null,
    role_assignments: [{ role_id: role.role_id, org_id: orgId }],
  };
  const token = newToken();
  state.service_users.push(su);
  state.tokens.push({ token, service_user_id: su.service_user_id });
  return { body: { service_user: serviceUserView(state, su), token } };
}

const keyStatus = (k: StateApiKey, now: number): 'active' | 'revoked' | 'expired' =>
  k.revoked_at !== null ? 'revoked' : k.expires_at !== null && k.expires_at <= now ? 'expired' : 'active';

const keyView = (k: StateApiKey, now: number) => ({
  api_key_id: k.api_key_id,
  api_key_name: k.api_key_name,
  created_at: k.created_at,
  expires_at: k.expires_at,
  is_active: keyStatus(k, now) === 'active',
  last_used_at: k.last_used_at,
  revoked_at: k.revoked_at,
});

export const provisioningRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v3beta1/enterprise/service-users',
    permission: enterprise('ManageAccountServiceUsers'),
    handle: (c) => provision(c, null),
  },
  {
    method: 'POST',
    path: '/v3beta1/organizations/{org_id}/service-users',
    permission: inOrg('ManageOrgServiceUsers'),
    handle: (c) => provision(c, c.params.org_id),
  },
  {
    method: 'POST',
    path: KEYS,
    permission: keysPerm,
    handle: ({ state, params, body, now }) => {
      const b = validateBody<{ name: string; expires_at?: number | null }>(body, obj({
        name: req(str({ minLength: 1, maxLength: 256 })),
        expires_at: opt(int({ nullable: true })),
      }));
      if (b.expires_at != null && b.expires_at <= now) throw invalid([valueError(['body', 'expires_at'], b.expires_at, 'expires_at must be in the future')]);
      const su = findServiceUser(state, params.service_user_id);
      const key: StateApiKey = {
        api_key_id: newId('api-key-'),
        service_user_id: su.service_user_id,
        api_key_name: b.name,
        created_at: now,
        expires_at: b.expires_at ?? null,
        revoked_at: null,
        last_used_at: null,
      };
      const token = newToken();
      state.api_keys.push(key);
      state.tokens.push({ token, service_user_id: su.service_user_id, api_key_id: key.api_key_id });
      return { body: { api_key_id: key.api_key_id, api_key_name: key.api_key_name, token } };
    },
  },
  {
    method: 'GET',
    path: KEYS,
    permission: keysPerm,
    paged: true,
    handle: ({ state, params, query, now }) => {
      const errors: ValidationItem[] = [];
      const status = queryEnum(query.get('status'), 'status', ['active', 'revoked', 'expired', 'all'] as const, 'all', errors);
      const su = findServiceUser(state, params.service_user_id, { allowDeleted: true });
      const keys = state.api_keys.filter((k) => k.service_user_id === su.service_user_id && (status === 'all' || keyStatus(k, now) === status));
      return { body: pageOf(keys.map((k) => keyView(k, now)), query, errors) };
    },
  },
  {
    method: 'DELETE',
    path: `${KEYS}/{api_key_id}`,
    permission: keysPerm,
    handle: ({ state, params, now }) => {
      const key = state.api_keys.find((k) => k.api_key_id === params.api_key_id && k.service_user_id === params.service_user_id);
      if (!key) throw notFound(`API key ${params.api_key_id} not found`);
      if (key.revoked_at !== null) throw conflict(`API key ${key.api_key_id} is already revoked`);
      key.revoked_at = now;
      state.tokens = state.tokens.filter((t) => t.api_key_id !== key.api_key_id);
      return { body: keyView(key, now) };
    },
  },
];
