import { describe, expect, it } from 'vitest';
import { IDS, call, emulator, tokenFor } from './helpers.js';

describe('authentication and permissions', () => {
  it('rejects a request without a bearer token with 401 and a detail', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v3/enterprise/organizations', { token: null });
    expect(res.status).toBe(401);
    expect(typeof res.body.detail).toBe('string');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('rejects an unknown token with 401', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v3/enterprise/self', { token: 'cog_unknown' });
    expect(res.status).toBe(401);
  });

  it('rejects the token of a deleted or expired service user with 401', async () => {
    const emu = await emulator();
    const token = tokenFor(emu, IDS.serviceUsers.ciReporter);
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token })).status).toBe(200);
    const su = emu.state.service_users.find((s) => s.service_user_id === IDS.serviceUsers.ciReporter)!;
    su.expires_at = Math.floor(Date.now() / 1000) - 1;
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token })).status).toBe(401);
    su.expires_at = null;
    await call(emu, 'DELETE', `/v3/enterprise/members/service-users/${su.service_user_id}`);
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token })).status).toBe(401);
  });

  it('refuses a caller without the route permission with 403 naming the permission', async () => {
    const emu = await emulator();
    const token = tokenFor(emu, IDS.serviceUsers.ciReporter); // enterprise Member
    const res = await call(emu, 'GET', '/v3/enterprise/git-providers/connections', { token });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: 'Missing permission: ManageGitIntegrations' });
    for (const [method, path, perm] of [
      ['GET', '/v3/enterprise/organizations', 'ManageOrganizations'],
      ['GET', `/v3/enterprise/organizations/${IDS.orgs.frontend}/tags`, 'ManageEnterpriseSettings'],
      ['GET', '/v3/enterprise/roles', 'ManageAccountMembership'],
      ['POST', '/v3beta1/enterprise/service-users', 'ManageAccountServiceUsers'],
      ['GET', '/v3/enterprise/org-group-limits', 'ManageOrganizations'],
      ['GET', `/v3/organizations/${IDS.orgs.frontend}/secrets`, 'ManageOrgSecrets'],
      ['POST', `/v3beta1/organizations/${IDS.orgs.frontend}/service-users`, 'ManageOrgServiceUsers'],
    ] as const) {
      const r = await call(emu, method, path, { token, body: method === 'POST' ? {} : undefined });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.detail).toContain(`Missing permission: ${perm}`);
    }
  });

  it('accepts ViewAccountMembership for membership reads but not for writes', async () => {
    const emu = await emulator();
    emu.state.roles.push({ role_id: 'role-viewer', role_name: 'Viewer', role_type: 'enterprise', permissions: ['ViewAccountMembership'] });
    emu.state.service_users.push({ service_user_id: 'service-user-viewer', name: 'viewer', org_id: null, created_at: 0, expires_at: null, deleted_at: null, role_assignments: [{ role_id: 'role-viewer', org_id: null }] });
    const token = tokenFor(emu, 'service-user-viewer');
    expect((await call(emu, 'GET', '/v3/enterprise/roles', { token })).status).toBe(200);
    expect((await call(emu, 'GET', '/v3/enterprise/members/idp-groups', { token })).status).toBe(200);
    const write = await call(emu, 'POST', '/v3/enterprise/idp-groups', { token, body: { idp_group_names: ['x'] } });
    expect(write.status).toBe(403);
    expect(write.body.detail).toBe('Missing permission: ManageAccountMembership');
  });

  it('derives org permissions from enterprise permissions through implied_org_permissions', async () => {
    const emu = await emulator();
    emu.state.roles.push({ role_id: 'role-settings', role_name: 'Settings', role_type: 'enterprise', permissions: ['ManageEnterpriseSettings'] });
    emu.state.service_users.push({ service_user_id: 'service-user-settings', name: 'settings', org_id: null, created_at: 0, expires_at: null, deleted_at: null, role_assignments: [{ role_id: 'role-settings', org_id: null }] });
    const token = tokenFor(emu, 'service-user-settings');
    expect((await call(emu, 'GET', `/v3/organizations/${IDS.orgs.legacy}/secrets`, { token })).status).toBe(200);
    delete emu.state.implied_org_permissions.ManageEnterpriseSettings;
    const res = await call(emu, 'GET', `/v3/organizations/${IDS.orgs.legacy}/secrets`, { token });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('Missing permission: ManageOrgSecrets');
  });

  it('applies an org role only in its own organization', async () => {
    const emu = await emulator();
    emu.state.roles.push({ role_id: 'role-secrets', role_name: 'Secrets', role_type: 'org', permissions: ['ManageOrgSecrets'] });
    const bot = emu.state.service_users.find((s) => s.service_user_id === IDS.serviceUsers.oldBot)!;
    bot.role_assignments.push({ role_id: 'role-secrets', org_id: IDS.orgs.backend });
    const token = tokenFor(emu, bot.service_user_id);
    expect((await call(emu, 'GET', `/v3/organizations/${IDS.orgs.backend}/secrets`, { token })).status).toBe(200);
    expect((await call(emu, 'GET', `/v3/organizations/${IDS.orgs.frontend}/secrets`, { token })).status).toBe(403);
  });

  it('never lets org permissions open an enterprise route', async () => {
    const emu = await emulator();
    const created = await call(emu, 'POST', `/v3beta1/organizations/${IDS.orgs.frontend}/service-users`, {
      body: { name: 'scoped', role_id: IDS.roles.orgAdmin, ttl_seconds: 600 },
    });
    expect(created.status).toBe(200);
    const res = await call(emu, 'GET', `/v3/enterprise/organizations/${IDS.orgs.frontend}`, { token: created.body.token });
    expect(res.status).toBe(403);
    expect((await call(emu, 'GET', `/v3/organizations/${IDS.orgs.frontend}/secrets`, { token: created.body.token })).status).toBe(200);
  });

  it('answers self for any valid token, naming the caller and its org scope', async () => {
    const emu = await emulator();
    const admin = await call(emu, 'GET', '/v3beta1/enterprise/self');
    expect(admin.body).toEqual({ service_user_id: IDS.serviceUsers.admin, service_user_name: 'devinctl-admin', org_id: null });
    const token = tokenFor(emu, IDS.serviceUsers.ciReporter);
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token })).body.service_user_name).toBe('ci-reporter');
  });
});
