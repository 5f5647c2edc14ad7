// The benchmark's synthetic enterprise: one size description → a desired-state YAML file, an
// emulator seed whose live state equals it (the no-change case, secrets carrying valid devinctl
// markers), an empty-enterprise seed (bootstrap), and a desired file with 10% of every collection
// changed. Alongside, the benchmark's OWN arithmetic: the read floor of a plan and the minimum
// number of writes of an apply, by emulator route, computed from the size and the change list —
// never from what the client does.
import { makeFingerprinter, withMarker, type Fingerprinter } from '../engine/fingerprint.js';
import type { SeedDoc } from '../emulator/index.js';

export interface Size {
  orgs: number;
  /** Git permissions per organization. */
  gitPerms: number;
  /** Allowed tags per organization (the first is the default). */
  tags: number;
  /** Secrets per organization. */
  secrets: number;
  /** IdP groups holding an org role in each organization. */
  orgIdpGroups: number;
  /** Enterprise service users holding an org role in each organization. */
  orgServiceUsers: number;
  /** Registered IdP groups (each with an enterprise role). */
  idpGroups: number;
  /** Enterprise service users, the caller (devinctl-admin) included. */
  serviceUsers: number;
}

/** The v3 page size (NOTES §3.1) and the bulk limits the API documents. */
export const PAGE = 200;
export const GIT_BULK = 200;
export const IDP_BULK = 100;
/** Organizations per org-group limit. */
export const ORGS_PER_GROUP = 50;

export const ADMIN_TOKEN = 'cog_bench_admin_token';
export const ADMIN_NAME = 'devinctl-admin';

const pages = (n: number): number => Math.max(1, Math.ceil(n / PAGE));
const pad = (n: number, w = 4): string => String(n).padStart(w, '0');
const hexId = (prefix: string, n: number): string => `${prefix}${n.toString(16).padStart(32, '0')}`;

const ROLE = {
  entAdmin: hexId('role-', 1),
  entMember: hexId('role-', 2),
  entViewer: hexId('role-', 3),
  orgAdmin: hexId('role-', 4),
  orgMember: hexId('role-', 5),
  orgViewer: hexId('role-', 6),
};
const CONN = { github: hexId('git-connection-', 1), gitlab: hexId('git-connection-', 2) };

export const orgName = (i: number): string => `team-${pad(i)}`;
export const orgId = (i: number): string => hexId('org-', i + 1);
const groupName = (j: number): string => `grp-${pad(j)}`;
const suName = (j: number): string => (j === 0 ? ADMIN_NAME : `su-${pad(j)}`);
const suId = (j: number): string => hexId('service-user-', j + 1);
const limitName = (g: number): string => `limit-${pad(g, 2)}`;
const secretKey = (k: number): string => `SECRET_${k}`;
const secretVar = (k: number): string => `BENCH_SECRET_${k}`;
export const ROTATED_VAR = 'BENCH_SECRET_ROTATED';
const tagName = (k: number): string => `tag-${k}`;

/** The 10% that changes: every tenth object of a collection, counted across the enterprise. */
const changed = (globalIndex: number): boolean => globalIndex % 10 === 0;

interface GitPerm {
  connection: 'github' | 'gitlab';
  field: 'repo_path' | 'group_prefix';
  path: string;
  readOnly: boolean;
}

function gitPermsOf(size: Size, i: number, variant: 'base' | 'changed'): { perms: GitPerm[]; moved: number; flipped: number } {
  const perms: GitPerm[] = [];
  let moved = 0;
  let flipped = 0;
  for (let k = 0; k < size.gitPerms; k++) {
    const g = i * size.gitPerms + k;
    const field = k % 3 === 0 ? 'group_prefix' : 'repo_path';
    const p: GitPerm = {
      connection: k % 2 === 0 ? 'github' : 'gitlab',
      field,
      path: `acme/${orgName(i)}/${field === 'group_prefix' ? 'group' : 'repo'}-${pad(k, 2)}`,
      readOnly: k % 4 === 0,
    };
    if (variant === 'changed' && changed(g)) {
      // half of the changed ones move to a new path (delete + create), half flip read_only (PATCH)
      if (Math.floor(g / 10) % 2 === 0) {
        p.path += '-moved';
        moved++;
      } else {
        p.readOnly = !p.readOnly;
        flipped++;
      }
    }
    perms.push(p);
  }
  return { perms, moved, flipped };
}

