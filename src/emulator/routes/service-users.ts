// Service-user membership (ManageAccountMembership; GETs also ViewAccountMembership).
// Enterprise: /v3/enterprise/members/service-users — list (include_inactive shows expired and
// deleted ones), get, POST assigns an enterprise role only when it has none, PATCH changes it,
// DELETE deletes the service user itself (sets deleted_at, tokens stop working).
// Org: /v3/enterprise/organizations/{org_id}/members/service-users — list, POST/PATCH/DELETE the
// org role. The enterprise list holds every service user, org-scoped ones included (D4).
import { MEMBERSHIP_READ, MEMBERSHIP_WRITE, isActive } from '../auth.js';
import { conflict, notFound, type ValidationItem } from '../errors.js';
import { pageOf } from '../pagination.js';
import type { Ctx, Route } from '../router.js';
import type { StateServiceUser } from '../types.js';
import { obj, queryBool, req, str, validateBody } from '../validate.js';
import { findOrg, findServiceUser, roleOfType, serviceUserView } from '../views.js';

const ENT = '/v3/enterprise/members/service-users';
const ORG = '/v3/enterprise/organizations/{org_id}/members/service-users';
const roleBody = obj({ role_id: req(str()) });

function list({ state, query, now }: Ctx, filter: (s: StateServiceUser) => boolean) {
  const errors: ValidationItem[] = [];
  const includeInactive = queryBool(query.get('include_inactive'), 'include_inactive', false, errors);
  const users = state.service_users.filter((s) => filter(s) && (includeInactive || isActive(s, now)));
  return { body: pageOf(users.map((s) => serviceUserView(state, s)), query, errors) };
}

const scopeName = (org: string | null) => (org === null ? 'an enterprise role' : `a role in organization ${org}`);

function assign({ state, params, body }: Ctx, org: string | null) {
  const { role_id } = validateBody<{ role_id: string }>(body, roleBody);
  if (org !== null) findOrg(state, org);
  const su = findServiceUser(state, params.service_user_id);
  roleOfType(state, role_id, org === null ? 'enterprise' : 'org');
  if (su.role_assignments.some((a) => a.org_id === org)) {
    throw conflict(`Service user ${su.service_user_id} already has ${scopeName(org)}; use PATCH to change it`);
  }
  su.role_assignments.push({ role_id, org_id: org });
  return { body: serviceUserView(state, su) };
}

function change({ state, params, body }: Ctx, org: string | null) {
  const { role_id } = validateBody<{ role_id: string }>(body, roleBody);
  if (org !== null) findOrg(state, org);
  const su = findServiceUser(state, params.service_user_id);
  roleOfType(state, role_id, org === null ? 'enterprise' : 'org');
  const a = su.role_assignments.find((x) => x.org_id === org);
  if (!a) throw notFound(`Service user ${su.service_user_id} has no ${org === null ? 'enterprise role' : `role in organization ${org}`}`);
  a.role_id = role_id;
  return { body: serviceUserView(state, su) };
}

export const serviceUserRoutes: Route[] = [
  {
    method: 'GET',
    path: ENT,
    permission: MEMBERSHIP_READ,
    paged: true,
    handle: (c) => list(c, () => true),
  },
  {
    method: 'GET',
    path: `${ENT}/{service_user_id}`,
    permission: MEMBERSHIP_READ,
    handle: ({ state, params }) => ({ body: serviceUserView(state, findServiceUser(state, params.service_user_id, { allowDeleted: true })) }),
  },
  { method: 'POST', path: `${ENT}/{service_user_id}`, permission: MEMBERSHIP_WRITE, handle: (c) => assign(c, null) },
  { method: 'PATCH', path: `${ENT}/{service_user_id}`, permission: MEMBERSHIP_WRITE, handle: (c) => change(c, null) },
  {
    method: 'DELETE',
    path: `${ENT}/{service_user_id}`,
    permission: MEMBERSHIP_WRITE,
    handle: ({ state, params, now }) => {
      const su = findServiceUser(state, params.service_user_id);
      su.deleted_at = now;
      return { body: serviceUserView(state, su) };
    },
  },
  {
    method: 'GET',
    path: ORG,
    permission: MEMBERSHIP_READ,
    paged: true,
    handle: (c) => {
      findOrg(c.state, c.params.org_id);
      return list(c, (s) => s.role_assignments.some((a) => a.org_id === c.params.org_id));
    },
  },
  { method: 'POST', path: `${ORG}/{service_user_id}`, permission: MEMBERSHIP_WRITE, handle: (c) => assign(c, c.params.org_id) },
  { method: 'PATCH', path: `${ORG}/{service_user_id}`, permission: MEMBERSHIP_WRITE, handle: (c) => change(c, c.params.org_id) },
  {
    method: 'DELETE',
    path: `${ORG}/{service_user_id}`,
    permission: MEMBERSHIP_WRITE,
    handle: ({ state, params }) => {
      findOrg(state, params.org_id);
      const su = findServiceUser(state, params.service_user_id);
      if (!su.role_assignments.some((a) => a.org_id === params.org_id)) {
        throw notFound(`Service user ${su.service_user_id} has no role in organization ${params.org_id}`);
      }
      su.role_assignments = su.role_assignments.filter((a) => a.org_id !== params.org_id);
      return { body: serviceUserView(state, su) };
    },
  },
];
