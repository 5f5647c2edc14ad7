// export: live state -> a desired-state document that plans empty against that same live state.
// `readAll` reads every collection (not only what a file manages); `exportDoc` is pure and turns
// the live objects, in each kind's desired shape, back into the file's shape.
//
// Decisions (see also the report in the commit history):
// - Everything a kind compares is written, so a plan after the export detects any later drift:
//   ACU limits (null included), `read_only` on every git permission, tags with `default` (null
//   included), a secret's type, note (marker stripped, "" when none) and sensitive, an IdP group's
//   `role` (null when it has none), and every collection of an exported organization, empty ones
//   as `[]` / `{}`. Not written: secret values (write-only, hands-off) and `ttl_days` (applies at
//   provisioning only, D4). A collection that could not be read (a feature not enabled) is
//   omitted, so it stays hands-off.
// - Git connections are named by name when that resolves to the connection, else host, else id.
// - The caller devinctl runs as goes to settings.ignore.service_users (D5): it round-trips and
//   no edit of the file can touch it. Its org roles are exported like any other.
// - `--orgs a,b`: only those organizations; the other live ones are listed in
//   settings.ignore.organizations (the `organizations` map is authoritative, so without that a
//   plan would delete them). The enterprise sections still export in full, and org-group limits
//   keep naming unselected organizations (live names are allowed there, D8).
// - No ids are written. Live state the file cannot express is either an error (two live
//   organizations or service users with one name, an unknown or ambiguous role, a permission on
//   an unknown connection, a blank name) or, where leaving the object alone is safe, an entry in
//   settings.ignore with a warning (a secret key or type the schema does not accept, a service
//   user with no role).
import type { ApiClient } from '../api/types.js';
import { ApiError } from '../api/types.js';
import type { DesiredDoc, DocPath, GitPermissionDoc, IdpGroupDoc, OrganizationDoc, OrgGroupLimitDoc, SecretDoc, SecretType, ServiceUserDoc } from '../config/types.js';
import { closeMatches } from '../config/suggest.js';
import { PlanError } from './errors.js';
import { matchGlob } from './glob.js';
import { readLookups } from './lookups.js';
import type { GitConnection, Lookups, ReadContext, ResourceKind, ResourceObject, Role } from './types.js';

export interface ExportOptions {
  /** Export only these organizations (by name); the enterprise sections export in full. */
  orgs?: string[];
  /** Kinds whose live collection was not read (a feature not enabled): their keys are left out. */
  unread?: readonly string[];
  /** A warning about what the export could not express faithfully. */
  warn?(message: string): void;
  /** A comment for the YAML text at a path of the document (see src/cli/export-yaml.ts). */
  note?(path: DocPath, comment: string, where: 'before' | 'after'): void;
}

const SECRET_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_TYPES: readonly string[] = ['key-value', 'cookie', 'totp'] satisfies SecretType[];
const PATH_FIELDS = ['repo_path', 'group_prefix', 'prefix_path'] as const;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const blank = (s: string) => s.trim() === '';

/** A glob matching `text` itself: `*` and `?` (not escapable in D1 globs) become `?`. */
export function literalGlob(text: string): string {
  return text.replace(/[*?]/g, '?');
}

/** How the file names a connection: the first of name, host, id that resolves to it (as kinds/common.ts resolves). */
export function connectionRef(connections: readonly GitConnection[], conn: GitConnection): string {
  const picks = [(c: GitConnection, r: string) => c.git_connection_id === r, (c: GitConnection, r: string) => c.name === r, (c: GitConnection, r: string) => c.host === r];
  const resolve = (ref: string): GitConnection | undefined => {
    for (const pick of picks) {
      const hits = connections.filter((c) => pick(c, ref));
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) return undefined;
    }
    return undefined;
  };
  for (const ref of [conn.name, conn.host]) {
    if (ref && resolve(ref) === conn) return ref;
  }
  return conn.git_connection_id;
}

