// Roles: GET /v3/enterprise/roles (paged Role {role_id, role_name, role_type}). The state also
// holds each role's permissions, which the API never returns. ManageAccountMembership, or the
// newer read permission ViewAccountMembership.
import { MEMBERSHIP_READ } from '../auth.js';
import { pageOf } from '../pagination.js';
import type { Route } from '../router.js';
import { roleView } from '../views.js';

export const roleRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v3/enterprise/roles',
    permission: MEMBERSHIP_READ,
    paged: true,
    handle: ({ state, query }) => ({ body: pageOf(state.roles.map(roleView), query) }),
  },
];