const orgIdpGroupsOf = (size: Size, i: number): number[] =>
  Array.from({ length: size.orgIdpGroups }, (_, k) => (i * size.orgIdpGroups + k) % size.idpGroups);
const orgServiceUsersOf = (size: Size, i: number): number[] =>
  Array.from({ length: size.orgServiceUsers }, (_, k) => ((i * size.orgServiceUsers + k) % (size.serviceUsers - 1)) + 1);
const groupsOfLimits = (size: Size): number[][] => {
  const out: number[][] = [];
  for (let i = 0; i < size.orgs; i += ORGS_PER_GROUP) out.push(Array.from({ length: Math.min(ORGS_PER_GROUP, size.orgs - i) }, (_, k) => i + k));
  return out;
};

export function checkSize(size: Size): string[] {
  const problems: string[] = [];
  for (const [k, v] of Object.entries(size)) if (!Number.isInteger(v) || v < 0) problems.push(`--${k} must be a whole number ≥ 0, got ${v}`);
  if (size.orgs < 1) problems.push('--orgs must be at least 1');
  if (size.serviceUsers < 1) problems.push('--service-users must be at least 1 (the caller, devinctl-admin)');
  if (size.orgIdpGroups > size.idpGroups) problems.push('--org-idp-groups cannot exceed --idp-groups');
  if (size.orgServiceUsers > size.serviceUsers - 1) problems.push('--org-service-users cannot exceed --service-users minus the caller');
  if (size.secrets > 1000) problems.push('--secrets is at most 1000');
  return problems;
}

/** What the 10%-changed file changes, collection by collection (counts of objects). */
export interface ChangeCounts {
  orgLimits: number;
  gitMoved: number;
  /** Organizations with at least one moved git permission (one bulk POST each, per 200). */
  gitMovedBatches: number;
  gitFlipped: number;
  tagSets: number;
  secretsRotated: number;
  idpGroupRoles: number;
  idpGroupOrgRoles: number;
  serviceUserRoles: number;
  serviceUserOrgRoles: number;
  orgGroupLimits: number;
}

export interface Enterprise {
  size: Size;
  /** The desired state (live equals it in `seed`). */
  desiredYaml: string;
  /** Desired state with 10% of every collection changed against `seed`. */
  changedYaml: string;
  /** Live = desired. */
  seed: SeedDoc;
  /** Roles, connections and the caller only. */
  emptySeed: SeedDoc;
  /** Environment for the run: secret values and DEVINCTL_FINGERPRINT_KEY. */
  env: Record<string, string>;
  changes: ChangeCounts;
  /** Objects in the desired state, by kind. */
  objects: Record<string, number>;
}

export function generateEnterprise(size: Size, fingerprintKey: string): Enterprise {
  const problems = checkSize(size);
  if (problems.length) throw new Error(problems.join('; '));
  const env: Record<string, string> = { DEVINCTL_FINGERPRINT_KEY: fingerprintKey, [ROTATED_VAR]: 'bench-rotated-value' };
  for (let k = 0; k < size.secrets; k++) env[secretVar(k)] = `bench-value-${k}`;
  const fingerprinter = makeFingerprinter(env);

  const base = baseSeed();
  const changes: ChangeCounts = {
    orgLimits: 0, gitMoved: 0, gitMovedBatches: 0, gitFlipped: 0, tagSets: 0, secretsRotated: 0,
    idpGroupRoles: 0, idpGroupOrgRoles: 0, serviceUserRoles: 0, serviceUserOrgRoles: 0, orgGroupLimits: 0,
  };
  const seed = buildSeed(size, base, fingerprinter, env);
  const desiredYaml = buildYaml(size, 'base');
  const changedYaml = buildYaml(size, 'changed', changes);
  const emptySeed: SeedDoc = { ...base, service_users: [adminSeed()] };
  const objects = {
    organization: size.orgs,
    'git-permission': size.orgs * size.gitPerms,
    tags: size.orgs,
    secret: size.orgs * size.secrets,
    'idp-group': size.idpGroups,
    'idp-group-org-role': size.orgs * size.orgIdpGroups,
    'service-user': size.serviceUsers,
    'service-user-org-role': size.orgs * size.orgServiceUsers,
    'org-group-limit': groupsOfLimits(size).length,
  };
  return { size, desiredYaml, changedYaml, seed, emptySeed, env, changes, objects };
}

