// Every route the emulator serves, in one list (the contract test drives each of them).
import type { Route } from '../router.js';
import { gitRoutes } from './git.js';
import { idpGroupRoutes } from './idp-groups.js';
import { orgGroupLimitRoutes } from './org-group-limits.js';
import { organizationRoutes } from './organizations.js';
import { provisioningRoutes } from './provisioning.js';
import { roleRoutes } from './roles.js';
import { secretRoutes } from './secrets.js';
import { selfRoutes } from './self.js';
import { serviceUserRoutes } from './service-users.js';
import { tagRoutes } from './tags.js';

export const ROUTES: readonly Route[] = [
  ...organizationRoutes,
  ...gitRoutes,
  ...tagRoutes,
  ...roleRoutes,
  ...idpGroupRoutes,
  ...serviceUserRoutes,
  ...provisioningRoutes,
  ...secretRoutes,
  ...orgGroupLimitRoutes,
  ...selfRoutes,
];
