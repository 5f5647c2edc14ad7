// Shared lookups, read once per run: the caller, roles, git connections, organizations (DESIGN
// "Reads are minimal"). Only what the desired state needs is read. Also maps organization ids to
// the keys used in addresses (an `id` pin names a live org by the file's key).
import type { ApiClient } from '../api/types.js';
import { ApiError } from '../api/types.js';
import type { DesiredDoc } from '../config/types.js';
import type { Caller, GitConnection, LiveOrganization, Lookups, Role } from './types.js';
import { PlanError } from './errors.js';
import type { IgnoreMatcher } from './ignore.js';

export interface LookupNeeds {
  roles: boolean;
  connections: boolean;
  organizations: boolean;
  caller: boolean;
}

export function lookupNeeds(doc: DesiredDoc): LookupNeeds {
  const orgs = Object.values(doc.organizations ?? {});
  const ent = doc.enterprise ?? {};
  const roles =
    ent.idp_groups !== undefined || ent.service_users !== undefined ||
    orgs.some((o) => o?.idp_groups !== undefined || o?.service_users !== undefined);
  return {
    roles,
    connections: orgs.some((o) => o?.git_permissions !== undefined),
    organizations: true,
    caller: ent.service_users !== undefined || orgs.some((o) => o?.service_users !== undefined),
  };
}

async function readCaller(api: ApiClient): Promise<Caller> {
  try {
    return await api.get<Caller>('/v3/enterprise/self');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return api.get<Caller>('/v3beta1/enterprise/self');
    throw e;
  }
}

export async function readLookups(api: ApiClient, doc: DesiredDoc, ignored: IgnoreMatcher = () => false, needs = lookupNeeds(doc)): Promise<Lookups> {
  const [roles, connections, organizations, caller] = await Promise.all([
    needs.roles ? api.list<Role>('/v3/enterprise/roles', {}, { label: 'roles' }) : Promise.resolve([]),
    needs.connections ? api.list<GitConnection>('/v3/enterprise/git-providers/connections', {}, { label: 'git connections' }) : Promise.resolve([]),
    needs.organizations ? api.list<LiveOrganization>('/v3/enterprise/organizations', {}, { label: 'organizations' }) : Promise.resolve([]),
    needs.caller ? readCaller(api) : Promise.resolve(null),
  ]);
  return buildLookups(doc, { roles, connections, organizations, caller }, ignored);
}

/** Pure: key every live organization (pins first, then names); two live orgs under one key is a plan error (D17). */
export function buildLookups(
  doc: DesiredDoc,
  live: { roles: Role[]; connections: GitConnection[]; organizations: LiveOrganization[]; caller: Caller | null },
  ignored: IgnoreMatcher = () => false,
): Lookups {
  const orgKeyById = new Map<string, string>();
  const pinned = new Map<string, string>();
  const problems: string[] = [];
  const unmatchedPins: string[] = [];
  const pinConflicts: { name: string; liveName: string }[] = [];
  for (const [name, org] of Object.entries(doc.organizations ?? {})) {
    if (org?.id) pinned.set(org.id, name);
  }
  for (const [id, name] of pinned) {
    const target = live.organizations.find((o) => o.org_id === id);
    if (!target) unmatchedPins.push(name);
    else if (target.name !== name && doc.organizations?.[target.name] && !doc.organizations[target.name]?.id) pinConflicts.push({ name, liveName: target.name });
  }
  const pinnedNames = new Set(pinned.values());
  for (const o of live.organizations) {
    const pin = pinned.get(o.org_id);
    // an unpinned live org whose name a pin took over keeps its own (id-suffixed) key, so it is not adopted twice
    const key = pin ?? (pinnedNames.has(o.name) ? `${o.name}#${o.org_id}` : o.name);
    orgKeyById.set(o.org_id, key);
  }
  const orgIdByKey = new Map<string, string>();
  const dupes = new Map<string, string[]>();
  for (const [id, key] of orgKeyById) {
    if (orgIdByKey.has(key)) dupes.set(key, [...(dupes.get(key) ?? [orgIdByKey.get(key)!]), id]);
    else orgIdByKey.set(key, id);
  }
  for (const [key, ids] of dupes) {
    if (ignored({ kind: 'organization', key, parent: '' })) continue;
    problems.push(`organization:${key} exists ${ids.length} times live (${ids.join(', ')}); pin one with 'id:' or remove the duplicates, devinctl will not guess`);
  }
  if (problems.length) throw new PlanError(problems);
  return { ...live, orgKeyById, orgIdByKey, unmatchedPins, pinConflicts };
}
