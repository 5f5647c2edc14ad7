// Git connections (read-only list) and per-org git permissions (ManageGitIntegrations):
// list, bulk add (≤200), replace all, clear all, PATCH read_only, delete one. Exactly one of
// repo_path / group_prefix / prefix_path per entry; prefixes are stored with a trailing "/" and
// returned without it (D10).
import { enterprise } from '../auth.js';
import { invalid, notFound, valueError, type ValidationItem } from '../errors.js';
import { newId } from '../ids.js';
import { pageOf } from '../pagination.js';
import type { Route } from '../router.js';
import { withSlash } from '../seed.js';
import type { EmulatorState, StateGitPermission } from '../types.js';
import { arr, bool, obj, opt, req, str, validateBody } from '../validate.js';
import { findOrg, gitConnectionView, gitPermissionView } from '../views.js';

const BASE = '/v3/enterprise/organizations/{org_id}/git-providers/permissions';
const perm = enterprise('ManageGitIntegrations');
const path = str({ nullable: true, minLength: 1 });

interface CreateEntry {
  git_connection_id: string;
  repo_path?: string | null;
  group_prefix?: string | null;
  prefix_path?: string | null;
  read_only: boolean;
}

const bulkSchema = obj({
  permissions: req(arr(obj({
    git_connection_id: req(str()),
    repo_path: opt(path),
    group_prefix: opt(path),
    prefix_path: opt(path),
    read_only: opt(bool(), false),
  }), { maxItems: 200 })),
});

/** Validates a bulk body (shape, exactly-one-path, known connections) and returns new stored entries. */
function buildEntries(state: EmulatorState, orgId: string, rawBody: unknown, now: number): StateGitPermission[] {
  const body = validateBody<{ permissions: CreateEntry[] }>(rawBody, bulkSchema);
  findOrg(state, orgId);
  const errors: ValidationItem[] = [];
  const rawList = (rawBody as { permissions: unknown[] }).permissions;
  body.permissions.forEach((e, i) => {
    const set = [e.repo_path, e.group_prefix, e.prefix_path].filter((x) => x !== undefined && x !== null).length;
    if (set !== 1) {
      errors.push(valueError(['body', 'permissions', i], rawList[i], 'Exactly one of repo_path, group_prefix or prefix_path must be set'));
    }
    if (!state.git_connections.some((c) => c.git_connection_id === e.git_connection_id)) {
      errors.push(valueError(['body', 'permissions', i, 'git_connection_id'], e.git_connection_id, `Unknown git connection: ${e.git_connection_id}`));
    }
  });
  if (errors.length) throw invalid(errors);
  return body.permissions.map((e) => ({
    git_permission_id: newId('git-permission-'),
    org_id: orgId,
    git_connection_id: e.git_connection_id,
    repo_path: e.repo_path ?? null,
    group_prefix: withSlash(e.group_prefix),
    prefix_path: withSlash(e.prefix_path),
    read_only: e.read_only,
    created_at: now,
  }));
}

const ofOrg = (state: EmulatorState, orgId: string) => state.git_permissions.filter((p) => p.org_id === orgId);

function findPermission(state: EmulatorState, orgId: string, id: string): StateGitPermission {
  const p = state.git_permissions.find((x) => x.org_id === orgId && x.git_permission_id === id);
  if (!p) throw notFound(`Git permission ${id} not found in organization ${orgId}`);
  return p;
}

export const gitRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v3/enterprise/git-providers/connections',
    permission: perm,
    paged: true,
    handle: ({ state, query }) => ({ body: pageOf(state.git_connections.map(gitConnectionView), query) }),
  },
  {
    method: 'GET',
    path: BASE,
    permission: perm,
    paged: true,
    handle: ({ state, params, query }) => {
      findOrg(state, params.org_id);
      return { body: pageOf(ofOrg(state, params.org_id).map(gitPermissionView), query) };
    },
  },
  {
    method: 'POST',
    path: BASE,
    permission: perm,
    handle: ({ state, params, body, now }) => {
      const created = buildEntries(state, params.org_id, body, now);
      state.git_permissions.push(...created);
      return { body: created.map(gitPermissionView) };
    },
  },
  {
    method: 'PUT',
    path: BASE,
    permission: perm,
    handle: ({ state, params, body, now }) => {
      const created = buildEntries(state, params.org_id, body, now);
      state.git_permissions = state.git_permissions.filter((p) => p.org_id !== params.org_id).concat(created);
      return { body: created.map(gitPermissionView) };
    },
  },
  {
    method: 'DELETE',
    path: BASE,
    permission: perm,
    handle: ({ state, params }) => {
      findOrg(state, params.org_id);
      const removed = ofOrg(state, params.org_id);
      state.git_permissions = state.git_permissions.filter((p) => p.org_id !== params.org_id);
      return { body: removed.map(gitPermissionView) };
    },
  },
  {
    method: 'PATCH',
    path: `${BASE}/{git_permission_id}`,
    permission: perm,
    handle: ({ state, params, body }) => {
      const b = validateBody<{ read_only?: boolean | null }>(body, obj({ read_only: opt(bool({ nullable: true })) }));
      findOrg(state, params.org_id);
      const p = findPermission(state, params.org_id, params.git_permission_id);
      if (b.read_only !== undefined && b.read_only !== null) p.read_only = b.read_only;
      return { body: gitPermissionView(p) };
    },
  },
  {
    method: 'DELETE',
    path: `${BASE}/{git_permission_id}`,
    permission: perm,
    handle: ({ state, params }) => {
      findOrg(state, params.org_id);
      const p = findPermission(state, params.org_id, params.git_permission_id);
      state.git_permissions = state.git_permissions.filter((x) => x !== p);
      return { body: gitPermissionView(p) };
    },
  },
];
