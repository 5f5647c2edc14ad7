// exportDoc: live objects (as the kinds read them) -> the desired-state document. Pure.
import { describe, expect, it } from 'vitest';
import { connectionRef, exportDoc, literalGlob, type ExportOptions } from '../../src/engine/export.js';
import { buildLookups } from '../../src/engine/lookups.js';
import { PlanError } from '../../src/engine/errors.js';
import type { DocPath } from '../../src/config/types.js';
import type { GitConnection, LiveOrganization, Lookups, ResourceObject, Role } from '../../src/engine/types.js';

const roles: Role[] = [
  { role_id: 'r-ea', role_name: 'Admin', role_type: 'enterprise' },
  { role_id: 'r-em', role_name: 'Member', role_type: 'enterprise' },
  { role_id: 'r-oa', role_name: 'Admin', role_type: 'org' },
  { role_id: 'r-om', role_name: 'Member', role_type: 'org' },
];
const connections: GitConnection[] = [
  { git_connection_id: 'gc-1', name: 'github', host: 'github.com' },
  { git_connection_id: 'gc-2', name: 'gitlab', host: 'gitlab.com' },
];
const organizations: LiveOrganization[] = [
  { org_id: 'org-1', name: 'frontend', max_session_acu_limit: 200, max_cycle_acu_limit: null },
  { org_id: 'org-2', name: 'backend', max_session_acu_limit: null, max_cycle_acu_limit: 5000 },
];

function lookups(over: Partial<{ roles: Role[]; connections: GitConnection[]; organizations: LiveOrganization[]; callerId: string }> = {}): Lookups {
  const l = buildLookups({ version: 1 }, {
    roles: over.roles ?? roles,
    connections: over.connections ?? connections,
    organizations: over.organizations ?? organizations,
    caller: { service_user_id: over.callerId ?? 'su-admin', service_user_name: 'devinctl-admin', org_id: null },
  });
  return l;
}

const orgObjects = (orgs: LiveOrganization[] = organizations): ResourceObject[] =>
  orgs.map((o) => ({ kind: 'organization', key: o.name, parent: '', spec: { name: o.name, max_session_acu_limit: o.max_session_acu_limit, max_cycle_acu_limit: o.max_cycle_acu_limit }, meta: { id: o.org_id } }));
const perm = (org: string, conn: string, label: string, field: string, path: string, ro = false): ResourceObject =>
  ({ kind: 'git-permission', key: `${org}/${label}/${field}:${path}`, parent: org, spec: { connection_id: conn, field, path, read_only: ro }, meta: { id: `gp-${path}` } });
const secret = (org: string, key: string, spec: Record<string, string | boolean | null>): ResourceObject =>
  ({ kind: 'secret', key: `${org}/${key}`, parent: org, spec, meta: { id: `s-${key}` } });
const su = (name: string, role: string, scope = '', id = `su-${name}`, extra: { expired?: boolean; expires_at?: number | null } = {}): ResourceObject =>
  ({ kind: 'service-user', key: name, parent: scope, spec: { role, scope, expired: extra.expired ?? false }, meta: { id, expires_at: extra.expires_at ?? null } });

function run(live: ResourceObject[], opts: ExportOptions = {}, l = lookups()) {
  const warnings: string[] = [];
  const notes: { path: DocPath; comment: string; where: string }[] = [];
  const doc = exportDoc(live, l, { ...opts, warn: (m) => warnings.push(m), note: (path, comment, where) => notes.push({ path, comment, where }) });
  return { doc, warnings, notes };
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlanError) return e.problems;
    throw e;
  }
  throw new Error('expected a PlanError');
}

