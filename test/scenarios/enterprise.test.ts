// Scenario: the enterprise kinds (IdP groups, service users, secrets, org-group limits). Each
// ordering rule is exercised by a change the emulator would reject if the order were wrong.
import { join } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { converge, sandbox, type Sandbox } from '../helpers/emulator.js';

const head = `version: 1
settings:
  ignore:
    organizations: [backend, legacy, "sandbox-*"]
    service_users: ["devinctl-*"]
`;
const env = { NPM_TOKEN: 'npm-value-1' };

let sb: Sandbox;
let tokens: string;
beforeEach(async () => {
  sb = await sandbox();
  tokens = join(sb.dir, 'tokens.jsonl');
});
afterEach(async () => sb.close());

async function step(yaml: string, both: string[] = [], withHead = true) {
  const file = await sb.write('devin.yaml', (withHead ? head : 'version: 1\n') + yaml);
  const r = await converge(sb, [file], { both, apply: ['--token-file', tokens], cli: { env } });
  expect(r.apply.stderr).not.toMatch(/error/i);
  expect(r.apply.code).toBe(0);
  expect(r.again.stdout).toContain('No changes.');
  expect(r.again.code).toBe(0);
  return r;
}
const group = (name: string) => sb.emu.state.idp_groups.find((g) => g.idp_group_name === name);
const org = (name: string) => sb.emu.state.organizations.find((o) => o.name === name)!;

