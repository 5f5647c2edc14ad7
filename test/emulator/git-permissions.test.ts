import { describe, expect, it } from 'vitest';
import { IDS, call, emulator, listAll } from './helpers.js';

const perms = (org: string) => `/v3/enterprise/organizations/${org}/git-providers/permissions`;
const gh = IDS.connections.github;

describe('git permissions', () => {
  it('lists the seeded git connections', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v3/enterprise/git-providers/connections');
    expect(res.body.items.map((c: any) => [c.name, c.host])).toEqual([['github', 'github.com'], ['gitlab', 'gitlab.com']]);
  });

  it('rejects a bulk POST or PUT of more than 200 entries with 422', async () => {
    const emu = await emulator();
    const permissions = Array.from({ length: 201 }, (_, i) => ({ git_connection_id: gh, repo_path: `acme/r${i}` }));
    for (const method of ['POST', 'PUT']) {
      const res = await call(emu, method, perms(IDS.orgs.backend), { body: { permissions } });
      expect(res.status, method).toBe(422);
      expect(res.body.detail[0]).toMatchObject({ type: 'too_long', loc: ['body', 'permissions'], ctx: { max_length: 200, actual_length: 201 } });
    }
    const ok = await call(emu, 'POST', perms(IDS.orgs.backend), { body: { permissions: permissions.slice(0, 200) } });
    expect(ok.status).toBe(200);
    expect(ok.body).toHaveLength(200);
  });

  it('requires exactly one of repo_path, group_prefix and prefix_path per entry', async () => {
    const emu = await emulator();
    const none = { git_connection_id: gh, read_only: true };
    const two = { git_connection_id: gh, repo_path: 'a/b', group_prefix: 'a' };
    const res = await call(emu, 'POST', perms(IDS.orgs.backend), { body: { permissions: [{ git_connection_id: gh, repo_path: 'ok/ok' }, none, two] } });
    expect(res.status).toBe(422);
    expect(res.body.detail.map((d: any) => [d.type, d.loc, d.input])).toEqual([
      ['value_error', ['body', 'permissions', 1], none],
      ['value_error', ['body', 'permissions', 2], two],
    ]);
    expect(emu.state.git_permissions.filter((p) => p.org_id === IDS.orgs.backend)).toHaveLength(2); // nothing added
  });

  it('rejects an unknown git connection with 422 naming it', async () => {
    const emu = await emulator();
    const res = await call(emu, 'PUT', perms(IDS.orgs.backend), { body: { permissions: [{ git_connection_id: 'git-connection-nope', repo_path: 'a/b' }] } });
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ loc: ['body', 'permissions', 0, 'git_connection_id'], input: 'git-connection-nope' });
  });

  it('stores group_prefix and prefix_path with a trailing slash and returns them without (D10)', async () => {
    const emu = await emulator();
    const res = await call(emu, 'POST', perms(IDS.orgs.legacy), {
      body: { permissions: [{ git_connection_id: gh, group_prefix: 'acme/web' }, { git_connection_id: gh, prefix_path: 'acme/api/' }, { git_connection_id: gh, repo_path: 'acme/r' }] },
    });
    expect(res.body.map((p: any) => [p.group_prefix, p.prefix_path, p.repo_path, p.read_only])).toEqual([
      ['acme/web', null, null, false],
      [null, 'acme/api', null, false],
      [null, null, 'acme/r', false],
    ]);
    expect(res.body[0].git_permission_id).toMatch(/^git-permission-[0-9a-f]{32}$/);
    const stored = emu.state.git_permissions.filter((p) => p.org_id === IDS.orgs.legacy);
    expect(stored.map((p) => p.group_prefix ?? p.prefix_path ?? p.repo_path)).toEqual(['acme/web/', 'acme/api/', 'acme/r']);
    const seeded = await listAll(emu, perms(IDS.orgs.frontend));
    expect(seeded[0].group_prefix).toBe('acme/frontend');
  });

  it('adds with POST, replaces with PUT, clears with DELETE and edits read_only with PATCH', async () => {
    const emu = await emulator();
    const p = perms(IDS.orgs.frontend);
    const added = await call(emu, 'POST', p, { body: { permissions: [{ git_connection_id: gh, repo_path: 'acme/new' }] } });
    expect(added.body).toHaveLength(1);
    expect(await listAll(emu, p)).toHaveLength(4);
    const replaced = await call(emu, 'PUT', p, { body: { permissions: [{ git_connection_id: gh, repo_path: 'acme/only', read_only: true }] } });
    expect((await listAll(emu, p)).map((x) => x.git_permission_id)).toEqual([replaced.body[0].git_permission_id]);
    const patched = await call(emu, 'PATCH', `${p}/${replaced.body[0].git_permission_id}`, { body: { read_only: false } });
    expect(patched.body).toMatchObject({ repo_path: 'acme/only', read_only: false });
    const unchanged = await call(emu, 'PATCH', `${p}/${replaced.body[0].git_permission_id}`, { body: { read_only: null } });
    expect(unchanged.body.read_only).toBe(false);
    const cleared = await call(emu, 'DELETE', p);
    expect(cleared.body.map((x: any) => x.repo_path)).toEqual(['acme/only']);
    expect(await listAll(emu, p)).toEqual([]);
  });

  it('deletes one permission and answers 404 for an unknown permission or organization', async () => {
    const emu = await emulator();
    const p = perms(IDS.orgs.frontend);
    const [first] = await listAll(emu, p);
    expect((await call(emu, 'DELETE', `${p}/${first.git_permission_id}`)).body).toEqual(first);
    expect((await call(emu, 'DELETE', `${p}/${first.git_permission_id}`)).status).toBe(404);
    expect((await call(emu, 'PATCH', `${p}/git-permission-nope`, { body: { read_only: true } })).status).toBe(404);
    expect((await call(emu, 'GET', perms('org-nope'))).status).toBe(404);
    expect((await call(emu, 'POST', perms('org-nope'), { body: { permissions: [] } })).status).toBe(404);
  });
});
