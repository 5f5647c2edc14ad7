// The small enterprise the property tests start every case from: two managed organizations
// (alpha, beta) with something in every collection, an ignored sandbox organization with
// children, objects carved out by settings.ignore globs, and enough ignored organizations that
// the organization list takes two pages (so page-repeat-cursor has a second page to hit).
import type { SeedDoc } from '../../src/emulator/index.js';

export const ROLE = {
  entAdmin: 'role-p0000000000000000000000000000001',
  entMember: 'role-p0000000000000000000000000000002',
  orgAdmin: 'role-p0000000000000000000000000000003',
  orgMember: 'role-p0000000000000000000000000000004',
};
export const CONN = { github: 'git-connection-p000000000000000000000000001', gitlab: 'git-connection-p000000000000000000000000002' };
export const ORG = { alpha: 'org-p0000000000000000000000000000001', beta: 'org-p0000000000000000000000000000002', sandbox: 'org-p0000000000000000000000000000003' };
export const SU = {
  admin: 'service-user-p000000000000000000000000001',
  ciReporter: 'service-user-p000000000000000000000000002',
  oldBot: 'service-user-p000000000000000000000000003',
  alphaDeployer: 'service-user-p000000000000000000000000004',
  sandboxBot: 'service-user-p000000000000000000000000005',
  staleBot: 'service-user-p000000000000000000000000006',
};

/** Ignored organizations that only make the organization list longer than one page (200). */
export const BULK_ORGS = 205;

/** The globs every generated desired state carries (settings.ignore). */
export const IGNORE = {
  organizations: ['sandbox-*'],
  service_users: ['devinctl-*'],
  org_group_limits: ['sandbox-*'],
  secrets: ['*/KEEP_*'],
  git_permissions: ['*/*/*:keep/**'],
};

const DAY = 86_400;

