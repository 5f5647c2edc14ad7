import { describe, expect, it } from 'vitest';
import { IDS, call, emulator } from './helpers.js';

const tags = (org: string) => `/v3/enterprise/organizations/${org}/tags`;

describe('organization tags', () => {
  it('always returns the allowed tags sorted and without duplicates', async () => {
    const emu = await emulator();
    const put = await call(emu, 'PUT', tags(IDS.orgs.backend), { body: { tags: ['zeta', 'alpha', 'mid', 'alpha'] } });
    expect(put.body).toEqual({ tags: ['alpha', 'mid', 'zeta'] });
    const post = await call(emu, 'POST', tags(IDS.orgs.backend), { body: { tags: ['beta', 'zeta'] } });
    expect(post.body).toEqual({ tags: ['alpha', 'beta', 'mid', 'zeta'] });
    expect((await call(emu, 'GET', tags(IDS.orgs.backend))).body).toEqual({ tags: ['alpha', 'beta', 'mid', 'zeta'] });
  });

  it('refuses a default tag that is not in the allowed list', async () => {
    const emu = await emulator();
    const res = await call(emu, 'PUT', `${tags(IDS.orgs.backend)}/default`, { body: { tag: 'release' } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("'release' is not in the allowed tags");
    expect((await call(emu, 'GET', `${tags(IDS.orgs.backend)}/default`)).body).toEqual({ default_tag: null });
    const ok = await call(emu, 'PUT', `${tags(IDS.orgs.backend)}/default`, { body: { tag: 'api' } });
    expect(ok.body).toEqual({ default_tag: 'api' });
  });

  it('clears the default when a PUT drops it, and keeps it when the PUT keeps it', async () => {
    const emu = await emulator();
    const f = tags(IDS.orgs.frontend); // seeded [frontend, legacy], default legacy
    await call(emu, 'PUT', f, { body: { tags: ['legacy', 'release'] } });
    expect((await call(emu, 'GET', `${f}/default`)).body).toEqual({ default_tag: 'legacy' });
    await call(emu, 'PUT', f, { body: { tags: ['frontend', 'release'] } });
    expect((await call(emu, 'GET', `${f}/default`)).body).toEqual({ default_tag: null });
  });

  it('clears the default when the tags are cleared or the default tag is removed', async () => {
    const emu = await emulator();
    const f = tags(IDS.orgs.frontend);
    const removed = await call(emu, 'DELETE', `${f}/legacy`);
    expect(removed.body).toEqual({ tags: ['frontend'] });
    expect((await call(emu, 'GET', `${f}/default`)).body).toEqual({ default_tag: null });
    await call(emu, 'PUT', `${f}/default`, { body: { tag: 'frontend' } });
    expect((await call(emu, 'DELETE', f)).body).toEqual({ tags: [] });
    expect((await call(emu, 'GET', `${f}/default`)).body).toEqual({ default_tag: null });
    expect((await call(emu, 'DELETE', `${f}/nope`)).status).toBe(404);
  });

  it('answers 404 with a detail when session tags are not enabled', async () => {
    const emu = await emulator();
    emu.state.features.session_tags = false;
    for (const [method, path] of [['GET', tags(IDS.orgs.frontend)], ['PUT', `${tags(IDS.orgs.frontend)}/default`]] as const) {
      const res = await call(emu, method, path, { body: method === 'PUT' ? { tag: 'legacy' } : undefined });
      expect(res.status).toBe(404);
      expect(res.body.detail).toBe('Session tags are not enabled for this enterprise');
    }
  });

  it('answers 404 for an unknown organization and 422 for a body without tags', async () => {
    const emu = await emulator();
    expect((await call(emu, 'GET', tags('org-nope'))).status).toBe(404);
    const res = await call(emu, 'PUT', tags(IDS.orgs.frontend), { body: { tag: 'x' } });
    expect(res.status).toBe(422);
    expect(res.body.detail[0]).toMatchObject({ type: 'missing', loc: ['body', 'tags'], input: { tag: 'x' } });
  });
});
