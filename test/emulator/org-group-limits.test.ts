import { describe, expect, it } from 'vitest';
import { IDS, call, emulator } from './helpers.js';

const OGL = '/v3/enterprise/org-group-limits';

describe('org-group limits', () => {
  it('answers 404 {"detail": "Not Found"} when the feature is off', async () => {
    const emu = await emulator();
    emu.state.features.org_group_limits = false;
    for (const method of ['GET', 'PUT']) {
      const res = await call(emu, method, OGL, { body: method === 'PUT' ? { groups: {} } : undefined });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'Not Found' });
    }
  });

  it('replaces the whole config with PUT: groups left out are deleted', async () => {
    const emu = await emulator();
    expect((await call(emu, 'GET', OGL)).body).toEqual({
      groups: { 'product-teams': { org_ids: [IDS.orgs.frontend], max_cycle_acus: 3000 }, 'legacy-teams': { org_ids: [IDS.orgs.legacy], max_cycle_acus: 100 } },
    });
    const put = await call(emu, 'PUT', OGL, { body: { groups: { research: { org_ids: [IDS.orgs.backend, IDS.orgs.backend] } } } });
    expect(put.body).toEqual({ groups: { research: { org_ids: [IDS.orgs.backend], max_cycle_acus: null } } });
    expect((await call(emu, 'GET', OGL)).body).toEqual(put.body);
    expect((await call(emu, 'PUT', OGL, { body: { groups: {} } })).body).toEqual({ groups: {} });
  });

  it('refuses an organization in two groups', async () => {
    const emu = await emulator();
    const res = await call(emu, 'PUT', OGL, { body: { groups: { a: { org_ids: [IDS.orgs.frontend] }, b: { org_ids: [IDS.orgs.backend, IDS.orgs.frontend] } } } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain('more than one group');
    expect(Object.keys((await call(emu, 'GET', OGL)).body.groups)).toEqual(['product-teams', 'legacy-teams']);
  });

  it('refuses an unknown organization id and a malformed body', async () => {
    const emu = await emulator();
    const unknown = await call(emu, 'PUT', OGL, { body: { groups: { a: { org_ids: ['org-nope'] } } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('org-nope');
    const malformed = await call(emu, 'PUT', OGL, { body: { groups: { a: { max_cycle_acus: 5 } } } });
    expect(malformed.status).toBe(422);
    expect(malformed.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'groups', 'a', 'org_ids'], input: { max_cycle_acus: 5 } });
  });
});
