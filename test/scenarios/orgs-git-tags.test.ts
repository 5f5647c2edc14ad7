// Scenario: organizations, git permissions and tags stepped through desired states against the
// emulator over real HTTP; each step's second plan must be empty.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converge, sandbox, type Sandbox } from '../helpers/emulator.js';

const head = `version: 1
settings:
  ignore:
    organizations: [frontend, backend, legacy, "sandbox-*"]
`;

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => sb.close());

async function step(yaml: string, both: string[] = []) {
  const file = await sb.write('devin.yaml', head + yaml);
  const r = await converge(sb, [file], { both });
  expect(r.apply.stderr).not.toMatch(/error/i);
  expect(r.apply.code).toBe(0);
  expect(r.again.stdout).toContain('No changes.');
  expect(r.again.code).toBe(0);
  return r;
}

const orgByName = (name: string) => sb.emu.state.organizations.find((o) => o.name === name);

describe('organizations, git permissions and tags converge step by step', () => {
  it('1. creates an organization with limits, git permissions and tags', async () => {
    const r = await step(`organizations:
  alpha:
    max_session_acu_limit: 50
    max_cycle_acu_limit: 500
    git_permissions:
      - { connection: github, repo_path: acme/app }
      - { connection: gitlab.com, group_prefix: acme-infra/, read_only: true }
    tags: { allowed: [web, api], default: web }
`);
    expect(r.plan.stdout).toContain('Plan: 4 to create, 0 to update, 0 to replace, 0 to delete.');
    expect(r.plan.stderr).toContain("warning: trailing '/' removed from group_prefix");
    const org = orgByName('alpha')!;
    expect(org.max_cycle_acu_limit).toBe(500);
    expect(sb.emu.state.git_permissions.filter((p) => p.org_id === org.org_id).map((p) => p.group_prefix ?? p.repo_path).sort()).toEqual(['acme-infra/', 'acme/app']);
    expect(sb.emu.state.tags[org.org_id]).toEqual({ tags: ['api', 'web'], default_tag: 'web' });
  });

  it('2. updates limits, flips read_only and moves the default to a new tag', async () => {
    const r = await step(`organizations:
  alpha:
    max_session_acu_limit: 80
    max_cycle_acu_limit: null
    git_permissions:
      - { connection: github, repo_path: acme/app, read_only: true }
      - { connection: gitlab.com, group_prefix: acme-infra, read_only: true }
    tags: { allowed: [web, api, docs], default: docs }
`);
    expect(r.plan.stdout).toContain('~ max_cycle_acu_limit   = 500 -> null');
    expect(r.plan.stdout).toContain('~ read_only = false -> true');
    expect(r.plan.stdout).toContain('Plan: 0 to create, 3 to update, 0 to replace, 0 to delete.');
    expect(orgByName('alpha')!.max_cycle_acu_limit).toBeNull();
  });

  it('3. changes a permission path (delete and create) and drops the tag that was the default', async () => {
    const r = await step(`organizations:
  alpha:
    git_permissions:
      - { connection: github, prefix_path: acme/app }
      - { connection: gitlab.com, group_prefix: acme-infra, read_only: true }
    tags: { allowed: [api, web], default: api }
`);
    expect(r.plan.stdout).toContain('- git-permission:alpha/github/repo_path:acme/app');
    expect(r.plan.stdout).toContain('+ git-permission:alpha/github/prefix_path:acme/app');
    const org = orgByName('alpha')!;
    expect(sb.emu.state.tags[org.org_id]).toEqual({ tags: ['api', 'web'], default_tag: 'api' });
  });

  it('4. leaves fields and collections that the file no longer mentions alone', async () => {
    const r = await step(`organizations:
  alpha: {}
`);
    expect(r.plan.stdout).toContain('No changes.');
    expect(orgByName('alpha')!.max_session_acu_limit).toBe(80);
  });

  it('5. clears tags with tags: null and all permissions with git_permissions: []', async () => {
    const r = await step(`organizations:
  alpha:
    git_permissions: []
    tags: null
`);
    expect(r.plan.stdout).toContain('Plan: 0 to create, 1 to update, 0 to replace, 2 to delete.');
    const org = orgByName('alpha')!;
    expect(sb.emu.state.git_permissions.filter((p) => p.org_id === org.org_id)).toEqual([]);
    expect(sb.emu.state.tags[org.org_id]?.tags ?? []).toEqual([]);
  });

  it('6. renames an organization in place through its id pin', async () => {
    const id = orgByName('alpha')!.org_id;
    const r = await step(`organizations:
  alpha-renamed:
    id: ${id}
`);
    expect(r.plan.stdout).toContain('~ name = "alpha" -> "alpha-renamed"');
    expect(sb.emu.state.organizations.find((o) => o.org_id === id)!.name).toBe('alpha-renamed');
  });

  it('7. deletes an organization that leaves the file, but only with --allow-delete organization', async () => {
    const file = await sb.write('devin.yaml', head + 'organizations:\n  beta: {}\n');
    const refused = await sb.cli(['apply', '-f', file, '--auto-approve']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('without --allow-delete organization');
    expect(orgByName('alpha-renamed')).toBeDefined();
    expect(sb.emu.stats().writes).toBeGreaterThan(0); // earlier steps wrote; this one must not have
    const r = await step('organizations:\n  beta: {}\n', ['--allow-delete', 'organization']);
    expect(r.plan.stdout).toContain('- organization:alpha-renamed');
    expect(orgByName('alpha-renamed')).toBeUndefined();
    expect(orgByName('beta')).toBeDefined();
  });
});