describe('IdP groups', () => {
  it('registers a group and gives it an enterprise role before its org role, in one apply', async () => {
    await step(`enterprise:
  idp_groups:
    platform-admins: { role: Admin }
    engineering: { role: Member }
    old-contractors: {}
    qa: { role: Member }
organizations:
  frontend:
    idp_groups: { engineering: Admin, qa: Member }
`);
    expect(group('qa')!.role_assignments).toHaveLength(2);
  });

  it('removes a group\'s org roles before deleting its registration', async () => {
    const groups = `enterprise:
  idp_groups:
    platform-admins: { role: Admin }
    engineering: { role: Member }
    old-contractors: {}
`;
    await step(groups + '    qa: { role: Member }\norganizations:\n  frontend:\n    idp_groups: { engineering: Admin, qa: Admin }\n');
    const r = await step(groups + 'organizations:\n  frontend:\n    idp_groups: { engineering: Admin }\n');
    expect(r.plan.stdout).toContain('- idp-group:qa');
    expect(group('qa')).toBeUndefined();
  });

  it('refuses to plan deleting a group that still holds a role in an organization the plan leaves alone', async () => {
    const file = await sb.write('devin.yaml', head + `enterprise:
  idp_groups:
    platform-admins: { role: Admin }
    old-contractors: {}
`);
    const r = await sb.cli(['plan', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("IdP group 'engineering' would be deleted but still holds a role in organization backend");
  });

  it('refuses to plan a group that would hold an org role without an enterprise role', async () => {
    const file = await sb.write('devin.yaml', head + `enterprise:
  idp_groups:
    platform-admins: { role: Admin }
    engineering: { role: null }
    old-contractors: {}
organizations:
  frontend:
    idp_groups: { engineering: Admin }
`);
    const r = await sb.cli(['plan', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/devin\.yaml:\d+:\d+: error: IdP group 'engineering' would hold an org role but no enterprise role/);
  });

  it('reports a group that still has members as a failed delete naming the cause (D19)', async () => {
    sb.emu.state.idp_groups.push({ idp_group_name: 'alumni', created_at: 1, members: ['user-1'], role_assignments: [] });
    const file = await sb.write('devin.yaml', head + `enterprise:
  idp_groups:
    platform-admins: { role: Admin }
    engineering: { role: Member }
    old-contractors: {}
`);
    const r = await sb.cli(['apply', '-f', file, '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/idp-group:alumni: FAILED: .*409.*member/);
  });
});

describe('service users', () => {
  it('provisions an enterprise service user before giving it an org role, and writes its token only to --token-file', async () => {
    const r = await step(`enterprise:
  service_users:
    ci-reporter: { role: Member }
    old-bot: { role: Member }
    deployer: { role: Member, ttl_days: 30 }
organizations:
  frontend:
    service_users: { deployer: Admin }
`);
    const lines = (await readFile(tokens, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.name)).toEqual(['deployer']);
    expect((await stat(tokens)).mode & 0o777).toBe(0o600);
    expect(r.apply.stdout + r.apply.stderr).not.toContain(lines[0].token);
  });

  it('refuses to provision without --token-file, before any call', async () => {
    const file = await sb.write('devin.yaml', head + `enterprise:
  service_users:
    ci-reporter: { role: Member }
    old-bot: { role: Member }
    deployer: { role: Member }
`);
    const writes = sb.emu.stats().writes;
    const r = await sb.cli(['apply', '-f', file, '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pass --token-file FILE');
    expect(sb.emu.stats().writes).toBe(writes);
  });

  it('replaces an expired service user, which needs --allow-delete service-user', async () => {
    const yaml = `enterprise:
  service_users:
    ci-reporter: { role: Member }
    old-bot: { role: Member }
organizations:
  frontend:
    service_users: { ci-reporter: Member }
`;
    await step(yaml.replace('{ role: Member }\n    old-bot', '{ role: Member }\n    old-bot').replace('ci-reporter: { role: Member }', 'ci-reporter: { role: Member }'));
    sb.emu.state.service_users.find((s) => s.name === 'ci-reporter' && !s.deleted_at)!.expires_at = Math.floor(Date.now() / 1000) - 60;
    const file = await sb.write('devin.yaml', head + yaml);
    const refused = await sb.cli(['plan', '-f', file]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain('-/+ service-user:ci-reporter');
    expect(refused.stdout).toContain('service-user-org-role:frontend/ci-reporter will be created');
    await step(yaml, ['--allow-delete', 'service-user']);
  });

  it('refuses a plan that would delete the calling service user (D5)', async () => {
    const file = await sb.write('devin.yaml', `version: 1
enterprise:
  service_users:
    ci-reporter: { role: Member }
    old-bot: { role: Member }
`);
    const r = await sb.cli(['plan', '-f', file, '--allow-delete', 'service-user']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("the plan would delete service user 'devinctl-admin', the caller devinctl runs as (D5)");
  });
});

describe('secrets', () => {
  const yaml = `organizations:
  frontend:
    secrets:
      NPM_TOKEN: { value: "\${NPM_TOKEN}", note: "read-only npm token" }
`;
  it('adopts an unmarked secret once, then plans nothing: no perpetual replace', async () => {
    const r = await step(yaml);
    expect(r.plan.stdout).toContain('value not verifiable (no devinctl marker)');
    const s = sb.emu.state.secrets.find((x) => x.key === 'NPM_TOKEN' && x.org_id === org('frontend').org_id)!;
    expect(s.note).toMatch(/^read-only npm token \[devinctl:v1:scrypt:/);
  });

  it('replaces a secret whose value changed, and keeps a marker from another key unless --adopt-secrets', async () => {
    await step(yaml);
    const changed = await sb.cli(['plan', '-f', join(sb.dir, 'devin.yaml'), '--detailed-exitcode'], { env: { NPM_TOKEN: 'npm-value-2' } });
    expect(changed.code).toBe(2);
    expect(changed.stdout).toContain('-/+ secret:frontend/NPM_TOKEN');
    const otherKey = await sb.cli(['plan', '-f', join(sb.dir, 'devin.yaml'), '--detailed-exitcode'], { env: { ...env, DEVINCTL_FINGERPRINT_KEY: 'k2' } });
    expect(otherKey.code).toBe(0);
    const adopt = await sb.cli(['plan', '-f', join(sb.dir, 'devin.yaml'), '--detailed-exitcode', '--adopt-secrets'], { env: { ...env, DEVINCTL_FINGERPRINT_KEY: 'k2' } });
    expect(adopt.code).toBe(2);
  });

  it('compares metadata but not values with --skip-secret-values', async () => {
    await step(yaml);
    const noted = await sb.write('devin.yaml', head + yaml.replace('read-only npm token', 'rotated'));
    const r = await sb.cli(['plan', '-f', noted, '--skip-secret-values', '--detailed-exitcode'], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('~ note');
  });

  it('reports every missing variable at once and makes no request', async () => {
    const file = await sb.write('devin.yaml', head + `organizations:
  frontend:
    secrets:
      A: { value: "\${MISSING_A}" }
      B: { value: "\${MISSING_B}" }
`);
    sb.emu.resetStats();
    const r = await sb.cli(['plan', '-f', file], { env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MISSING_A');
    expect(r.stderr).toContain('MISSING_B');
    expect(sb.emu.stats().writes).toBe(0);
  });
});

describe('org-group limits', () => {
  it('writes the limits after the organization they name is created', async () => {
    await step(`enterprise:
  org_group_limits:
    product-teams: { max_cycle_acus: 3000, organizations: [frontend, gamma] }
    legacy-teams: { max_cycle_acus: 100, organizations: [legacy] }
organizations:
  frontend: {}
  gamma: {}
`);
    expect(sb.emu.state.org_group_limits.groups['product-teams'].org_ids).toContain(org('gamma').org_id);
  });

  it('writes the limits before an organization they named is deleted', async () => {
    const r = await step(`settings:
  ignore:
    organizations: ["sandbox-*"]
    service_users: ["devinctl-*"]
enterprise:
  org_group_limits:
    product-teams: { max_cycle_acus: 3000, organizations: [frontend] }
organizations:
  frontend: {}
  backend: {}
`, ['--allow-delete', 'organization'], false);
    const order = r.apply.stdout.split('\n');
    const put = order.findIndex((l) => l.startsWith('org-group-limit:legacy-teams: deleted'));
    const del = order.findIndex((l) => l.startsWith('organization:legacy: deleted'));
    expect(put).toBeGreaterThan(-1);
    expect(put).toBeLessThan(del);
    expect(sb.emu.state.org_group_limits.groups['legacy-teams']).toBeUndefined();
  });

  it('says the feature is not enabled when the API answers 404', async () => {
    sb.emu.state.features.org_group_limits = false;
    const file = await sb.write('devin.yaml', head + `enterprise:
  org_group_limits:
    product-teams: { max_cycle_acus: 3000, organizations: [frontend] }
`);
    const r = await sb.cli(['plan', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('org-group limits are not enabled for this enterprise');
  });
});

describe('names (D17)', () => {
  it('refuses an organization that matches a live one only up to case, unless --allow-rename-case', async () => {
    const file = await sb.write('devin.yaml', head.replace('[backend,', '[frontend, backend,') + 'organizations:\n  Frontend: {}\n');
    const r = await sb.cli(['plan', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("organization 'Frontend' differs from the live 'frontend' only in case or spacing");
    const ok = await sb.cli(['plan', '-f', file, '--allow-rename-case']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('+ organization:Frontend');
  });

  it('refuses to guess between two live objects with the same name, listing their ids', async () => {
    const fe = org('frontend');
    sb.emu.state.organizations.push({ ...fe, org_id: 'org-dup00000000000000000000000000001' });
    const file = await sb.write('devin.yaml', head + 'organizations:\n  frontend: {}\n');
    const r = await sb.cli(['plan', '-f', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`organization:frontend exists 2 times live (${fe.org_id}, org-dup00000000000000000000000000001)`);
  });

  it('refuses two live secrets with the same key in one organization', async () => {
    const s = sb.emu.state.secrets.find((x) => x.key === 'NPM_TOKEN')!;
    sb.emu.state.secrets.push({ ...s, secret_id: 'secret-dup' });
    const file = await sb.write('devin.yaml', head + 'organizations:\n  frontend:\n    secrets: {}\n');
    const r = await sb.cli(['plan', '-f', file, '--skip-secret-values']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('secret:frontend/NPM_TOKEN exists 2 times live');
  });
});

describe('expiry warnings', () => {
  it('warns at its place in the file about a managed service user that expires within 30 days, and not about others', async () => {
    const file = await sb.write('devin.yaml', head + 'enterprise:\n  service_users:\n    ci-reporter: { role: Member }\n    old-bot: { role: Member }\n');
    const r = await sb.cli(['plan', '-f', file]);
    expect(r.stdout).toMatch(/Warning: .*devin\.yaml:8:5: service user ci-reporter expires in (19|20) days/);
    const other = await sb.write('devin.yaml', head + 'organizations:\n  frontend: {}\n');
    expect((await sb.cli(['plan', '-f', other])).stdout).not.toContain('expires in');
  });
});