function adminSeed(): NonNullable<SeedDoc['service_users']>[number] {
  return { service_user_id: suId(0), name: ADMIN_NAME, org_id: null, expires_at: null, role_assignments: [{ role_id: ROLE.entAdmin, org_id: null }] };
}

function baseSeed(): SeedDoc {
  return {
    $comment: 'devinctl benchmark: synthetic enterprise (src/bench/generate.ts)',
    version: 1,
    admin_token: ADMIN_TOKEN,
    features: { session_tags: true, org_group_limits: true },
    default_max_session_acu_limit: 1000,
    implied_org_permissions: {
      ManageAccountSessions: ['UseDevinSessions', 'ViewOrgSessions', 'ManageOrgSessions', 'ImpersonateOrgSessions'],
      ViewAccountSessions: ['ViewOrgSessions'],
      ManageEnterpriseSettings: ['ManageOrgSecrets', 'ManageOrgSchedules'],
      ManageAccountServiceUsers: ['ManageOrgServiceUsers'],
    },
    roles: [
      {
        role_id: ROLE.entAdmin, role_name: 'Admin', role_type: 'enterprise',
        permissions: ['ReadAccountMeta', 'ManageEnterpriseSettings', 'ManageOrganizations', 'ManageAccountMembership', 'ViewAccountMembership',
          'ManageAccountServiceUsers', 'ManageGitIntegrations', 'ViewAccountSessions', 'ManageAccountSessions'],
      },
      { role_id: ROLE.entMember, role_name: 'Member', role_type: 'enterprise', permissions: ['ReadAccountMeta', 'ViewAccountSessions'] },
      { role_id: ROLE.entViewer, role_name: 'Viewer', role_type: 'enterprise', permissions: ['ReadAccountMeta'] },
      { role_id: ROLE.orgAdmin, role_name: 'Admin', role_type: 'org', permissions: ['UseDevinSessions', 'ViewOrgSessions', 'ManageOrgSessions', 'ManageOrgSecrets'] },
      { role_id: ROLE.orgMember, role_name: 'Member', role_type: 'org', permissions: ['UseDevinSessions', 'ViewOrgSessions'] },
      { role_id: ROLE.orgViewer, role_name: 'Viewer', role_type: 'org', permissions: ['ViewOrgSessions'] },
    ],
    git_connections: [
      { git_connection_id: CONN.github, git_provider_type: 'github_app', name: 'github', host: 'github.com' },
      { git_connection_id: CONN.gitlab, git_provider_type: 'gitlab_token', name: 'gitlab', host: 'gitlab.com' },
    ],
    organizations: [],
    tokens: [{ token: ADMIN_TOKEN, service_user_id: suId(0) }],
  };
}

