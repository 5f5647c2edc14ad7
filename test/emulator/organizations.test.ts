import { describe, expect, it } from 'vitest';
import { IDS, call, emulator, listAll } from './helpers.js';

const ORGS = '/v3/enterprise/organizations';

describe('organizations', () => {
  it('creates an organization with an org- id, integer timestamps and the server default session limit', async () => {
    const emu = await emulator();
    const res = await call(emu, 'POST', ORGS, { body: { name: 'data' } });
    expect(res.status).toBe(200);
    expect(res.body.org_id).toMatch(/^org-[0-9a-f]{32}$/);
    expect(res.body).toMatchObject({ name: 'data', max_session_acu_limit: 1000, max_cycle_acu_limit: null });
    expect(Number.isInteger(res.body.created_at) && Number.isInteger(res.body.updated_at)).toBe(true);
    const explicit = await call(emu, 'POST', ORGS, { body: { name: 'x', max_session_acu_limit: null, max_cycle_acu_limit: 5 } });
    expect(explicit.body).toMatchObject({ max_session_acu_limit: null, max_cycle_acu_limit: 5 });
  });

  it('rejects a create without a name with a 422 that echoes the whole body', async () => {
    const emu = await emulator();
    const res = await call(emu, 'POST', ORGS, { body: { max_cycle_acu_limit: 3 } });
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { max_cycle_acu_limit: 3 } }]);
  });

  it('rejects a mistyped field with a 422 that echoes the field value', async () => {
    const emu = await emulator();
    const res = await call(emu, 'POST', ORGS, { body: { name: 'x', max_session_acu_limit: 'lots' } });
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([{ type: 'int_type', loc: ['body', 'max_session_acu_limit'], msg: 'Input should be a valid integer', input: 'lots' }]);
    const none = await call(emu, 'POST', ORGS, {});
    expect(none.body.detail).toEqual([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
  });

  it('rejects a body that is not JSON with a FastAPI json_invalid error', async () => {
    const emu = await emulator();
    const res = await call(emu, 'POST', ORGS, { rawBody: '{name: 1}' });
    expect(res.status).toBe(422);
    expect(res.body.detail).toEqual([{ type: 'json_invalid', loc: ['body', 1], msg: 'JSON decode error', input: {}, ctx: { error: expect.any(String) } }]);
  });

  it('allows two organizations with the same name (names are not unique)', async () => {
    const emu = await emulator();
    const a = await call(emu, 'POST', ORGS, { body: { name: 'frontend' } });
    expect(a.status).toBe(200);
    expect((await listAll(emu, ORGS)).filter((o) => o.name === 'frontend')).toHaveLength(2);
  });

  it('treats PATCH as a merge-patch: omitted fields stay, null clears, a name renames', async () => {
    const emu = await emulator();
    const path = `${ORGS}/${IDS.orgs.frontend}`;
    const a = await call(emu, 'PATCH', path, { body: { max_session_acu_limit: 150 } });
    expect(a.body).toMatchObject({ name: 'frontend', max_session_acu_limit: 150, max_cycle_acu_limit: 10000 });
    const b = await call(emu, 'PATCH', path, { body: { max_cycle_acu_limit: null, name: 'web' } });
    expect(b.body).toMatchObject({ name: 'web', max_session_acu_limit: 150, max_cycle_acu_limit: null });
    expect((await call(emu, 'GET', path)).body).toEqual(b.body);
  });

  it('answers 404 with a detail for an unknown organization', async () => {
    const emu = await emulator();
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const res = await call(emu, method, `${ORGS}/org-00000000000000000000000000000000`, { body: method === 'PATCH' ? {} : undefined });
      expect(res.status, method).toBe(404);
      expect(res.body.detail).toContain('not found');
    }
  });

  it('returns the deleted organization and cascades to everything in it (D18)', async () => {
    const emu = await emulator();
    const f = IDS.orgs.frontend;
    const scoped = await call(emu, 'POST', `/v3beta1/organizations/${f}/service-users`, { body: { name: 'fe-bot', role_id: IDS.roles.orgAdmin, ttl_seconds: 600 } });
    await call(emu, 'POST', `/v3/enterprise/organizations/${f}/members/service-users/${IDS.serviceUsers.oldBot}`, { body: { role_id: IDS.roles.orgMember } });
    const del = await call(emu, 'DELETE', `${ORGS}/${f}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ org_id: f, name: 'frontend' });
    expect((await call(emu, 'GET', `${ORGS}/${f}`)).status).toBe(404);
    const s = emu.state;
    expect(s.git_permissions.filter((p) => p.org_id === f)).toEqual([]);
    expect(s.tags[f]).toBeUndefined();
    expect(s.secrets.filter((x) => x.org_id === f)).toEqual([]);
    expect(s.idp_groups.flatMap((g) => g.role_assignments).filter((a) => a.org_id === f)).toEqual([]);
    expect(s.service_users.flatMap((u) => u.role_assignments).filter((a) => a.org_id === f)).toEqual([]);
    expect(s.service_users.some((u) => u.service_user_id === scoped.body.service_user.service_user_id)).toBe(false);
    expect((await call(emu, 'GET', '/v3/enterprise/self', { token: scoped.body.token })).status).toBe(401);
    const limits = await call(emu, 'GET', '/v3/enterprise/org-group-limits');
    expect(limits.body.groups['product-teams']).toEqual({ org_ids: [], max_cycle_acus: 3000 });
    const eng = await call(emu, 'GET', '/v3/enterprise/members/idp-groups/engineering');
    expect(eng.body.role_assignments.map((a: any) => a.org_id)).toEqual([null, IDS.orgs.backend]);
  });
});
