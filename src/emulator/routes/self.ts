// Self: who the token belongs to, {service_user_id, service_user_name, org_id|null}. Served at the
// documented /v3beta1/enterprise/self and the presumed GA path /v3/enterprise/self (not in the
// spec; listed in contract/emulator-extra.schema.json). Needs only a valid token.
import { none } from '../auth.js';
import type { Route, Ctx } from '../router.js';

const self = ({ caller }: Ctx) => ({
  body: {
    service_user_id: caller.serviceUser.service_user_id,
    service_user_name: caller.serviceUser.name,
    org_id: caller.serviceUser.org_id,
  },
});

export const selfRoutes: Route[] = [
  { method: 'GET', path: '/v3beta1/enterprise/self', permission: none, handle: self },
  { method: 'GET', path: '/v3/enterprise/self', permission: none, handle: self },
];