function buildSeed(size: Size, base: SeedDoc, f: Fingerprinter, env: Record<string, string>): SeedDoc {
  const seed: SeedDoc = { ...base, organizations: [], git_permissions: [], tags: {}, secrets: [], idp_groups: [], service_users: [] };
  const groupAssignments = Array.from({ length: size.idpGroups }, () => [{ role_id: ROLE.entMember, org_id: null as string | null }]);
  const suAssignments = Array.from({ length: size.serviceUsers }, (_, j) => [{ role_id: j === 0 ? ROLE.entAdmin : ROLE.entMember, org_id: null as string | null }]);
  let permN = 0;
  let secretN = 0;
  for (let i = 0; i < size.orgs; i++) {
    const id = orgId(i);
    seed.organizations!.push({ org_id: id, name: orgName(i), max_session_acu_limit: 100, max_cycle_acu_limit: 10_000 });
    for (const p of gitPermsOf(size, i, 'base').perms) {
      seed.git_permissions!.push({
        git_permission_id: hexId('git-permission-', ++permN), org_id: id, git_connection_id: CONN[p.connection],
        [p.field]: p.path, read_only: p.readOnly,
      });
    }
    const tags = Array.from({ length: size.tags }, (_, k) => tagName(k));
    seed.tags![id] = { tags, default_tag: tags[0] ?? null };
    for (let k = 0; k < size.secrets; k++) {
      const value = env[secretVar(k)];
      seed.secrets!.push({
        secret_id: hexId('secret-', ++secretN), org_id: id, key: secretKey(k), value, secret_type: 'key-value', is_sensitive: true,
        note: withMarker(`bench secret ${k}`, f.marker(id, secretKey(k), value)),
      });
    }
    for (const j of orgIdpGroupsOf(size, i)) groupAssignments[j].push({ role_id: ROLE.orgMember, org_id: id });
    for (const j of orgServiceUsersOf(size, i)) suAssignments[j].push({ role_id: ROLE.orgMember, org_id: id });
  }
  for (let j = 0; j < size.idpGroups; j++) seed.idp_groups!.push({ idp_group_name: groupName(j), role_assignments: groupAssignments[j] });
  for (let j = 0; j < size.serviceUsers; j++) {
    seed.service_users!.push({ service_user_id: suId(j), name: suName(j), org_id: null, expires_at: null, role_assignments: suAssignments[j] });
  }
  seed.org_group_limits = { groups: {} };
  groupsOfLimits(size).forEach((orgs, g) => {
    seed.org_group_limits!.groups[limitName(g)] = { org_ids: orgs.map(orgId), max_cycle_acus: 5000 };
  });
  return seed;
}

function buildYaml(size: Size, variant: 'base' | 'changed', counts?: ChangeCounts): string {
  const c = variant === 'changed';
  const out: string[] = [
    '# devinctl benchmark: synthetic enterprise (src/bench/generate.ts)',
    'version: 1',
    'enterprise:',
    '  idp_groups:',
  ];
  if (size.idpGroups === 0) out[out.length - 1] += ' {}';
  for (let j = 0; j < size.idpGroups; j++) {
    const role = c && changed(j) ? 'Viewer' : 'Member';
    if (role !== 'Member') counts!.idpGroupRoles++;
    out.push(`    ${groupName(j)}: { role: ${role} }`);
  }
  out.push('  service_users:');
  out.push(`    ${ADMIN_NAME}: { role: Admin }`);
  for (let j = 1; j < size.serviceUsers; j++) {
    const role = c && changed(j) ? 'Viewer' : 'Member';
    if (role !== 'Member') counts!.serviceUserRoles++;
    out.push(`    ${suName(j)}: { role: ${role}, ttl_days: 365 }`);
  }
  out.push('  org_group_limits:');
  groupsOfLimits(size).forEach((orgs, g) => {
    const acus = c && changed(g) ? 6000 : 5000;
    if (acus !== 5000) counts!.orgGroupLimits++;
    out.push(`    ${limitName(g)}: { max_cycle_acus: ${acus}, organizations: [${orgs.map(orgName).join(', ')}] }`);
  });
  out.push('organizations:');
  for (let i = 0; i < size.orgs; i++) {
    out.push(`  ${orgName(i)}:`);
    const limit = c && changed(i) ? 150 : 100;
    if (limit !== 100) counts!.orgLimits++;
    out.push(`    max_session_acu_limit: ${limit}`, '    max_cycle_acu_limit: 10000');
    const git = gitPermsOf(size, i, variant);
    if (counts) {
      counts.gitMoved += git.moved;
      counts.gitMovedBatches += Math.ceil(git.moved / GIT_BULK);
      counts.gitFlipped += git.flipped;
    }
    out.push(`    git_permissions:${git.perms.length ? '' : ' []'}`);
    for (const p of git.perms) out.push(`      - { connection: ${p.connection}, ${p.field}: ${p.path}${p.readOnly ? ', read_only: true' : ''} }`);
    if (size.tags === 0) out.push('    tags: null');
    else {
      const tags = Array.from({ length: size.tags }, (_, k) => tagName(k));
      // a changed tag set swaps its last tag (never the default, tags[0]; a set of one is left alone)
      if (c && changed(i) && tags.length >= 2) {
        tags[tags.length - 1] = `${tags[tags.length - 1]}-new`;
        counts!.tagSets++;
      }
      out.push(`    tags: { allowed: [${tags.join(', ')}], default: ${tags[0]} }`);
    }
    out.push(`    secrets:${size.secrets ? '' : ' {}'}`);
    for (let k = 0; k < size.secrets; k++) {
      const rotate = c && changed(i * size.secrets + k);
      if (rotate) counts!.secretsRotated++;
      out.push(`      ${secretKey(k)}: { value: "\${${rotate ? ROTATED_VAR : secretVar(k)}}", note: "bench secret ${k}" }`);
    }
    const groups = orgIdpGroupsOf(size, i).map((j, k) => {
      const role = c && changed(i * size.orgIdpGroups + k) ? 'Viewer' : 'Member';
      if (role !== 'Member') counts!.idpGroupOrgRoles++;
      return `${groupName(j)}: ${role}`;
    });
    out.push(`    idp_groups: { ${groups.join(', ')} }`);
    const users = orgServiceUsersOf(size, i).map((j, k) => {
      const role = c && changed(i * size.orgServiceUsers + k) ? 'Viewer' : 'Member';
      if (role !== 'Member') counts!.serviceUserOrgRoles++;
      return `${suName(j)}: ${role}`;
    });
    out.push(`    service_users: { ${users.join(', ')} }`);
  }
  return out.join('\n') + '\n';
}