describe('exportDoc', () => {
  it('writes every organization by name with both ACU limits, null included', () => {
    const { doc } = run(orgObjects());
    expect(doc.version).toBe(1);
    expect(doc.organizations!.frontend).toMatchObject({ max_session_acu_limit: 200, max_cycle_acu_limit: null });
    expect(doc.organizations!.backend).toMatchObject({ max_session_acu_limit: null, max_cycle_acu_limit: 5000 });
    expect(Object.keys(doc.organizations!)).toEqual(['backend', 'frontend']);
  });

  it('writes empty collections for an organization that has none, so the file owns them', () => {
    const { doc } = run([...orgObjects(), { kind: 'tags', key: 'backend', parent: 'backend', spec: { allowed: [], default: null } }]);
    expect(doc.organizations!.backend).toEqual({
      max_session_acu_limit: null, max_cycle_acu_limit: 5000,
      git_permissions: [], secrets: {}, idp_groups: {}, service_users: {}, tags: { allowed: [], default: null },
    });
    expect(doc.enterprise).toEqual({ idp_groups: {}, service_users: {}, org_group_limits: {} });
  });

  it('writes no ids anywhere', () => {
    const { doc } = run([...orgObjects(), perm('frontend', 'gc-1', 'github', 'repo_path', 'acme/app'), secret('frontend', 'K', { type: 'key-value', note: '', sensitive: true, value: null }), su('ci', 'Member')]);
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/org-\d|gc-\d|gp-|s-K|su-ci/);
  });

  it('names a git connection by its name, with exactly the path field and read_only on every entry', () => {
    const { doc } = run([
      ...orgObjects(),
      perm('frontend', 'gc-1', 'github', 'repo_path', 'acme/shared', true),
      perm('frontend', 'gc-1', 'github', 'group_prefix', 'acme/frontend'),
      perm('frontend', 'gc-2', 'gitlab', 'prefix_path', 'infra'),
    ]);
    expect(doc.organizations!.frontend.git_permissions).toEqual([
      { connection: 'github', group_prefix: 'acme/frontend', read_only: false },
      { connection: 'github', repo_path: 'acme/shared', read_only: true },
      { connection: 'gitlab', prefix_path: 'infra', read_only: false },
    ]);
  });

  it('names a connection by host when its name is shared, and by id when its host is shared too', () => {
    const conns: GitConnection[] = [
      { git_connection_id: 'gc-1', name: 'git', host: 'github.com' },
      { git_connection_id: 'gc-2', name: 'git', host: 'gitlab.com' },
      { git_connection_id: 'gc-3', name: null, host: 'gitlab.com' },
      { git_connection_id: 'gc-4', name: null, host: 'bitbucket.org' },
    ];
    expect(conns.map((c) => connectionRef(conns, c))).toEqual(['github.com', 'gc-2', 'gc-3', 'bitbucket.org']);
    // a name that is another connection's host still resolves to the name first
    const tricky: GitConnection[] = [
      { git_connection_id: 'gc-1', name: 'gitlab.com', host: 'github.com' },
      { git_connection_id: 'gc-2', name: null, host: 'gitlab.com' },
    ];
    expect(tricky.map((c) => connectionRef(tricky, c))).toEqual(['gitlab.com', 'gc-2']);
  });

  it('refuses a git permission on a connection that is not in the connection list', () => {
    expect(problems(() => run([...orgObjects(), perm('frontend', 'gc-9', 'gc-9', 'repo_path', 'x/y')]))).toEqual([
      'git permission frontend/gc-9/repo_path:x/y uses git connection gc-9, which is not in the connection list',
    ]);
  });

  it('writes the allowed tags sorted and the default, null included', () => {
    const { doc } = run([
      ...orgObjects(),
      { kind: 'tags', key: 'frontend', parent: 'frontend', spec: { allowed: ['web', 'api'], default: 'web' } },
      { kind: 'tags', key: 'backend', parent: 'backend', spec: { allowed: ['x'], default: null } },
    ]);
    expect(doc.organizations!.frontend.tags).toEqual({ allowed: ['api', 'web'], default: 'web' });
    expect(doc.organizations!.backend.tags).toEqual({ allowed: ['x'], default: null });
  });

  it('writes a secret type, note and sensitive but never a value, with a note on how to manage the value', () => {
    const { doc, notes } = run([
      ...orgObjects(),
      secret('frontend', 'NPM_TOKEN', { type: 'key-value', note: 'read-only npm token', sensitive: true, value: 'hmac:abcd1234:fp' }),
      secret('frontend', 'COOKIE', { type: 'cookie', note: '', sensitive: false, value: null }),
    ]);
    expect(doc.organizations!.frontend.secrets).toEqual({
      NPM_TOKEN: { type: 'key-value', note: 'read-only npm token', sensitive: true },
      COOKIE: { type: 'cookie', note: '', sensitive: false },
    });
    expect(JSON.stringify(doc)).not.toContain('hmac');
    expect(notes).toContainEqual({ path: ['organizations', 'frontend', 'secrets', 'NPM_TOKEN'], comment: ' value is not exported: add value: "${NPM_TOKEN}" to manage it', where: 'before' });
  });

  it('leaves a secret whose key or type a file cannot hold under settings.ignore, with a warning', () => {
    const { doc, warnings } = run([
      ...orgObjects(),
      secret('frontend', 'my-key', { type: 'key-value', note: '', sensitive: true, value: null }),
      secret('frontend', 'ODD', { type: 'binary', note: '', sensitive: true, value: null }),
    ]);
    expect(doc.organizations!.frontend.secrets).toEqual({});
    expect(doc.settings?.ignore?.secrets).toEqual(['frontend/ODD', 'frontend/my-key']);
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('not an environment variable name');
  });

  it('exports IdP groups with their enterprise role (null when none) and org roles as group -> role', () => {
    const { doc } = run([
      ...orgObjects(),
      { kind: 'idp-group', key: 'engineering', parent: '', spec: { role: 'Member' } },
      { kind: 'idp-group', key: 'contractors', parent: '', spec: { role: null } },
      { kind: 'idp-group-org-role', key: 'frontend/engineering', parent: 'frontend', spec: { role: 'Admin' } },
    ]);
    expect(doc.enterprise!.idp_groups).toEqual({ engineering: { role: 'Member' }, contractors: { role: null } });
    expect(doc.organizations!.frontend.idp_groups).toEqual({ engineering: 'Admin' });
    expect(doc.organizations!.backend.idp_groups).toEqual({});
  });

  it('warns when a group holds an org role but no enterprise role (the plan will say so)', () => {
    const { warnings } = run([
      ...orgObjects(),
      { kind: 'idp-group', key: 'contractors', parent: '', spec: { role: null } },
      { kind: 'idp-group-org-role', key: 'frontend/contractors', parent: 'frontend', spec: { role: 'Member' } },
    ]);
    expect(warnings).toEqual([expect.stringContaining("IdP group 'contractors' holds an org role in frontend but no enterprise role")]);
  });

  it('exports enterprise service users with their role, their org roles as names, and org-scoped ones as { role }', () => {
    const { doc, notes } = run([
      ...orgObjects(),
      su('ci-reporter', 'Member', '', 'su-ci', { expires_at: Date.UTC(2027, 0, 31) / 1000 }),
      su('deployer', 'Admin', 'frontend'),
      { kind: 'service-user-org-role', key: 'frontend/ci-reporter', parent: 'frontend', spec: { role: 'Member' }, meta: { id: 'su-ci' } },
      { kind: 'service-user-org-role', key: 'backend/ci-reporter', parent: 'backend', spec: { role: 'Admin' }, meta: { id: 'su-ci' } },
    ]);
    expect(doc.enterprise!.service_users).toEqual({ 'ci-reporter': { role: 'Member' } });
    expect(doc.organizations!.frontend.service_users).toEqual({ 'ci-reporter': 'Member', deployer: { role: 'Admin' } });
    expect(doc.organizations!.backend.service_users).toEqual({ 'ci-reporter': 'Admin' });
    expect(notes).toContainEqual({ path: ['enterprise', 'service_users', 'ci-reporter'], comment: ' expires 2027-01-31', where: 'after' });
  });

  it('puts the caller under settings.ignore.service_users instead of managing it (D5), keeping its org roles', () => {
    const { doc, notes } = run([
      ...orgObjects(),
      su('devinctl-admin', 'Admin', '', 'su-admin'),
      { kind: 'service-user-org-role', key: 'frontend/devinctl-admin', parent: 'frontend', spec: { role: 'Admin' }, meta: { id: 'su-admin' } },
    ]);
    expect(doc.enterprise!.service_users).toEqual({});
    expect(doc.settings).toEqual({ ignore: { service_users: ['devinctl-admin'] } });
    expect(doc.organizations!.frontend.service_users).toEqual({ 'devinctl-admin': 'Admin' });
    expect(notes).toContainEqual({ path: ['settings', 'ignore', 'service_users', 0], comment: ' the caller devinctl runs as: never deleted or re-roled (D5)', where: 'after' });
  });

  it('ignores a service user with no role, and warns about an expired one', () => {
    const { doc, warnings } = run([...orgObjects(), su('orphan', ''), su('old', 'Member', '', 'su-old', { expired: true, expires_at: 1 })]);
    expect(doc.settings?.ignore?.service_users).toEqual(['orphan']);
    expect(doc.enterprise!.service_users).toEqual({ old: { role: 'Member' } });
    expect(warnings.join('\n')).toMatch(/'old' has expired: a plan replaces it/);
    expect(warnings.join('\n')).toMatch(/'orphan' holds no role/);
  });

  it('refuses two live service users with one name, listing their ids', () => {
    expect(problems(() => run([...orgObjects(), su('bot', 'Member', '', 'su-a'), su('bot', 'Member', '', 'su-b')]))).toEqual([
      "service user 'bot' exists 2 times live (su-a, su-b): a file names service users by name, so it cannot be exported; remove the duplicates",
    ]);
  });

  it('refuses a role that is ambiguous or not in the role list', () => {
    const dupRoles = [...roles, { role_id: 'r-ea2', role_name: 'Admin', role_type: 'enterprise' as const }];
    const p = problems(() => run([...orgObjects(), su('a', 'Admin'), su('b', 'Ghost')], {}, lookups({ roles: dupRoles })));
    expect(p).toEqual([
      "service user 'a' holds enterprise role 'Admin', which is ambiguous (r-ea, r-ea2): rename one of the roles",
      "service user 'b' holds enterprise role 'Ghost', which is not in the role list",
    ]);
  });

  it('refuses two live organizations with one name, listing their ids', () => {
    const twins: LiveOrganization[] = [...organizations, { org_id: 'org-3', name: 'frontend', max_session_acu_limit: 1, max_cycle_acu_limit: 1 }];
    const l = lookups();
    const p = problems(() => run(orgObjects(twins), {}, l));
    expect(p).toEqual([expect.stringContaining("organization 'frontend' exists 2 times live (org-1, org-3)")]);
  });

  it('writes org-group limits naming organizations by name, and drops a member that is not a live organization', () => {
    const { doc, warnings } = run([
      ...orgObjects(),
      { kind: 'org-group-limit', key: 'product', parent: '', spec: { max_cycle_acus: 5000, organizations: ['frontend', 'backend'] } },
      { kind: 'org-group-limit', key: 'research', parent: '', spec: { max_cycle_acus: null, organizations: ['org-gone'] } },
    ]);
    expect(doc.enterprise!.org_group_limits).toEqual({
      product: { max_cycle_acus: 5000, organizations: ['backend', 'frontend'] },
      research: { max_cycle_acus: null, organizations: [] },
    });
    expect(warnings).toEqual([expect.stringContaining("org-group limit 'research' names organization org-gone")]);
  });

  it('with orgs, exports only those, lists the other live ones in settings.ignore and still exports the enterprise', () => {
    const { doc } = run(
      [
        ...orgObjects(),
        perm('backend', 'gc-1', 'github', 'repo_path', 'acme/api'),
        su('deployer', 'Admin', 'backend'),
        su('ci', 'Member'),
        { kind: 'org-group-limit', key: 'product', parent: '', spec: { max_cycle_acus: 1, organizations: ['backend', 'frontend'] } },
      ],
      { orgs: ['frontend'] },
    );
    expect(Object.keys(doc.organizations!)).toEqual(['frontend']);
    expect(doc.settings).toEqual({ ignore: { organizations: ['backend'] } });
    expect(doc.enterprise!.service_users).toEqual({ ci: { role: 'Member' } });
    expect(doc.enterprise!.org_group_limits!.product.organizations).toEqual(['backend', 'frontend']);
  });

  it('with orgs, refuses an organization that does not exist, suggesting close names', () => {
    expect(problems(() => run(orgObjects(), { orgs: ['frontnd'] }))).toEqual(["--orgs: no live organization 'frontnd' (did you mean 'frontend'?)"]);
  });

  it('with orgs, allows duplicates among the organizations it leaves out', () => {
    const twins: LiveOrganization[] = [...organizations, { org_id: 'org-3', name: 'backend', max_session_acu_limit: 1, max_cycle_acu_limit: 1 }];
    const { doc } = run(orgObjects(twins), { orgs: ['frontend'] });
    expect(doc.settings?.ignore?.organizations).toEqual(['backend']);
  });

  it('leaves out the collections that were not read, so they stay hands-off', () => {
    const { doc } = run(orgObjects(), { unread: ['tags', 'org-group-limit'] });
    expect(doc.organizations!.frontend).not.toHaveProperty('tags');
    expect(doc.enterprise).not.toHaveProperty('org_group_limits');
  });

  it('refuses an ignore entry that would also match an exported name', () => {
    expect(literalGlob('a*b?')).toBe('a?b?');
    const orgs: LiveOrganization[] = [
      { org_id: 'org-1', name: 'team*', max_session_acu_limit: null, max_cycle_acu_limit: null },
      { org_id: 'org-2', name: 'teamX', max_session_acu_limit: null, max_cycle_acu_limit: null },
    ];
    const p = problems(() => run(orgObjects(orgs), { orgs: ['teamX'] }, lookups({ organizations: orgs })));
    expect(p).toEqual([expect.stringContaining("settings.ignore.organizations entry 'team?' would also match 'teamX'")]);
  });
});
