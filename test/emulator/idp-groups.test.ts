import { describe, expect, it } from 'vitest';
import { IDS, call, emulator, listAll } from './helpers.js';

const REG = '/v3/enterprise/idp-groups';
const ENT = '/v3/enterprise/members/idp-groups';
const org = (id: string) => `/v3/enterprise/organizations/${id}/members/idp-groups`;

describe('IdP groups', () => {
  it('registers groups in bulk, ignoring names that already exist', async () => {
    const emu = await emulator();
    const res = await call(emu, 'POST', REG, { body: { idp_group_names: ['data-science', 'engineering', 'data-science'] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ idp_group_name: 'data-science' }, { idp_group_name: 'engineering' }]);
    expect((await listAll(emu, REG)).map((g) => g.idp_group_name)).toEqual(['platform-admins', 'engineering', 'old-contractors', 'data-science']);
  });

  it('rejects a registration of more than 100 or of no names with 422', async () => {
    const emu = await emulator();
    const many = await call(emu, 'POST', REG, { body: { idp_group_names: Array.from({ length: 101 }, (_, i) => `g${i}`) } });
    expect(many.status).toBe(422);
    expect(many.body.detail[0]).toMatchObject({ type: 'too_long', loc: ['body', 'idp_group_names'], ctx: { max_length: 100 } });
    const none = await call(emu, 'POST', REG, { body: { idp_group_names: [] } });
    expect(none.body.detail[0]).toMatchObject({ type: 'too_short', ctx: { min_length: 1 } });
    expect((await call(emu, 'POST', REG, { body: { idp_group_names: Array.from({ length: 100 }, (_, i) => `g${i}`) } })).status).toBe(200);
  });

  it('refuses to delete a group that still has role assignments with 409', async () => {
    const emu = await emulator();
    const res = await call(emu, 'DELETE', `${REG}/platform-admins`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('role assignment');
    await call(emu, 'DELETE', `${ENT}/platform-admins`);
    const ok = await call(emu, 'DELETE', `${REG}/platform-admins`);
    expect(ok.body).toEqual({ idp_group_name: 'platform-admins' });
    expect((await call(emu, 'DELETE', `${REG}/platform-admins`)).status).toBe(404);
  });

  it('refuses to delete a group that has members with 409 (D19)', async () => {
    const emu = await emulator();
    emu.state.idp_groups.push({ idp_group_name: 'staff', created_at: 0, members: ['alice@example.test'], role_assignments: [] });
    const res = await call(emu, 'DELETE', `${REG}/staff`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('member');
  });

  it('refuses an org role for a group with no prior role assignment (NOTES quirk 8)', async () => {
    const emu = await emulator();
    await call(emu, 'POST', REG, { body: { idp_group_names: ['fresh'] } });
    const refused = await call(emu, 'POST', `${org(IDS.orgs.frontend)}/fresh`, { body: { role_id: IDS.roles.orgMember } });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('no role assignment');
    await call(emu, 'POST', `${ENT}/fresh`, { body: { role_id: IDS.roles.enterpriseMember } });
    const ok = await call(emu, 'POST', `${org(IDS.orgs.frontend)}/fresh`, { body: { role_id: IDS.roles.orgMember } });
    expect(ok.status).toBe(200);
    expect(ok.body.role_assignments.map((a: any) => [a.role.role_name, a.role.role_type, a.org_id])).toEqual([
      ['Member', 'enterprise', null],
      ['Member', 'org', IDS.orgs.frontend],
    ]);
  });

  it('refuses a second role at the same scope with 409, pointing at PATCH', async () => {
    const emu = await emulator();
    const ent = await call(emu, 'POST', `${ENT}/engineering`, { body: { role_id: IDS.roles.enterpriseAdmin } });
    expect(ent.status).toBe(409);
    const inOrg = await call(emu, 'POST', `${org(IDS.orgs.frontend)}/engineering`, { body: { role_id: IDS.roles.orgMember } });
    expect(inOrg.status).toBe(409);
    expect(inOrg.body.detail).toContain('PATCH');
    const patched = await call(emu, 'PATCH', `${org(IDS.orgs.frontend)}/engineering`, { body: { role_id: IDS.roles.orgMember } });
    expect(patched.body.role_assignments.find((a: any) => a.org_id === IDS.orgs.frontend).role.role_id).toBe(IDS.roles.orgMember);
  });

  it('refuses a role of the wrong type and a group that is not registered', async () => {
    const emu = await emulator();
    const wrong = await call(emu, 'POST', `${org(IDS.orgs.legacy)}/engineering`, { body: { role_id: IDS.roles.enterpriseMember } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toContain('org-level role');
    const wrongEnt = await call(emu, 'PATCH', `${ENT}/engineering`, { body: { role_id: IDS.roles.orgAdmin } });
    expect(wrongEnt.status).toBe(400);
    expect((await call(emu, 'POST', `${ENT}/ghosts`, { body: { role_id: IDS.roles.enterpriseMember } })).status).toBe(404);
  });

  it('lists as enterprise members the groups with any assignment, and as org members those with a role there', async () => {
    const emu = await emulator();
    await call(emu, 'POST', REG, { body: { idp_group_names: ['unassigned'] } });
    expect((await listAll(emu, ENT)).map((g) => g.idp_group_name)).toEqual(['platform-admins', 'engineering', 'old-contractors']);
    expect((await listAll(emu, org(IDS.orgs.frontend))).map((g) => g.idp_group_name)).toEqual(['engineering']);
    expect((await listAll(emu, org(IDS.orgs.legacy))).map((g) => g.idp_group_name)).toEqual(['old-contractors']);
    expect((await call(emu, 'GET', `${ENT}/unassigned`)).status).toBe(404);
    expect((await call(emu, 'GET', `${org(IDS.orgs.legacy)}/engineering`)).status).toBe(404);
    const removed = await call(emu, 'DELETE', `${org(IDS.orgs.legacy)}/old-contractors`);
    expect(removed.body.role_assignments.map((a: any) => a.org_id)).toEqual([null]);
    expect((await call(emu, 'DELETE', `${org(IDS.orgs.legacy)}/old-contractors`)).status).toBe(404);
  });
});