// ---- the benchmark's own arithmetic -------------------------------------------------------

/**
 * Read floor of a plan of `size` (DESIGN "Reads are minimal and complete"): every collection read
 * once, as a list, in pages of 200 (a list costs at least one page):
 *   per organization: pages(git permissions) + pages(secrets) + pages(org IdP groups)
 *                     + 1 allowed-tags GET + 1 default-tag GET
 *   enterprise:       pages(organizations) + pages(roles) + pages(git connections)
 *                     + pages(registered IdP groups) + pages(IdP group role assignments)
 *                     + pages(service users, include_inactive) + 1 org-group-limits GET + 1 self GET
 * `live` says which objects exist: with an empty enterprise no per-org collection is read.
 */
export function readFloor(size: Size, live: 'equal' | 'empty'): Record<string, number> {
  const orgs = live === 'equal' ? size.orgs : 0;
  const floor: Record<string, number> = {
    'GET /v3/enterprise/organizations': pages(orgs),
    'GET /v3/enterprise/roles': pages(6),
    'GET /v3/enterprise/git-providers/connections': pages(2),
    'GET /v3/enterprise/idp-groups': pages(live === 'equal' ? size.idpGroups : 0),
    'GET /v3/enterprise/members/idp-groups': pages(live === 'equal' ? size.idpGroups : 0),
    'GET /v3/enterprise/members/service-users': pages(live === 'equal' ? size.serviceUsers : 1),
    'GET /v3/enterprise/org-group-limits': 1,
    'GET /v3/enterprise/self': 1,
  };
  if (orgs > 0) {
    floor['GET /v3/enterprise/organizations/{org_id}/git-providers/permissions'] = orgs * pages(size.gitPerms);
    floor['GET /v3/organizations/{org_id}/secrets'] = orgs * pages(size.secrets);
    floor['GET /v3/enterprise/organizations/{org_id}/members/idp-groups'] = orgs * pages(size.orgIdpGroups);
    floor['GET /v3/enterprise/organizations/{org_id}/tags'] = orgs;
    floor['GET /v3/enterprise/organizations/{org_id}/tags/default'] = orgs;
  }
  return floor;
}

/**
 * The longest chain of dependent pages of a plan: the organization list must be read before any
 * per-organization list (whose pages follow one another); every other enterprise list is a chain
 * of its own pages.
 */
export function longestReadChain(size: Size): number {
  const perOrg = Math.max(pages(size.gitPerms), pages(size.secrets), pages(size.orgIdpGroups), 1);
  return Math.max(pages(size.orgs) + perOrg, pages(size.idpGroups), pages(size.serviceUsers), pages(6), pages(2));
}

