// export -> plan against the emulator over real HTTP: the plan right after an export is empty.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { sandbox, type Sandbox } from '../helpers/emulator.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/devin.yaml');
const SECRETS = { NPM_TOKEN: 'demo-npm-token', STAGING_COOKIE: 'demo-cookie' };

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function exportThenPlan(s: Sandbox, extra: string[] = []) {
  const exp = await s.cli(['export', '-o', 'exported.yaml', ...extra]);
  expect(exp.stderr).not.toMatch(/^Error/m);
  expect(exp.code).toBe(0);
  const plan = await s.cli(['plan', '-f', 'exported.yaml', '--detailed-exitcode'], { env: SECRETS });
  return { exp, plan, text: await readFile(join(s.dir, 'exported.yaml'), 'utf8') };
}

describe('export round trip', () => {
  it('exports the demo enterprise so that plan right after shows no changes', async () => {
    sb = await sandbox();
    const { exp, plan, text } = await exportThenPlan(sb);
    expect(exp.stderr).toContain('Exported 4 organizations to exported.yaml (2 secrets, values not exported).');
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    expect(text).toMatch(/^# Exported by devinctl \S+ from http:\/\/127\.0\.0\.1:\d+ on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n# yaml-language-server: \$schema=/);
    expect(text).toContain('# value is not exported: add value: "${OLD_API_KEY}" to manage it');
    expect(text).not.toMatch(/emulator-demo-|cog_emulator|org-de0|git-connection-de0|service-user-de0/); // no values, tokens or ids
    expect((await stat(join(sb.dir, 'exported.yaml'))).mode & 0o777).toBe(0o644);
  });

  it('writes a file that loads with zero diagnostics and names the caller in settings.ignore', async () => {
    sb = await sandbox();
    await exportThenPlan(sb);
    const res = await loadConfig([join(sb.dir, 'exported.yaml')]);
    expect(res.diagnostics).toEqual([]);
    const doc = res.config!.doc;
    expect(doc.settings?.ignore?.service_users).toEqual(['devinctl-admin']);
    expect(Object.keys(doc.organizations!)).toEqual(['backend', 'frontend', 'legacy', 'sandbox-1']);
    expect(doc.organizations!.frontend.git_permissions).toContainEqual({ connection: 'github', group_prefix: 'acme/frontend', read_only: false });
    expect(doc.organizations!.frontend.secrets!.NPM_TOKEN).toEqual({ type: 'key-value', note: 'read-only npm token', sensitive: true });
    expect(doc.organizations!.backend.service_users).toEqual({ 'old-bot': 'Member' });
    expect(doc.enterprise!.org_group_limits).toEqual({
      'legacy-teams': { max_cycle_acus: 100, organizations: ['legacy'] },
      'product-teams': { max_cycle_acus: 3000, organizations: ['frontend'] },
    });
  });

  it('round-trips after applying examples/devin.yaml (markers stripped, org-scoped service users, new orgs)', async () => {
    sb = await sandbox();
    const apply = await sb.cli(
      ['apply', '-f', EXAMPLE, '--auto-approve', '--allow-delete', 'organization', '--allow-delete', 'service-user', '--token-file', join(sb.dir, 't.jsonl')],
      { env: SECRETS },
    );
    expect(apply.stderr).not.toMatch(/^Error/m);
    expect(apply.code).toBe(0);
    const { plan, text } = await exportThenPlan(sb);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    expect(text).not.toContain('[devinctl:v1');
    const doc = parse(text);
    expect(doc.organizations.frontend.service_users).toEqual({ 'ci-reporter': 'Member', 'frontend-deployer': { role: 'Admin' } });
    expect(doc.organizations.frontend.secrets.STAGING_COOKIE).toEqual({ type: 'cookie', note: 'staging login', sensitive: true });
    expect(doc.enterprise.idp_groups.contractors).toEqual({ role: null });
    expect(Object.keys(doc.organizations)).toEqual(['backend', 'data', 'frontend', 'sandbox-1']);
  });

  it('exports only frontend with --orgs frontend, leaving the others to settings.ignore, and plans empty', async () => {
    sb = await sandbox();
    const { plan, text } = await exportThenPlan(sb, ['--orgs', 'frontend']);
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
    const doc = parse(text);
    expect(Object.keys(doc.organizations)).toEqual(['frontend']);
    expect(doc.settings.ignore.organizations).toEqual(['backend', 'legacy', 'sandbox-1']);
    expect(Object.keys(doc.enterprise)).toEqual(['idp_groups', 'service_users', 'org_group_limits']);
    expect(text).toContain('# Organizations: frontend (--orgs)');
  });

  it('reads no collection of an organization that --orgs leaves out', async () => {
    sb = await sandbox();
    const perOrg = ['GET /v3/enterprise/organizations/{org_id}/git-providers/permissions', 'GET /v3/organizations/{org_id}/secrets', 'GET /v3/enterprise/organizations/{org_id}/tags'];
    sb.emu.resetStats();
    await sb.cli(['export']);
    for (const r of perOrg) expect(sb.emu.stats().byRoute[r], r).toBe(4);
    sb.emu.resetStats();
    await sb.cli(['export', '--orgs', 'frontend']);
    for (const r of perOrg) expect(sb.emu.stats().byRoute[r], r).toBe(1);
    expect(sb.emu.stats().writes).toBe(0);
  });

  it('writes the same document to stdout without -o', async () => {
    sb = await sandbox();
    const out = await sb.cli(['export']);
    expect(out.code).toBe(0);
    const { text } = await exportThenPlan(sb);
    expect(parse(out.stdout)).toEqual(parse(text));
  });

  it('shows a change made after the export in the next plan, because every field is written', async () => {
    sb = await sandbox();
    await exportThenPlan(sb);
    const perm = sb.emu.state.git_permissions.find((p) => p.repo_path === 'acme/shared')!;
    perm.read_only = true;
    sb.emu.state.tags['org-de000000000000000000000000000002'].default_tag = 'api';
    const plan = await sb.cli(['plan', '-f', 'exported.yaml', '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('~ read_only = true -> false');
    expect(plan.stdout).toContain('~ default = "api" -> null');
  });

  it('refuses an --orgs name that is not a live organization, suggesting a close one', async () => {
    sb = await sandbox();
    const r = await sb.cli(['export', '--orgs', 'frontnd', '-o', 'x.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error: --orgs: no live organization 'frontnd' (did you mean 'frontend'?)");
    await expect(stat(join(sb.dir, 'x.yaml'))).rejects.toThrow();
  });

  it('exports an expired service user with a warning: the plan replaces it, as it would for any file (D4)', async () => {
    sb = await sandbox();
    sb.emu.state.service_users.find((u) => u.name === 'ci-reporter')!.expires_at = Math.floor(Date.now() / 1000) - 60;
    const { exp, plan } = await exportThenPlan(sb);
    expect(exp.stderr).toContain("Warning: service user 'ci-reporter' has expired: a plan replaces it");
    expect(plan.stdout).toContain('-/+ service-user:ci-reporter');
  });

  it('reports a file it cannot write as an error, not a crash', async () => {
    sb = await sandbox();
    const r = await sb.cli(['export', '-o', 'no/such/folder/x.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: cannot write no/such/folder/x.yaml: no such folder');
    expect(r.stderr).not.toContain('Internal error');
  });

  it('refuses to export two live organizations with one name, naming both ids', async () => {
    sb = await sandbox();
    sb.emu.state.organizations.push({ ...sb.emu.state.organizations[1], org_id: 'org-de0000000000000000000000000000ff' });
    const r = await sb.cli(['export']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('organization:backend exists 2 times live (org-de000000000000000000000000000002, org-de0000000000000000000000000000ff)');
    expect(r.stdout).toBe('');
  });

  it('leaves tags and org-group limits out when the enterprise has them disabled, and still plans empty', async () => {
    sb = await sandbox();
    sb.emu.state.features.session_tags = false;
    sb.emu.state.features.org_group_limits = false;
    const { exp, plan, text } = await exportThenPlan(sb);
    expect(exp.stderr).toContain('Warning: tags are not exported');
    expect(exp.stderr).toContain('Warning: org-group limits are not exported');
    const doc = parse(text);
    expect(doc.organizations.frontend).not.toHaveProperty('tags');
    expect(doc.enterprise).not.toHaveProperty('org_group_limits');
    expect(plan.stdout).toContain('No changes.');
    expect(plan.code).toBe(0);
  });
});
