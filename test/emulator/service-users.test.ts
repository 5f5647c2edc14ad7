import { describe, expect, it } from 'vitest';
import { IDS, call, emulator, listAll, tokenFor } from './helpers.js';

const SUS = '/v3/enterprise/members/service-users';
const orgSus = (org: string) => `/v3/enterprise/organizations/${org}/members/service-users`;
const PROVISION = '/v3beta1/enterprise/service-users';
const provisionIn = (org: string) => `/v3beta1/organizations/${org}/service-users`;
const TOKEN = /^cog_[A-Za-z0-9]{40}$/;

describe('service users', () => {
  it('hides expired and deleted service users unless include_inactive=true', async () => {
    const emu = await emulator();
    emu.state.service_users.find((s) => s.service_user_id === IDS.serviceUsers.ciReporter)!.expires_at = 1;
    await call(emu, 'DELETE', `${SUS}/${IDS.serviceUsers.oldBot}`);
    expect((await listAll(emu, SUS)).map((s) => s.name)).toEqual(['devinctl-admin']);
    const all = await call(emu, 'GET', SUS, { query: { include_inactive: true } });
    expect(all.body.items.map((s: any) => [s.name, s.expires_at === 1, s.deleted_at !== null])).toEqual([
      ['devinctl-admin', false, false],
      ['ci-reporter', true, false],
      ['old-bot', false, true],
    ]);
    const bad = await call(emu, 'GET', SUS, { query: { include_inactive: 'maybe' } });
    expect(bad.status).toBe(422);
    expect(bad.body.detail[0]).toMatchObject({ type: 'bool_parsing', input: 'maybe' });
  });

  it('deletes the service user itself: deleted_at is set, it stays readable by id, and a second delete is 404', async () => {
    const emu = await emulator();
    const del = await call(emu, 'DELETE', `${SUS}/${IDS.serviceUsers.oldBot}`);
    expect(del.body.deleted_at).toBeTypeOf('number');
    expect((await call(emu, 'GET', `${SUS}/${IDS.serviceUsers.oldBot}`)).body.deleted_at).toBe(del.body.deleted_at);
    expect((await call(emu, 'DELETE', `${SUS}/${IDS.serviceUsers.oldBot}`)).status).toBe(404);
    expect((await listAll(emu, orgSus(IDS.orgs.backend))).map((s) => s.name)).toEqual([]);
  });

  it('assigns an enterprise role with POST only to a service user that has none', async () => {
    const emu = await emulator();
    const refused = await call(emu, 'POST', `${SUS}/${IDS.serviceUsers.ciReporter}`, { body: { role_id: IDS.roles.enterpriseAdmin } });
    expect(refused.status).toBe(409);
    const scoped = await call(emu, 'POST', provisionIn(IDS.orgs.backend), { body: { name: 'be', role_id: IDS.roles.orgMember, ttl_seconds: 60 } });
    const id = scoped.body.service_user.service_user_id;
    expect((await call(emu, 'PATCH', `${SUS}/${id}`, { body: { role_id: IDS.roles.enterpriseMember } })).status).toBe(404);
    const ok = await call(emu, 'POST', `${SUS}/${id}`, { body: { role_id: IDS.roles.enterpriseMember } });
    expect(ok.body.role_assignments.map((a: any) => a.org_id)).toEqual([IDS.orgs.backend, null]);
    const wrong = await call(emu, 'PATCH', `${SUS}/${id}`, { body: { role_id: IDS.roles.orgAdmin } });
    expect(wrong.status).toBe(400);
  });

  it('gives an org role only to a service user without one in that org, and only an org-level role', async () => {
    const emu = await emulator();
    const path = `${orgSus(IDS.orgs.backend)}/${IDS.serviceUsers.oldBot}`;
    expect((await call(emu, 'POST', path, { body: { role_id: IDS.roles.orgAdmin } })).status).toBe(409);
    const fe = `${orgSus(IDS.orgs.frontend)}/${IDS.serviceUsers.ciReporter}`;
    expect((await call(emu, 'POST', fe, { body: { role_id: IDS.roles.enterpriseMember } })).status).toBe(400);
    expect((await call(emu, 'POST', fe, { body: { role_id: IDS.roles.orgMember } })).status).toBe(200);
    expect((await call(emu, 'PATCH', fe, { body: { role_id: IDS.roles.orgAdmin } })).body.role_assignments[1].role.role_id).toBe(IDS.roles.orgAdmin);
    expect((await listAll(emu, orgSus(IDS.orgs.frontend))).map((s) => s.name)).toEqual(['ci-reporter']);
    expect((await call(emu, 'DELETE', fe)).body.role_assignments).toHaveLength(1);
    expect((await call(emu, 'DELETE', fe)).status).toBe(404);
  });

  it('provisions an enterprise service user with a fresh token bound to it and an expiry of now + ttl', async () => {
    const emu = await emulator();
    const before = Math.floor(Date.now() / 1000);
    const res = await call(emu, 'POST', PROVISION, { body: { name: 'release-bot', role_id: IDS.roles.enterpriseMember, ttl_seconds: 3600 } });
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(TOKEN);
    const su = res.body.service_user;
    expect(su.service_user_id).toMatch(/^service-user-[0-9a-f]{32}$/);
    expect(su.expires_at - before).toBeGreaterThanOrEqual(3600);
    expect(su.expires_at - before).toBeLessThanOrEqual(3602);
    expect(su.role_assignments).toEqual([{ role: { role_id: IDS.roles.enterpriseMember, role_name: 'Member', role_type: 'enterprise' }, org_id: null }]);
    const self = await call(emu, 'GET', '/v3beta1/enterprise/self', { token: res.body.token });
    expect(self.body).toEqual({ service_user_id: su.service_user_id, service_user_name: 'release-bot', org_id: null });
  });

  it('validates provisioning bodies: name length, ttl range and the role level', async () => {
    const emu = await emulator();
    const ttl = await call(emu, 'POST', PROVISION, { body: { name: 'x', role_id: IDS.roles.enterpriseMember, ttl_seconds: 31_536_001 } });
    expect(ttl.status).toBe(422);
    expect(ttl.body.detail[0]).toMatchObject({ loc: ['body', 'ttl_seconds'], input: 31_536_001 });
    const name = await call(emu, 'POST', PROVISION, { body: { name: 'n'.repeat(257), role_id: IDS.roles.enterpriseMember, ttl_seconds: 1 } });
    expect(name.body.detail[0]).toMatchObject({ type: 'string_too_long', loc: ['body', 'name'] });
    expect((await call(emu, 'POST', PROVISION, { body: { name: 'x', role_id: IDS.roles.orgMember, ttl_seconds: 1 } })).status).toBe(400);
    expect((await call(emu, 'POST', provisionIn(IDS.orgs.frontend), { body: { name: 'x', role_id: IDS.roles.enterpriseMember, ttl_seconds: 1 } })).status).toBe(400);
    expect((await call(emu, 'POST', provisionIn('org-nope'), { body: { name: 'x', role_id: IDS.roles.orgMember, ttl_seconds: 1 } })).status).toBe(404);
  });

  it('never grants a role that holds a service-user management permission', async () => {
    const emu = await emulator();
    const admin = await call(emu, 'POST', PROVISION, { body: { name: 'x', role_id: IDS.roles.enterpriseAdmin, ttl_seconds: 60 } });
    expect(admin.status).toBe(403);
    expect(admin.body.detail).toContain('ManageAccountServiceUsers');
    emu.state.roles.push({ role_id: 'role-org-su-admin', role_name: 'SU admin', role_type: 'org', permissions: ['ManageOrgServiceUsers'] });
    const org = await call(emu, 'POST', provisionIn(IDS.orgs.frontend), { body: { name: 'x', role_id: 'role-org-su-admin', ttl_seconds: 60 } });
    expect(org.status).toBe(403);
    expect(org.body.detail).toContain('can never be granted');
    expect(emu.state.service_users.filter((s) => s.name === 'x')).toEqual([]);
  });

  it('refuses to provision a role whose permissions exceed the caller’s (anti-escalation)', async () => {
    const emu = await emulator();
    emu.state.roles.push({ role_id: 'role-provisioner', role_name: 'Provisioner', role_type: 'enterprise', permissions: ['ManageAccountServiceUsers', 'ReadAccountMeta'] });
    emu.state.service_users.push({ service_user_id: 'service-user-prov', name: 'prov', org_id: null, created_at: 0, expires_at: null, deleted_at: null, role_assignments: [{ role_id: 'role-provisioner', org_id: null }] });
    const token = tokenFor(emu, 'service-user-prov');
    const res = await call(emu, 'POST', PROVISION, { token, body: { name: 'x', role_id: IDS.roles.enterpriseMember, ttl_seconds: 60 } });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('ViewAccountSessions');
  });

  it('checks org provisioning against the caller’s effective org permissions (org role ∪ implied)', async () => {
    const emu = await emulator();
    emu.state.roles.push({ role_id: 'role-org-prov', role_name: 'Org provisioner', role_type: 'org', permissions: ['ManageOrgServiceUsers', 'UseDevinSessions'] });
    const bot = emu.state.service_users.find((s) => s.service_user_id === IDS.serviceUsers.oldBot)!;
    bot.role_assignments = bot.role_assignments.map((a) => (a.org_id === IDS.orgs.backend ? { ...a, role_id: 'role-org-prov' } : a));
    const token = tokenFor(emu, bot.service_user_id);
    // org Member = UseDevinSessions (org role) + ViewOrgSessions (implied by the enterprise Member's ViewAccountSessions)
    const ok = await call(emu, 'POST', provisionIn(IDS.orgs.backend), { token, body: { name: 'be-member', role_id: IDS.roles.orgMember, ttl_seconds: 60 } });
    expect(ok.status).toBe(200);
    expect(ok.body.service_user.role_assignments[0].org_id).toBe(IDS.orgs.backend);
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token: ok.body.token })).body.org_id).toBe(IDS.orgs.backend);
    const escalate = await call(emu, 'POST', provisionIn(IDS.orgs.backend), { token, body: { name: 'be-admin', role_id: IDS.roles.orgAdmin, ttl_seconds: 60 } });
    expect(escalate.status).toBe(403);
    expect(escalate.body.detail).toContain('Privilege escalation refused');
    const elsewhere = await call(emu, 'POST', provisionIn(IDS.orgs.frontend), { token, body: { name: 'fe', role_id: IDS.roles.orgMember, ttl_seconds: 60 } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.detail).toContain('Missing permission: ManageOrgServiceUsers');
  });

  it('mints, lists and revokes API keys; a revoked key stops working and cannot be revoked twice', async () => {
    const emu = await emulator();
    const keys = `/v3beta1/enterprise/service-users/${IDS.serviceUsers.ciReporter}/api-keys`;
    const key = await call(emu, 'POST', keys, { body: { name: 'ci' } });
    expect(key.body).toMatchObject({ api_key_name: 'ci' });
    expect(key.body.token).toMatch(TOKEN);
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token: key.body.token })).body.service_user_name).toBe('ci-reporter');
    const listed = await call(emu, 'GET', keys);
    expect(listed.body.items).toEqual([expect.objectContaining({ api_key_id: key.body.api_key_id, is_active: true, revoked_at: null })]);
    expect(listed.body.items[0].last_used_at).toBeTypeOf('number');
    const revoked = await call(emu, 'DELETE', `${keys}/${key.body.api_key_id}`);
    expect(revoked.body).toMatchObject({ is_active: false });
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token: key.body.token })).status).toBe(401);
    expect((await call(emu, 'DELETE', `${keys}/${key.body.api_key_id}`)).status).toBe(409);
    expect((await call(emu, 'DELETE', `${keys}/api-key-nope`)).status).toBe(404);
    expect((await call(emu, 'GET', keys, { query: { status: 'active' } })).body.items).toEqual([]);
    const past = await call(emu, 'POST', keys, { body: { name: 'old', expires_at: 1 } });
    expect(past.status).toBe(422);
    expect(past.body.detail[0]).toMatchObject({ loc: ['body', 'expires_at'], input: 1 });
  });
});