/**
 * Minimum writes of the bootstrap apply (empty enterprise → desired), with the bulk endpoints:
 *   organizations:           1 POST each (limits in the create body)
 *   git permissions:         ceil(n/200) bulk POSTs per organization
 *   tags:                    1 PUT of the allowed set + 1 PUT of the default, per organization
 *   secrets:                 1 POST each
 *   IdP groups:              ceil(n/100) bulk registration POSTs + 1 POST per enterprise role
 *   IdP group org roles:     1 POST each
 *   service users:           1 provisioning POST each (the caller exists already)
 *   service-user org roles:  1 POST each
 *   org-group limits:        1 PUT of the whole config
 */
export function bootstrapMinimum(size: Size): Record<string, number> {
  const o = size.orgs;
  const min: Record<string, number> = {
    'POST /v3/enterprise/organizations': o,
    'POST /v3/enterprise/organizations/{org_id}/git-providers/permissions': size.gitPerms ? o * Math.ceil(size.gitPerms / GIT_BULK) : 0,
    'PUT /v3/enterprise/organizations/{org_id}/tags': size.tags ? o : 0,
    'PUT /v3/enterprise/organizations/{org_id}/tags/default': size.tags ? o : 0,
    'POST /v3/organizations/{org_id}/secrets': o * size.secrets,
    'POST /v3/enterprise/idp-groups': Math.ceil(size.idpGroups / IDP_BULK),
    'POST /v3/enterprise/members/idp-groups/{idp_group_name}': size.idpGroups,
    'POST /v3/enterprise/organizations/{org_id}/members/idp-groups/{idp_group_name}': o * size.orgIdpGroups,
    'POST /v3beta1/enterprise/service-users': size.serviceUsers - 1,
    'POST /v3/enterprise/organizations/{org_id}/members/service-users/{service_user_id}': o * size.orgServiceUsers,
    'PUT /v3/enterprise/org-group-limits': 1,
  };
  return dropZeros(min);
}

/**
 * Minimum writes of the 10% change (what generateEnterprise changed, see ChangeCounts):
 *   organization limits:     1 PATCH each
 *   moved git permissions:   1 DELETE each (no bulk delete of some) + ceil(n/200) bulk POSTs per org
 *   flipped read_only:       1 PATCH each
 *   changed tag sets:        1 PUT each (the default stays)
 *   rotated secrets:         1 DELETE + 1 POST each (secrets have no update endpoint)
 *   IdP group roles, IdP group org roles, service-user roles, service-user org roles: 1 PATCH each
 *   org-group limits:        1 PUT of the whole config when any group changed
 */
export function changeMinimum(c: ChangeCounts): Record<string, number> {
  return dropZeros({
    'PATCH /v3/enterprise/organizations/{org_id}': c.orgLimits,
    'DELETE /v3/enterprise/organizations/{org_id}/git-providers/permissions/{git_permission_id}': c.gitMoved,
    'POST /v3/enterprise/organizations/{org_id}/git-providers/permissions': c.gitMovedBatches,
    'PATCH /v3/enterprise/organizations/{org_id}/git-providers/permissions/{git_permission_id}': c.gitFlipped,
    'PUT /v3/enterprise/organizations/{org_id}/tags': c.tagSets,
    'DELETE /v3/organizations/{org_id}/secrets/{secret_id}': c.secretsRotated,
    'POST /v3/organizations/{org_id}/secrets': c.secretsRotated,
    'PATCH /v3/enterprise/members/idp-groups/{idp_group_name}': c.idpGroupRoles,
    'PATCH /v3/enterprise/organizations/{org_id}/members/idp-groups/{idp_group_name}': c.idpGroupOrgRoles,
    'PATCH /v3/enterprise/members/service-users/{service_user_id}': c.serviceUserRoles,
    'PATCH /v3/enterprise/organizations/{org_id}/members/service-users/{service_user_id}': c.serviceUserOrgRoles,
    'PUT /v3/enterprise/org-group-limits': c.orgGroupLimits > 0 ? 1 : 0,
  });
}

function dropZeros(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v > 0));
}

export const sum = (m: Record<string, number>): number => Object.values(m).reduce((a, b) => a + b, 0);