/** Pure: the desired-state document that describes `live` (objects as the kinds read them). Throws PlanError listing every problem. */
export function exportDoc(live: ResourceObject[], lookups: Lookups, opts: ExportOptions = {}): DesiredDoc {
  const problems: string[] = [];
  const warn = (m: string) => opts.warn?.(m);
  const note = (path: DocPath, comment: string, where: 'before' | 'after' = 'after') => opts.note?.(path, comment, where);
  const unread = new Set(opts.unread ?? []);
  const of = (kind: string) => live.filter((o) => o.kind === kind).sort((a, b) => byCodeUnits(a.key, b.key));
  const childKey = (o: ResourceObject) => o.key.slice(o.parent.length + 1);
  const ignore: Record<string, string[]> = {};
  const ignoreLiteral = (collection: string, key: string) => (ignore[collection] ??= []).push(literalGlob(key));

  const roleUse = (type: Role['role_type'], name: string, what: string) => {
    const hits = lookups.roles.filter((r) => r.role_type === type && r.role_name === name);
    if (hits.length === 1) return;
    if (hits.length > 1) problems.push(`${what} holds ${type} role '${name}', which is ambiguous (${hits.map((r) => r.role_id).join(', ')}): rename one of the roles`);
    else problems.push(`${what} holds ${type} role '${name}', which is not in the role list`);
  };

  // organizations: one name, one live organization (D17)
  const orgObjects = of('organization');
  const idsByName = new Map<string, string[]>();
  for (const o of orgObjects) {
    const name = String(o.spec.name ?? o.key);
    idsByName.set(name, [...(idsByName.get(name) ?? []), String(o.meta?.id ?? '?')]);
  }
  for (const [name, ids] of idsByName) {
    if (ids.length > 1 && (!opts.orgs || opts.orgs.includes(name))) {
      problems.push(`organization '${name}' exists ${ids.length} times live (${ids.join(', ')}): a file names organizations by name, so it cannot be exported; rename or remove the duplicates`);
    }
    if (blank(name)) problems.push(`organization ${ids.join(', ')} has a blank name, which a file cannot hold`);
  }
  const liveNames = [...idsByName.keys()];
  for (const name of opts.orgs ?? []) {
    if (idsByName.has(name)) continue;
    const near = closeMatches(name, liveNames);
    problems.push(`--orgs: no live organization '${name}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}`);
  }
  const selected = new Set(opts.orgs ?? liveNames);
  const keys = [...new Set(orgObjects.map((o) => o.key))];
  const orgs: Record<string, OrganizationDoc> = {};
  for (const o of orgObjects) {
    if (!selected.has(o.key) || o.key in orgs) continue;
    const doc: OrganizationDoc = {
      max_session_acu_limit: (o.spec.max_session_acu_limit as number | null | undefined) ?? null,
      max_cycle_acu_limit: (o.spec.max_cycle_acu_limit as number | null | undefined) ?? null,
    };
    if (!unread.has('git-permission')) doc.git_permissions = [];
    if (!unread.has('secret')) doc.secrets = {};
    if (!unread.has('idp-group-org-role')) doc.idp_groups = {};
    if (!unread.has('service-user') && !unread.has('service-user-org-role')) doc.service_users = {};
    orgs[o.key] = doc;
  }
  const unselected = keys.filter((k) => !selected.has(k)).sort(byCodeUnits);
  for (const k of unselected) ignoreLiteral('organizations', k);
  if (unselected.length) note(['settings', 'ignore', 'organizations'], ' not exported (--orgs), left alone; an organization created later is not listed: add it here, or a plan deletes it', 'before');

  // git permissions
  for (const p of of('git-permission')) {
    const doc = orgs[p.parent];
    if (!doc?.git_permissions) continue;
    const id = String(p.spec.connection_id);
    const conn = lookups.connections.find((c) => c.git_connection_id === id);
    const field = p.spec.field as (typeof PATH_FIELDS)[number];
    const path = String(p.spec.path);
    if (!conn) {
      problems.push(`git permission ${p.key} uses git connection ${id}, which is not in the connection list`);
      continue;
    }
    if (!PATH_FIELDS.includes(field) || path === '') {
      problems.push(`git permission ${p.key} has no path a file can hold`);
      continue;
    }
    const entry: GitPermissionDoc = { connection: connectionRef(lookups.connections, conn), [field]: path, read_only: p.spec.read_only === true };
    doc.git_permissions.push(entry);
  }
  for (const doc of Object.values(orgs)) {
    const sortKey = (g: GitPermissionDoc) => JSON.stringify([g.connection, ...PATH_FIELDS.map((f) => g[f] ?? '')]);
    doc.git_permissions?.sort((a, b) => byCodeUnits(sortKey(a), sortKey(b)));
  }

  // tags: one object per organization when the feature is enabled
  for (const t of of('tags')) {
    const doc = orgs[t.parent];
    if (!doc || unread.has('tags')) continue;
    const allowed = [...((t.spec.allowed as string[] | undefined) ?? [])].sort(byCodeUnits);
    if (allowed.some(blank)) problems.push(`tags of ${t.parent}: a blank tag, which a file cannot hold`);
    doc.tags = { allowed, default: (t.spec.default as string | null | undefined) ?? null };
  }

  // secrets: metadata only, never a value
  for (const s of of('secret')) {
    const doc = orgs[s.parent];
    if (!doc?.secrets) continue;
    const key = childKey(s);
    const type = String(s.spec.type ?? 'key-value');
    if (!SECRET_KEY.test(key) || !SECRET_TYPES.includes(type)) {
      const why = SECRET_KEY.test(key) ? `its type '${type}' is not one a file can hold` : 'its key is not an environment variable name, as a file requires';
      warn(`secret ${s.key} is not exported (${why}): listed in settings.ignore.secrets, left alone`);
      ignoreLiteral('secrets', s.key);
      continue;
    }
    const secret: SecretDoc = { type: type as SecretType, note: String(s.spec.note ?? ''), sensitive: s.spec.sensitive !== false };
    doc.secrets[key] = secret;
    note(['organizations', s.parent, 'secrets', key], ` value is not exported: add value: "\${${key}}" to manage it`, 'before');
  }

  // IdP groups: registrations with their enterprise role; org roles per organization
  const enterprise: NonNullable<DesiredDoc['enterprise']> = {};
  const groupRole = new Map<string, string | null>();
  if (!unread.has('idp-group')) {
    const groups: Record<string, IdpGroupDoc> = {};
    for (const g of of('idp-group')) {
      if (blank(g.key)) {
        problems.push(`an IdP group has a blank name, which a file cannot hold`);
        continue;
      }
      const role = (g.spec.role as string | null | undefined) ?? null;
      if (role !== null) roleUse('enterprise', role, `IdP group '${g.key}'`);
      groups[g.key] = { role };
      groupRole.set(g.key, role);
    }
    enterprise.idp_groups = groups;
  }
  for (const r of of('idp-group-org-role')) {
    const doc = orgs[r.parent];
    if (!doc?.idp_groups) continue;
    const group = childKey(r);
    const role = String(r.spec.role);
    roleUse('org', role, `IdP group '${group}' in ${r.parent}`);
    doc.idp_groups[group] = role;
    if (!unread.has('idp-group') && !groupRole.has(group)) {
      warn(`IdP group '${group}' holds an org role in ${r.parent} but is not registered; a plan reports this as an error until the group is registered with an enterprise role`);
    } else if (groupRole.get(group) === null) {
      warn(`IdP group '${group}' holds an org role in ${r.parent} but no enterprise role; the API requires one, so a plan reports this as an error until the group gets an enterprise role`);
    }
  }

  // service users: enterprise ones with their role, org-scoped ones in their organization, the caller ignored (D5)
  const caller = lookups.caller?.service_user_id ?? null;
  if (!unread.has('service-user')) {
    const users: Record<string, ServiceUserDoc> = {};
    const seen = new Map<string, string[]>();
    for (const su of of('service-user')) seen.set(su.key, [...(seen.get(su.key) ?? []), String(su.meta?.id ?? '?')]);
    for (const [name, ids] of seen) {
      if (ids.length > 1) problems.push(`service user '${name}' exists ${ids.length} times live (${ids.join(', ')}): a file names service users by name, so it cannot be exported; remove the duplicates`);
      if (blank(name)) problems.push(`service user ${ids.join(', ')} has a blank name, which a file cannot hold`);
    }
    for (const su of of('service-user')) {
      const scope = String(su.spec.scope ?? '');
      const role = String(su.spec.role ?? '');
      if (caller !== null && su.meta?.id === caller) {
        ignoreLiteral('service_users', su.key);
        note(['settings', 'ignore', 'service_users', ignore.service_users.length - 1], ' the caller devinctl runs as: never deleted or re-roled (D5)', 'after');
        continue;
      }
      if (role === '') {
        warn(`service user '${su.key}' holds no role, which a file cannot express: listed in settings.ignore.service_users, left alone`);
        ignoreLiteral('service_users', su.key);
        continue;
      }
      if (su.spec.expired === true) warn(`service user '${su.key}' has expired: a plan replaces it (a delete, so it needs --allow-delete service-user)`);
      const expires = typeof su.meta?.expires_at === 'number' ? new Date(su.meta.expires_at * 1000).toISOString().slice(0, 10) : undefined;
      if (scope === '') {
        roleUse('enterprise', role, `service user '${su.key}'`);
        users[su.key] = { role };
        if (expires) note(['enterprise', 'service_users', su.key], ` expires ${expires}`, 'after');
      } else if (orgs[scope]?.service_users) {
        roleUse('org', role, `service user '${su.key}'`);
        orgs[scope].service_users![su.key] = { role };
        if (expires) note(['organizations', scope, 'service_users', su.key], ` expires ${expires}`, 'after');
      } else if (!keys.includes(scope)) {
        warn(`service user '${su.key}' is scoped to organization ${scope}, which is not in the organization list: not exported`);
      }
    }
    enterprise.service_users = users;
  }
  for (const r of of('service-user-org-role')) {
    const doc = orgs[r.parent];
    if (!doc?.service_users) continue;
    const name = childKey(r);
    const role = String(r.spec.role);
    roleUse('org', role, `service user '${name}' in ${r.parent}`);
    doc.service_users[name] = role;
  }

  // org-group limits: the whole config (one PUT), naming organizations by name
  if (!unread.has('org-group-limit')) {
    const limits: Record<string, OrgGroupLimitDoc> = {};
    for (const g of of('org-group-limit')) {
      if (blank(g.key)) problems.push(`an org-group limit has a blank name, which a file cannot hold`);
      const named = (g.spec.organizations as string[] | undefined) ?? [];
      const known = named.filter((org) => keys.includes(org));
      for (const org of named) {
        if (!keys.includes(org)) warn(`org-group limit '${g.key}' names organization ${org}, which is not in the organization list: left out, so a plan updates the group`);
      }
      limits[g.key] = { max_cycle_acus: (g.spec.max_cycle_acus as number | null | undefined) ?? null, organizations: [...new Set(known)].sort(byCodeUnits) };
    }
    enterprise.org_group_limits = limits;
  }

  // an ignore glob must not reach an exported object
  for (const [collection, globs] of Object.entries(ignore)) {
    const exported = collection === 'organizations' ? Object.keys(orgs)
      : collection === 'service_users' ? [...Object.keys(enterprise.service_users ?? {}), ...Object.values(orgs).flatMap((o) => Object.entries(o.service_users ?? {}).filter(([, v]) => typeof v !== 'string').map(([n]) => n))]
      : Object.entries(orgs).flatMap(([org, o]) => Object.keys(o.secrets ?? {}).map((k) => `${org}/${k}`));
    for (const glob of globs) {
      const hit = exported.find((x) => matchGlob(glob, x));
      if (hit !== undefined) problems.push(`settings.ignore.${collection} entry '${glob}' would also match '${hit}', which is exported (a name with * or ? cannot be matched exactly)`);
    }
  }

  if (problems.length) throw new PlanError(problems);
  const doc: DesiredDoc = { version: 1 };
  if (Object.keys(ignore).length) doc.settings = { ignore: Object.fromEntries(Object.entries(ignore).map(([k, v]) => [k, [...new Set(v)]])) };
  doc.enterprise = enterprise;
  doc.organizations = orgs;
  return doc;
}

