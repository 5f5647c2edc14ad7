// The registry of resource kinds. Order is the tie-break order of the plan (parents first).
import type { ResourceKind } from '../engine/types.js';
import { organization } from './organization.js';
import { gitPermission } from './git-permission.js';
import { tags } from './tags.js';

export const kinds: readonly ResourceKind[] = [organization, gitPermission, tags] as unknown as ResourceKind[];

export const kindByName = new Map(kinds.map((k) => [k.name, k]));

export const kindNames = kinds.map((k) => k.name);
