// Progress of long reads: per kind and page on stderr when it is a terminal, nothing otherwise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/emulator.js';

let sb: Sandbox;
let file: string;
beforeAll(async () => {
  sb = await sandbox();
  // 450 git permissions in frontend: three pages of 200
  const org = sb.emu.state.organizations.find((o) => o.name === 'frontend')!;
  const conn = sb.emu.state.git_connections[0].git_connection_id;
  for (let i = 0; i < 450; i++) {
    sb.emu.state.git_permissions.push({ git_permission_id: `git-permission-p${i}`, org_id: org.org_id, git_connection_id: conn, repo_path: `acme/r${i}`, group_prefix: null, prefix_path: null, read_only: false, created_at: 1 });
  }
  file = await sb.write('devin.yaml', 'version: 1\nsettings:\n  ignore:\n    organizations: [backend, legacy, "sandbox-*"]\norganizations:\n  frontend:\n    git_permissions: []\n');
});
afterAll(async () => sb.close());

describe('progress', () => {
  it('shows each page of each collection on a terminal', async () => {
    const r = await sb.cli(['plan', '-f', file, '--force'], { stderrIsTTY: true });
    expect(r.stderr).toContain('Reading git permissions of frontend: page 3, 453 items');
    expect(r.stderr).toContain('Reading organizations: page 1');
  });

  it('prints nothing about progress when stderr is not a terminal', async () => {
    const r = await sb.cli(['plan', '-f', file, '--force']);
    expect(r.stderr).not.toContain('Reading');
  });
});
