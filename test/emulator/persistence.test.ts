import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDS, call, emulator } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'devinctl-emu-'));

describe('persistence', () => {
  it('seeds a missing state file, writes it 0600 and keeps applied writes across restarts', async () => {
    const dir = tmp();
    const statePath = join(dir, 'nested', 'emulator.json');
    const a = await emulator({ statePath });
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    const org = await call(a, 'POST', '/v3/enterprise/organizations', { body: { name: 'persisted' } });
    await call(a, 'PUT', `/v3/enterprise/organizations/${org.body.org_id}/tags`, { body: { tags: ['b', 'a'] } });
    await a.close();
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['emulator.json']); // no temporary files left behind

    const b = await emulator({ statePath });
    expect((await call(b, 'GET', `/v3/enterprise/organizations/${org.body.org_id}`)).body.name).toBe('persisted');
    expect((await call(b, 'GET', `/v3/enterprise/organizations/${org.body.org_id}/tags`)).body.tags).toEqual(['a', 'b']);
  });

  it('does not persist a write answered under ignore-write or a refused write', async () => {
    const statePath = join(tmp(), 'state.json');
    const a = await emulator({ statePath });
    const before = readFileSync(statePath, 'utf8');
    await call(a, 'POST', '/v3/enterprise/organizations', { body: {} });
    a.setFaults({ ignoreWrite: 1 });
    await call(a, 'POST', '/v3/enterprise/organizations', { body: { name: 'ghost' } });
    expect(readFileSync(statePath, 'utf8')).toBe(before);
  });

  it('re-seeds on reset, discarding the saved state', async () => {
    const statePath = join(tmp(), 'state.json');
    const a = await emulator({ statePath });
    await call(a, 'DELETE', `/v3/enterprise/organizations/${IDS.orgs.legacy}`);
    await a.close();
    const b = await emulator({ statePath, reset: true });
    expect(b.state.organizations.map((o) => o.name)).toEqual(['frontend', 'backend', 'legacy', 'sandbox-1']);
    const c = await emulator({ statePath });
    expect(c.state.organizations).toHaveLength(4);
  });

  it('saves out-of-band changes with save()', async () => {
    const statePath = join(tmp(), 'state.json');
    const a = await emulator({ statePath });
    a.state.features.session_tags = false;
    await a.save();
    expect(JSON.parse(readFileSync(statePath, 'utf8')).features.session_tags).toBe(false);
  });

  it('refuses a state file that is not emulator state, with a hint to reset', async () => {
    const statePath = join(tmp(), 'state.json');
    writeFileSync(statePath, '{"hello": 1}');
    await expect(emulator({ statePath })).rejects.toThrow(/not a devinctl emulator state file.*reset/);
    writeFileSync(statePath, '{broken');
    await expect(emulator({ statePath })).rejects.toThrow(/not valid JSON/);
    const ok = await emulator({ statePath, reset: true });
    expect(ok.state.organizations).toHaveLength(4);
  });
});
