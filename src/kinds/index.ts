// The registry of resource kinds. Order is the tie-break order of the plan (parents first).
import type { ResourceKind } from '../engine/types.js';
import { organization } from './organization.js';
import { gitPermission } from './git-permission.js';
import { tags } from './tags.js';
import { secret } from './secret.js';
import { idpGroup } from './idp-group.js';
import { idpGroupOrgRole } from './idp-group-org-role.js';
import { serviceUser } from './service-user.js';
import { serviceUserOrgRole } from './service-user-org-role.js';
import { orgGroupLimit } from './org-group-limit.js';

export const kinds: readonly ResourceKind[] = [
  organization,
  orgGroupLimit,
  idpGroup,
  serviceUser,
  gitPermission,
  tags,
  secret,
  idpGroupOrgRole,
  serviceUserOrgRole,
] as unknown as ResourceKind[];

export const kindByName = new Map(kinds.map((k) => [k.name, k]));

export const kindNames = kinds.map((k) => k.name);
