import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultSeedPath, seedToState, type SeedDoc } from '../../src/emulator/index.js';
import { IDS, call, emulator, listAll } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const seed = JSON.parse(readFileSync(join(ROOT, 'examples/emulator-seed.json'), 'utf8')) as SeedDoc;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('the demo seed', () => {
  it('is found from the package root and loads into the demo enterprise', async () => {
    expect(defaultSeedPath()).toBe(join(ROOT, 'examples/emulator-seed.json'));
    const emu = await emulator();
    expect(emu.adminToken).toBe('cog_emulator_admin_token');
    const orgs = await listAll(emu, '/v3/enterprise/organizations');
    expect(orgs.map((o) => [o.name, o.max_session_acu_limit, o.max_cycle_acu_limit])).toEqual([
      ['frontend', 100, 10000], ['backend', 300, null], ['legacy', 50, 500], ['sandbox-1', 10, 10],
    ]);
    const fe = await listAll(emu, `/v3/enterprise/organizations/${IDS.orgs.frontend}/git-providers/permissions`);
    expect(fe.map((p) => [p.group_prefix ?? p.repo_path, p.read_only])).toEqual([['acme/frontend', false], ['acme/shared', false], ['acme/old', false]]);
    expect((await call(emu, 'GET', `/v3/enterprise/organizations/${IDS.orgs.frontend}/tags/default`)).body.default_tag).toBe('legacy');
    const sus = (await call(emu, 'GET', '/v3/enterprise/members/service-users')).body.items;
    const ci = sus.find((s: any) => s.name === 'ci-reporter');
    const days = (ci.expires_at - Date.now() / 1000) / 86400;
    expect(days).toBeGreaterThan(19.9);
    expect(days).toBeLessThanOrEqual(20);
    expect((await listAll(emu, '/v3/enterprise/members/idp-groups')).map((g) => g.idp_group_name)).toEqual(['platform-admins', 'engineering', 'old-contractors']);
  });

  it('makes the org Admin role grantable and gives the enterprise Admin every org permission', () => {
    const state = seedToState(seed);
    const orgAdmin = state.roles.find((r) => r.role_type === 'org' && r.role_name === 'Admin')!;
    expect(orgAdmin.permissions).not.toContain('ManageOrgServiceUsers');
    const entAdmin = state.roles.find((r) => r.role_type === 'enterprise' && r.role_name === 'Admin')!;
    const implied = new Set(entAdmin.permissions.flatMap((p) => state.implied_org_permissions[p] ?? []));
    const orgPerms = new Set(state.roles.filter((r) => r.role_type === 'org').flatMap((r) => r.permissions));
    for (const p of [...orgPerms, 'ManageOrgServiceUsers']) expect(implied.has(p), p).toBe(true);
  });

  it('contains nothing in the emulator files that looks like a real API token', () => {
    const tokenLike = /cog_[A-Za-z0-9]{24,}/;
    const paths = [join(ROOT, 'examples/emulator-seed.json'), ...files(join(ROOT, 'src/emulator')), ...files(join(ROOT, 'test/emulator')), ...files(join(ROOT, 'contract'))];
    for (const p of paths) expect(tokenLike.test(readFileSync(p, 'utf8')), p).toBe(false);
  });

  it('refuses a seed with broken references, listing every problem', () => {
    const bad: SeedDoc = {
      version: 1,
      roles: [{ role_id: 'r1', role_name: 'Admin', role_type: 'org', permissions: [] }],
      organizations: [{ org_id: 'org-1', name: 'a' }],
      service_users: [{ service_user_id: 'su-1', name: 'x', role_assignments: [{ role_id: 'r2', org_id: null }, { role_id: 'r1', org_id: null }] }],
      tokens: [{ token: 't', service_user_id: 'su-9' }],
      tags: { 'org-1': { tags: ['a'], default_tag: 'b' } },
    };
    let message = '';
    try {
      seedToState(bad);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const problem of ['unknown role_id r2', 'org_id must be set', 'default_tag b is not in the allowed tags', 'token for su-9: unknown service_user_id']) {
      expect(message).toContain(problem);
    }
  });

  it.runIf(existsSync(join(ROOT, 'examples/devin.yaml')))('differs from examples/devin.yaml in every kind, so the demo plan has work to do', () => {
    const desired = parse(readFileSync(join(ROOT, 'examples/devin.yaml'), 'utf8'));
    const state = seedToState(seed);
    const orgName = (id: string) => state.organizations.find((o) => o.org_id === id)?.name;
    const sorted = (xs: Iterable<string>) => [...xs].sort();
    expect(sorted(Object.keys(desired.organizations))).not.toEqual(sorted(state.organizations.map((o) => o.name)));
    const seededFrontendGit = state.git_permissions.filter((p) => orgName(p.org_id) === 'frontend').length;
    expect(desired.organizations.frontend.git_permissions.length).not.toBe(seededFrontendGit);
    expect(desired.organizations.frontend.tags.allowed).not.toEqual(state.tags[IDS.orgs.frontend].tags);
    expect(sorted(Object.keys(desired.organizations.frontend.secrets))).not.toEqual(sorted(state.secrets.filter((s) => orgName(s.org_id) === 'frontend').map((s) => s.key!)));
    expect(sorted(Object.keys(desired.enterprise.idp_groups))).not.toEqual(sorted(state.idp_groups.map((g) => g.idp_group_name)));
    expect(sorted(Object.keys(desired.enterprise.service_users))).not.toEqual(sorted(state.service_users.map((s) => s.name)));
    expect(sorted(Object.keys(desired.enterprise.org_group_limits))).not.toEqual(sorted(Object.keys(state.org_group_limits.groups)));
  });
});
