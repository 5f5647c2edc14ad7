// Turns a seed document (a file or an object) into a fresh EmulatorState: fills defaults,
// resolves conveniences (expires_in_days), stores git prefixes with their trailing "/" (D10),
// sorts tags, and checks every reference so a broken seed fails at start-up with a clear message.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowSeconds } from './ids.js';
import { STATE_FORMAT, type EmulatorState, type SecretType, type SeedDoc } from './types.js';

const SECRET_TYPES: readonly SecretType[] = ['cookie', 'key-value', 'totp', 'dictionary'];

/** examples/emulator-seed.json of this package, found from this file (works from src/ and dist/). */
export function defaultSeedPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'examples', 'emulator-seed.json');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('cannot find examples/emulator-seed.json in the devinctl package');
}

export function readSeed(seed: string | SeedDoc | undefined): SeedDoc {
  if (seed !== undefined && typeof seed !== 'string') return seed;
  const path = seed ?? defaultSeedPath();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read emulator seed ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as SeedDoc;
  } catch (err) {
    throw new Error(`emulator seed ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Stored form of a git path prefix: exactly one trailing "/". */
export function withSlash(path: string | null | undefined): string | null {
  if (path === null || path === undefined) return null;
  return path.endsWith('/') ? path : `${path}/`;
}

export function seedToState(doc: SeedDoc, now = nowSeconds()): EmulatorState {
  const problems: string[] = [];
  const need = (ok: unknown, msg: string): void => {
    if (!ok) problems.push(msg);
  };
  need(doc && typeof doc === 'object', 'the seed must be a JSON object');
  need(doc.version === 1, `seed "version" must be 1 (got ${JSON.stringify(doc?.version)})`);

  const roles = (doc.roles ?? []).map((r) => ({ ...r, permissions: [...(r.permissions ?? [])] }));
  const roleIds = new Set(roles.map((r) => r.role_id));
  for (const r of roles) need(r.role_type === 'enterprise' || r.role_type === 'org', `role ${r.role_id}: role_type must be "enterprise" or "org"`);

  const orgs = (doc.organizations ?? []).map((o) => ({
    org_id: o.org_id,
    name: o.name,
    max_session_acu_limit: o.max_session_acu_limit ?? null,
    max_cycle_acu_limit: o.max_cycle_acu_limit ?? null,
    created_at: o.created_at ?? now,
    updated_at: o.updated_at ?? o.created_at ?? now,
  }));
  const orgIds = new Set(orgs.map((o) => o.org_id));
  const orgRef = (id: string | null | undefined, where: string): void => {
    if (id !== null && id !== undefined) need(orgIds.has(id), `${where}: unknown org_id ${id}`);
  };
  const assignments = (list: { role_id: string; org_id?: string | null }[] | undefined, where: string) =>
    (list ?? []).map((a) => {
      need(roleIds.has(a.role_id), `${where}: unknown role_id ${a.role_id}`);
      const role = roles.find((r) => r.role_id === a.role_id);
      const orgId = a.org_id ?? null;
      orgRef(orgId, where);
      if (role) need((role.role_type === 'org') === (orgId !== null), `${where}: role ${role.role_name} is a ${role.role_type} role, so org_id must be ${role.role_type === 'org' ? 'set' : 'null'}`);
      return { role_id: a.role_id, org_id: orgId };
    });

  const conns = (doc.git_connections ?? []).map((c) => ({ ...c, name: c.name ?? null, created_at: c.created_at ?? now }));
  const connIds = new Set(conns.map((c) => c.git_connection_id));

  const gitPermissions = (doc.git_permissions ?? []).map((p) => {
    const where = `git permission ${p.git_permission_id}`;
    orgRef(p.org_id, where);
    need(connIds.has(p.git_connection_id), `${where}: unknown git_connection_id ${p.git_connection_id}`);
    need([p.repo_path, p.group_prefix, p.prefix_path].filter((x) => x != null).length === 1, `${where}: exactly one of repo_path, group_prefix, prefix_path must be set`);
    return {
      git_permission_id: p.git_permission_id,
      org_id: p.org_id,
      git_connection_id: p.git_connection_id,
      repo_path: p.repo_path ?? null,
      group_prefix: withSlash(p.group_prefix),
      prefix_path: withSlash(p.prefix_path),
      read_only: p.read_only ?? false,
      created_at: p.created_at ?? now,
    };
  });

  const tags: EmulatorState['tags'] = {};
  for (const [orgId, t] of Object.entries(doc.tags ?? {})) {
    orgRef(orgId, `tags of ${orgId}`);
    const sorted = [...new Set(t.tags ?? [])].sort();
    const dflt = t.default_tag ?? null;
    need(dflt === null || sorted.includes(dflt), `tags of ${orgId}: default_tag ${dflt} is not in the allowed tags`);
    tags[orgId] = { tags: sorted, default_tag: dflt };
  }

  const serviceUsers = (doc.service_users ?? []).map((s) => {
    const where = `service user ${s.service_user_id}`;
    orgRef(s.org_id, where);
    const expiresAt = s.expires_in_days !== undefined ? now + Math.round(s.expires_in_days * 86400) : (s.expires_at ?? null);
    return {
      service_user_id: s.service_user_id,
      name: s.name,
      org_id: s.org_id ?? null,
      created_at: s.created_at ?? now,
      expires_at: expiresAt,
      deleted_at: s.deleted_at ?? null,
      role_assignments: assignments(s.role_assignments, where),
    };
  });
  const suIds = new Set(serviceUsers.map((s) => s.service_user_id));
  const adminSu = serviceUsers[0]?.service_user_id ?? '';

  const secrets = (doc.secrets ?? []).map((s) => {
    const where = `secret ${s.secret_id}`;
    orgRef(s.org_id, where);
    const type = s.secret_type ?? s.type;
    need(type !== undefined && SECRET_TYPES.includes(type), `${where}: secret_type must be one of ${SECRET_TYPES.join(', ')}`);
    need(typeof s.value === 'string', `${where}: value must be a string`);
    return {
      secret_id: s.secret_id,
      org_id: s.org_id,
      key: s.key ?? null,
      value: s.value,
      secret_type: type ?? 'key-value',
      is_sensitive: s.is_sensitive ?? true,
      note: s.note ?? null,
      access_type: s.access_type ?? 'org',
      created_by: s.created_by ?? adminSu,
      created_at: s.created_at ?? now,
      updated_at: s.updated_at ?? null,
      updated_by: s.updated_by ?? null,
    };
  });

  const idpGroups = (doc.idp_groups ?? []).map((g) => ({
    idp_group_name: g.idp_group_name,
    created_at: g.created_at ?? now,
    members: [...(g.members ?? [])],
    role_assignments: assignments(g.role_assignments, `IdP group ${g.idp_group_name}`),
  }));

  const tokens = (doc.tokens ?? []).map((t) => {
    need(suIds.has(t.service_user_id), `token for ${t.service_user_id}: unknown service_user_id`);
    return { ...t };
  });
  const apiKeys = (doc.api_keys ?? []).map((k) => {
    need(suIds.has(k.service_user_id), `API key ${k.api_key_id}: unknown service_user_id ${k.service_user_id}`);
    return { ...k, created_at: k.created_at ?? now, expires_at: k.expires_at ?? null, revoked_at: k.revoked_at ?? null, last_used_at: k.last_used_at ?? null };
  });

  const groups: EmulatorState['org_group_limits']['groups'] = {};
  const grouped = new Map<string, string>();
  for (const [name, g] of Object.entries(doc.org_group_limits?.groups ?? {})) {
    for (const id of g.org_ids) {
      orgRef(id, `org group ${name}`);
      need(!grouped.has(id), `org group ${name}: org ${id} is already in group ${grouped.get(id)}`);
      grouped.set(id, name);
    }
    groups[name] = { org_ids: [...new Set(g.org_ids)], max_cycle_acus: g.max_cycle_acus ?? null };
  }

  const adminToken = doc.admin_token ?? tokens[0]?.token;
  need(adminToken !== undefined, 'the seed needs at least one token (and optionally admin_token naming it)');
  need(adminToken === undefined || tokens.some((t) => t.token === adminToken), 'admin_token must be one of the seed tokens');
  const unique = (ids: string[], kind: string): void => need(new Set(ids).size === ids.length, `duplicate ${kind} in the seed`);
  unique(roles.map((r) => r.role_id), 'role_id');
  unique(orgs.map((o) => o.org_id), 'org_id');
  unique(serviceUsers.map((s) => s.service_user_id), 'service_user_id');
  unique(conns.map((c) => c.git_connection_id), 'git_connection_id');
  unique(idpGroups.map((g) => g.idp_group_name), 'idp_group_name');
  if (problems.length) throw new Error(`invalid emulator seed:\n  - ${problems.join('\n  - ')}`);

  return {
    format: STATE_FORMAT,
    version: 1,
    admin_token: adminToken as string,
    features: { session_tags: doc.features?.session_tags ?? true, org_group_limits: doc.features?.org_group_limits ?? true },
    implied_org_permissions: structuredClone(doc.implied_org_permissions ?? {}),
    default_max_session_acu_limit: doc.default_max_session_acu_limit === undefined ? 1000 : doc.default_max_session_acu_limit,
    roles,
    git_connections: conns,
    organizations: orgs,
    git_permissions: gitPermissions,
    tags,
    secrets,
    idp_groups: idpGroups,
    service_users: serviceUsers,
    tokens,
    api_keys: apiKeys,
    org_group_limits: { groups },
  };
}
