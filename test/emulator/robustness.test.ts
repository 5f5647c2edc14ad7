import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/emulator/index.js';
import { IDS, call, emulator, listAll } from './helpers.js';

const fill = (path: string) =>
  path
    .replace('{org_id}', IDS.orgs.backend)
    .replace('{service_user_id}', IDS.serviceUsers.oldBot)
    .replace('{idp_group_name}', 'engineering')
    .replace('{git_permission_id}', 'git-permission-de000000000000000000000000000004')
    .replace('{tag}', 'api')
    .replace('{secret_id}', 'secret-x')
    .replace('{api_key_id}', 'api-key-x');

const FIELDS = ['name', 'role_id', 'ttl_seconds', 'tags', 'tag', 'permissions', 'idp_group_names', 'groups', 'type', 'key', 'value',
  'read_only', 'max_cycle_acu_limit', 'max_session_acu_limit', 'expires_at', 'note', 'is_sensitive'];
/** Bodies with the right field names but arbitrary values, to reach past the first type check. */
const fieldsLike = fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 2 }));

describe('robustness', () => {
  it('answers any JSON body on any write route with a 2xx or a 4xx, never a 5xx', async () => {
    const emu = await emulator();
    const writes = listRoutes().filter((r) => r.method !== 'GET');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fieldsLike), async (route, body) => {
        const res = await call(emu, route.method, fill(route.path), { body });
        expect(res.status, `${route.method} ${route.path} ${JSON.stringify(body)} → ${res.text}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.body).toHaveProperty('detail');
      }),
      { numRuns: 500, seed: 20260101 },
    );
  });

  it('pages through any list size with any page size, returning every item exactly once in order', async () => {
    const emu = await emulator();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 25 }), async (extra, first) => {
        emu.state.idp_groups = Array.from({ length: extra }, (_, i) => ({ idp_group_name: `g${i}`, created_at: 0, members: [], role_assignments: [] }));
        const names = (await listAll(emu, '/v3/enterprise/idp-groups', first)).map((g) => g.idp_group_name);
        expect(names).toEqual(emu.state.idp_groups.map((g) => g.idp_group_name));
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
