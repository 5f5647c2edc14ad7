import { describe, expect, it } from 'vitest';
import { IDS, call, emulator } from './helpers.js';

describe('request statistics', () => {
  it('counts every request by templated route, with reads and writes', async () => {
    const emu = await emulator();
    await call(emu, 'GET', `/v3/enterprise/organizations/${IDS.orgs.frontend}/tags`);
    await call(emu, 'GET', `/v3/enterprise/organizations/${IDS.orgs.backend}/tags`);
    await call(emu, 'PUT', `/v3/enterprise/organizations/${IDS.orgs.backend}/tags`, { body: { tags: ['x'] } });
    await call(emu, 'DELETE', `/v3/enterprise/organizations/${IDS.orgs.backend}/tags/default`);
    await call(emu, 'GET', '/v3/enterprise/roles', { token: 'bad' });
    await call(emu, 'GET', '/v3/nowhere');
    expect(emu.stats()).toEqual({
      total: 6,
      reads: 4,
      writes: 2,
      byRoute: {
        'GET /v3/enterprise/organizations/{org_id}/tags': 2,
        'PUT /v3/enterprise/organizations/{org_id}/tags': 1,
        'DELETE /v3/enterprise/organizations/{org_id}/tags/default': 1,
        'GET /v3/enterprise/roles': 1,
        'GET <unmatched>': 1,
      },
      faults: {},
    });
  });

  it('starts again from zero after resetStats()', async () => {
    const emu = await emulator();
    await call(emu, 'GET', '/v3/enterprise/self');
    emu.resetStats();
    expect(emu.stats()).toEqual({ total: 0, reads: 0, writes: 0, byRoute: {}, faults: {} });
  });

  it('answers unknown paths with 404 and known paths with a wrong method with 405', async () => {
    const emu = await emulator();
    expect((await call(emu, 'GET', '/v3/enterprise/nothing')).body).toEqual({ detail: 'Not Found' });
    const res = await call(emu, 'PATCH', '/v3/enterprise/roles');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });
});