export function propertySeed(): SeedDoc {
  const now = Math.floor(Date.now() / 1000);
  const bulk = Array.from({ length: BULK_ORGS }, (_, i) => ({
    org_id: `org-pbulk${String(i).padStart(27, '0')}`,
    name: `sandbox-bulk-${String(i).padStart(3, '0')}`,
    max_session_acu_limit: 5,
  }));
  return {
    version: 1,
    admin_token: 'cog_property_admin_token',
    features: { session_tags: true, org_group_limits: true },
    default_max_session_acu_limit: 1000,
    implied_org_permissions: {
      ManageAccountSessions: ['UseDevinSessions', 'ViewOrgSessions', 'ManageOrgSessions', 'ImpersonateOrgSessions'],
      ManageEnterpriseSettings: ['ManageOrgSecrets', 'ManageOrgSchedules'],
      ManageAccountServiceUsers: ['ManageOrgServiceUsers'],
    },
    roles: [
      {
        role_id: ROLE.entAdmin,
        role_name: 'Admin',
        role_type: 'enterprise',
        permissions: [
          'ReadAccountMeta', 'ManageEnterpriseSettings', 'ManageOrganizations', 'ManageAccountMembership', 'ViewAccountMembership',
          'ManageAccountServiceUsers', 'ManageGitIntegrations', 'ViewAccountSessions', 'ManageAccountSessions',
        ],
      },
      { role_id: ROLE.entMember, role_name: 'Member', role_type: 'enterprise', permissions: ['ReadAccountMeta', 'ViewAccountSessions'] },
      { role_id: ROLE.orgAdmin, role_name: 'Admin', role_type: 'org', permissions: ['UseDevinSessions', 'ViewOrgSessions', 'ManageOrgSessions', 'ManageOrgSecrets'] },
      { role_id: ROLE.orgMember, role_name: 'Member', role_type: 'org', permissions: ['UseDevinSessions', 'ViewOrgSessions'] },
    ],
    git_connections: [
      { git_connection_id: CONN.github, git_provider_type: 'github_app', name: 'github', host: 'github.com' },
      { git_connection_id: CONN.gitlab, git_provider_type: 'gitlab_token', name: 'gitlab', host: 'gitlab.com' },
    ],
    organizations: [
      { org_id: ORG.alpha, name: 'alpha', max_session_acu_limit: 100, max_cycle_acu_limit: 1000 },
      { org_id: ORG.beta, name: 'beta', max_session_acu_limit: 300, max_cycle_acu_limit: null },
      { org_id: ORG.sandbox, name: 'sandbox-1', max_session_acu_limit: 10, max_cycle_acu_limit: 10 },
      ...bulk,
    ],
    git_permissions: [
      { git_permission_id: 'git-permission-p01', org_id: ORG.alpha, git_connection_id: CONN.github, group_prefix: 'acme/a/' },
      { git_permission_id: 'git-permission-p02', org_id: ORG.alpha, git_connection_id: CONN.github, repo_path: 'acme/shared' },
      { git_permission_id: 'git-permission-p03', org_id: ORG.alpha, git_connection_id: CONN.gitlab, repo_path: 'keep/this' },
      { git_permission_id: 'git-permission-p04', org_id: ORG.beta, git_connection_id: CONN.gitlab, prefix_path: 'acme/b/', read_only: true },
      { git_permission_id: 'git-permission-p05', org_id: ORG.sandbox, git_connection_id: CONN.github, repo_path: 'acme/sandbox' },
    ],
    tags: {
      [ORG.alpha]: { tags: ['legacy', 'web'], default_tag: 'legacy' },
      [ORG.beta]: { tags: ['api'], default_tag: null },
      [ORG.sandbox]: { tags: ['sb'], default_tag: 'sb' },
    },
    secrets: [
      { secret_id: 'secret-p01', org_id: ORG.alpha, key: 'NPM_TOKEN', value: 'seed-npm', type: 'key-value', note: 'npm' },
      { secret_id: 'secret-p02', org_id: ORG.alpha, key: 'KEEP_LEGACY', value: 'seed-keep', type: 'key-value' },
      { secret_id: 'secret-p03', org_id: ORG.beta, key: 'OLD_KEY', value: 'seed-old', type: 'cookie', is_sensitive: false },
      { secret_id: 'secret-p04', org_id: ORG.sandbox, key: 'SB_SECRET', value: 'seed-sb', type: 'key-value' },
    ],
    idp_groups: [
      { idp_group_name: 'platform-admins', role_assignments: [{ role_id: ROLE.entAdmin, org_id: null }] },
      { idp_group_name: 'engineering', role_assignments: [{ role_id: ROLE.entMember, org_id: null }, { role_id: ROLE.orgAdmin, org_id: ORG.alpha }] },
      { idp_group_name: 'old-contractors', role_assignments: [{ role_id: ROLE.entMember, org_id: null }, { role_id: ROLE.orgMember, org_id: ORG.beta }] },
      { idp_group_name: 'unassigned' },
    ],
    service_users: [
      { service_user_id: SU.admin, name: 'devinctl-admin', org_id: null, expires_at: null, role_assignments: [{ role_id: ROLE.entAdmin, org_id: null }] },
      { service_user_id: SU.ciReporter, name: 'ci-reporter', org_id: null, expires_in_days: 200, role_assignments: [{ role_id: ROLE.entMember, org_id: null }, { role_id: ROLE.orgMember, org_id: ORG.alpha }] },
      { service_user_id: SU.oldBot, name: 'old-bot', org_id: null, expires_at: null, role_assignments: [{ role_id: ROLE.entMember, org_id: null }] },
      { service_user_id: SU.staleBot, name: 'stale-bot', org_id: null, expires_at: now - DAY, role_assignments: [{ role_id: ROLE.entMember, org_id: null }, { role_id: ROLE.orgMember, org_id: ORG.beta }] },
      { service_user_id: SU.alphaDeployer, name: 'alpha-deployer', org_id: ORG.alpha, expires_at: null, role_assignments: [{ role_id: ROLE.orgAdmin, org_id: ORG.alpha }] },
      { service_user_id: SU.sandboxBot, name: 'sandbox-bot', org_id: ORG.sandbox, expires_at: null, role_assignments: [{ role_id: ROLE.orgMember, org_id: ORG.sandbox }] },
    ],
    tokens: [{ token: 'cog_property_admin_token', service_user_id: SU.admin }],
    api_keys: [],
    org_group_limits: {
      groups: {
        'product-teams': { org_ids: [ORG.alpha], max_cycle_acus: 3000 },
        'sandbox-group': { org_ids: [ORG.sandbox], max_cycle_acus: 10 },
      },
    },
  };
}
