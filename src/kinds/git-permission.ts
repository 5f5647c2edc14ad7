// Kind `git-permission` (address git-permission:<org>/<conn>/<field>:<path>, D1): one repository
// permission of an organization. Connection and path are the identity (a change is a new
// address); only read_only is updated in place (PATCH). Creates use the bulk POST, 200 a call.
import type { GitPermissionDoc } from '../config/types.js';
import type { Diagnostic } from '../config/types.js';
import type { Change, ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { connectionLabel, enc, liveScopes, orgsWith, resolveConnection } from './common.js';

const FIELDS = ['repo_path', 'group_prefix', 'prefix_path'] as const;
type PathField = (typeof FIELDS)[number];

interface GitPermissionSpec extends Spec {
  connection_id: string;
  field: PathField;
  path: string;
  read_only?: boolean;
}

interface LivePermission {
  git_permission_id: string;
  git_connection_id: string;
  repo_path?: string | null;
  group_prefix?: string | null;
  prefix_path?: string | null;
  read_only?: boolean | null;
}

/** Canonical path (D10): no trailing slash. */
export const canonicalPath = (p: string): string => p.replace(/\/+$/, '');

const base = (org: string) => `/v3/enterprise/organizations/${enc(org)}/git-providers/permissions`;

export const gitPermission: ResourceKind<GitPermissionSpec> = {
  name: 'git-permission',
  collection: 'git permissions',

  desired(ctx) {
    const objects: ResourceObject<GitPermissionSpec>[] = [];
    const diagnostics: Diagnostic[] = [];
    const owned: string[] = [];
    for (const [org, list] of orgsWith(ctx, 'git_permissions')) {
      owned.push(org);
      (list ?? []).forEach((p: GitPermissionDoc, i) => {
        const path = ['organizations', org, 'git_permissions', i];
        const conn = resolveConnection(ctx, p.connection, [...path, 'connection'], diagnostics);
        const field = FIELDS.find((f) => p[f] !== undefined);
        if (!conn || !field) return;
        const spec: GitPermissionSpec = { connection_id: conn.git_connection_id, field, path: canonicalPath(p[field]!) };
        if (p.read_only !== undefined) spec.read_only = p.read_only;
        const key = `${org}/${connectionLabel(ctx.lookups, conn)}/${field}:${spec.path}`;
        objects.push({ kind: 'git-permission', key, parent: org, spec, pos: ctx.locate(path) });
      });
    }
    return { objects, owned, diagnostics };
  },

  async read(api, ctx) {
    const out: ResourceObject<GitPermissionSpec>[] = [];
    await Promise.all(
      liveScopes(ctx.lookups, ctx.scopes).map(async ([org, orgId]) => {
        const items = await api.list<LivePermission>(base(orgId), {}, { label: `git permissions of ${org}` });
        for (const p of items) {
          const field = FIELDS.find((f) => typeof p[f] === 'string');
          if (!field) continue;
          const conn = ctx.lookups.connections.find((c) => c.git_connection_id === p.git_connection_id);
          const label = conn ? connectionLabel(ctx.lookups, conn) : p.git_connection_id;
          const path = canonicalPath(p[field]!);
          out.push({
            kind: 'git-permission',
            key: `${org}/${label}/${field}:${path}`,
            parent: org,
            spec: { connection_id: p.git_connection_id, field, path, read_only: p.read_only ?? false },
            meta: { id: p.git_permission_id },
          });
        }
      }),
    );
    return out;
  },

  references: (o) => [`organization:${o.parent}`],

  batch: {
    key: (c) => (c.action === 'create' ? `git-permission:create:${c.parent}` : undefined),
    limit: 200,
    async apply(changes, ec) {
      const orgId = ec.orgId(changes[0].parent);
      const permissions = changes.map((c) => createBody(c));
      const created = await ec.api.post<LivePermission[]>(base(orgId), { permissions });
      for (const p of created ?? []) ec.created(p.git_permission_id);
    },
  },

  async apply(change, ec) {
    const orgId = ec.orgId(change.parent);
    if (change.action === 'create') {
      const created = await ec.api.post<LivePermission[]>(base(orgId), { permissions: [createBody(change)] });
      for (const p of created ?? []) ec.created(p.git_permission_id);
    } else if (change.action === 'update') {
      await ec.api.patch(`${base(orgId)}/${enc(String(change.meta!.id))}`, { read_only: change.after!.read_only ?? false });
    } else if (change.action === 'delete') {
      await ec.api.delete(`${base(orgId)}/${enc(String(change.meta!.id))}`);
    } else throw new Error(`internal error: git-permission cannot ${change.action}`);
  },
};

function createBody(c: Change): Record<string, unknown> {
  const s = c.after as GitPermissionSpec;
  return { git_connection_id: s.connection_id, [s.field]: s.path, read_only: s.read_only ?? false };
}