export interface LiveState {
  live: ResourceObject[];
  lookups: Lookups;
  /** Kinds whose collection could not be read because the feature is not enabled. */
  unread: string[];
}

/** Optional features: a 404 (tags) or "not enabled" (org-group limits) leaves the kind unread, with a warning. */
const OPTIONAL = new Set(['tags', 'org-group-limit']);

/**
 * Read every collection of the enterprise: every lookup, and every kind with the enterprise and
 * the organizations (all, or `orgs`) as scopes. Organizations outside `orgs` are not read beyond
 * the organization list, and their duplicates are no error.
 */
export async function readAll(api: ApiClient, kinds: readonly ResourceKind[], opts: { orgs?: string[]; warn?(message: string): void } = {}): Promise<LiveState> {
  const only = opts.orgs ? new Set(opts.orgs) : undefined;
  const lookups = await readLookups(
    api,
    { version: 1 },
    (o) => only !== undefined && o.kind === 'organization' && !only.has(o.key),
    { roles: true, connections: true, organizations: true, caller: true },
  );
  const scopes = ['', ...[...lookups.orgIdByKey.keys()].filter((k) => !only || only.has(k))];
  const shared = new Map<string, Promise<unknown>>();
  const unread: string[] = [];
  const ctx: ReadContext = {
    lookups,
    scopes,
    cascade: new Set(),
    shared<T>(key: string, read: () => Promise<T>): Promise<T> {
      if (!shared.has(key)) shared.set(key, read());
      return shared.get(key) as Promise<T>;
    },
    warn: (message) => opts.warn?.(message),
  };
  const lists = await Promise.all(
    kinds.map(async (k) => {
      try {
        return await k.read(api, ctx);
      } catch (e) {
        const notEnabled = OPTIONAL.has(k.name) && ((e instanceof ApiError && e.status === 404) || e instanceof PlanError);
        if (!notEnabled) throw e;
        unread.push(k.name);
        const why = e instanceof ApiError ? e.detail : (e as PlanError).problems.join('; ');
        opts.warn?.(`${k.collection} are not exported (${why}): the file leaves them hands-off`);
        return [];
      }
    }),
  );
  return { live: lists.flat(), lookups, unread: unread.sort() };
}
