import { describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/emulator/index.js';
import { IDS, call, emulator, listAll } from './helpers.js';

const fill = (path: string) =>
  path
    .replace('{org_id}', IDS.orgs.frontend)
    .replace('{service_user_id}', IDS.serviceUsers.admin);

describe('cursor pagination', () => {
  it('rejects first=0 and first=201 on every list with a FastAPI 422 that echoes the input', async () => {
    const emu = await emulator();
    const lists = listRoutes().filter((r) => r.paged);
    expect(lists.length).toBeGreaterThanOrEqual(11);
    for (const r of lists) {
      const low = await call(emu, 'GET', fill(r.path), { query: { first: 0 } });
      expect(low.status, r.path).toBe(422);
      expect(low.body.detail).toEqual([
        { type: 'greater_than_equal', loc: ['query', 'first'], msg: 'Input should be greater than or equal to 1', input: '0', ctx: { ge: 1 } },
      ]);
      const high = await call(emu, 'GET', fill(r.path), { query: { first: 201 } });
      expect(high.status, r.path).toBe(422);
      expect(high.body.detail[0]).toMatchObject({ type: 'less_than_equal', loc: ['query', 'first'], input: '201', ctx: { le: 200 } });
    }
  });

  it('rejects a first that is not an integer', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v3/enterprise/roles', { query: { first: 'ten' } });
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ type: 'int_parsing', loc: ['query', 'first'], input: 'ten' });
  });

  it('rejects a cursor it did not issue with 422', async () => {
    const emu = await emulator();
    for (const after of ['not-a-cursor', 'b2Zmc2V0OmFiYw', '%%%']) {
      const res = await call(emu, 'GET', '/v3/enterprise/organizations', { query: { after } });
      expect(res.status, after).toBe(422);
      expect(res.body.detail[0]).toMatchObject({ loc: ['query', 'after'], input: after });
    }
  });

  it('pages in creation order with an opaque cursor, null end_cursor on the last page and a total', async () => {
    const emu = await emulator();
    const first = await call(emu, 'GET', '/v3/enterprise/organizations', { query: { first: 3 } });
    expect(first.body.items.map((o: any) => o.name)).toEqual(['frontend', 'backend', 'legacy']);
    expect(first.body).toMatchObject({ has_next_page: true, total: 4 });
    expect(first.body.end_cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await call(emu, 'GET', '/v3/enterprise/organizations', { query: { first: 3, after: first.body.end_cursor } });
    expect(second.body).toMatchObject({ items: [{ name: 'sandbox-1' }], has_next_page: false, end_cursor: null, total: 4 });
  });

  it('defaults to pages of 100 and allows 200', async () => {
    const emu = await emulator();
    for (let i = 0; i < 246; i++) {
      emu.state.organizations.push({ org_id: `org-bulk${i}`, name: `bulk-${i}`, max_session_acu_limit: null, max_cycle_acu_limit: null, created_at: i, updated_at: i });
    }
    const dflt = await call(emu, 'GET', '/v3/enterprise/organizations');
    expect(dflt.body.items).toHaveLength(100);
    const max = await call(emu, 'GET', '/v3/enterprise/organizations', { query: { first: 200 } });
    expect(max.body.items).toHaveLength(200);
    const all = await listAll(emu, '/v3/enterprise/organizations', 7);
    expect(all).toHaveLength(250);
    expect(new Set(all.map((o) => o.org_id)).size).toBe(250);
  });
});
