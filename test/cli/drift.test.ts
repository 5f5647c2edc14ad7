// Drift (issue: GitOps): exit 0 in sync after apply, 2 after an out-of-band change in each kind,
// with the drifted object in all three formats; drift never writes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/emulator.js';
import type { EmulatorState } from '../../src/emulator/index.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/devin.yaml');
const env = { NPM_TOKEN: 'npm-demo', STAGING_COOKIE: 'cookie-demo' };

let sb: Sandbox;
let snapshot: string;
beforeAll(async () => {
  sb = await sandbox();
  const r = await sb.cli(['apply', '-f', EXAMPLE, '--auto-approve', '--allow-delete', 'organization', '--allow-delete', 'service-user', '--token-file', join(sb.dir, 'tokens.jsonl')], { env });
  expect(r.code).toBe(0);
  snapshot = JSON.stringify(sb.emu.state);
});
afterAll(async () => sb.close());

function restore(): void {
  Object.assign(sb.emu.state, JSON.parse(snapshot) as EmulatorState);
}
const org = (name: string) => sb.emu.state.organizations.find((o) => o.name === name)!;
const role = (type: string, name: string) => sb.emu.state.roles.find((r) => r.role_type === type && r.role_name === name)!;
const su = (name: string) => sb.emu.state.service_users.find((s) => s.name === name && !s.deleted_at)!;

const changes: [string, string, () => void][] = [
  ['organization', 'organization:frontend', () => { org('frontend').max_session_acu_limit = 999; }],
  ['git-permission', 'git-permission:frontend/github/repo_path:acme/shared', () => {
    const p = sb.emu.state.git_permissions.find((g) => g.org_id === org('frontend').org_id && g.repo_path === 'acme/shared')!;
    p.read_only = false;
  }],
  ['tags', 'tags:backend', () => { sb.emu.state.tags[org('backend').org_id] = { tags: ['api'], default_tag: 'api' }; }],
  ['secret', 'secret:frontend/NPM_TOKEN', () => {
    const s = sb.emu.state.secrets.find((x) => x.org_id === org('frontend').org_id && x.key === 'NPM_TOKEN')!;
    s.note = 'edited in the web UI';
  }],
  ['idp-group', 'idp-group:platform-admins', () => {
    const g = sb.emu.state.idp_groups.find((x) => x.idp_group_name === 'platform-admins')!;
    g.role_assignments = g.role_assignments.map((a) => (a.org_id === null ? { ...a, role_id: role('enterprise', 'Member').role_id } : a));
  }],
  ['idp-group-org-role', 'idp-group-org-role:frontend/engineering', () => {
    const g = sb.emu.state.idp_groups.find((x) => x.idp_group_name === 'engineering')!;
    g.role_assignments = g.role_assignments.filter((a) => a.org_id !== org('frontend').org_id);
  }],
  ['service-user', 'service-user:release-bot', () => {
    const s = su('release-bot');
    s.role_assignments = s.role_assignments.map((a) => (a.org_id === null ? { ...a, role_id: role('enterprise', 'Admin').role_id } : a));
  }],
  ['service-user-org-role', 'service-user-org-role:frontend/ci-reporter', () => {
    const s = su('ci-reporter');
    s.role_assignments = s.role_assignments.filter((a) => a.org_id !== org('frontend').org_id);
  }],
  ['org-group-limit', 'org-group-limit:product-teams', () => { sb.emu.state.org_group_limits.groups['product-teams'].max_cycle_acus = 1; }],
];

describe('drift', () => {
  it('exits 0 and says so when live matches desired after apply', async () => {
    restore();
    const r = await sb.cli(['drift', '-f', EXAMPLE, '--skip-secret-values'], { env: {} });
    expect(r.stdout).toContain('No drift');
    expect(r.code).toBe(0);
  });

  for (const [kind, address, mutate] of changes) {
    it(`exits 2 and names ${address} in text, json and markdown after an out-of-band change to a ${kind}`, async () => {
      restore();
      mutate();
      const writes = sb.emu.stats().writes;
      for (const format of ['text', 'json', 'markdown']) {
        const r = await sb.cli(['drift', '-f', EXAMPLE, '--skip-secret-values', '--format', format], { env: {} });
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toContain(address);
        expect(r.stdout).toContain('live differs from desired (changed outside devinctl, or not yet applied)');
        if (format === 'json') expect(JSON.parse(r.stdout).changes.map((c: { address: string }) => c.address)).toContain(address);
      }
      expect(sb.emu.stats().writes).toBe(writes);
    });
  }
});
