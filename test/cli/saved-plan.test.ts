// Saved plans (D24): apply FILE applies exactly the reviewed plan, or refuses naming what moved.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/emulator.js';

const yaml = `version: 1
settings:
  ignore:
    organizations: [backend, legacy, "sandbox-*"]
organizations:
  frontend:
    max_session_acu_limit: 250
    tags: { allowed: [frontend, release], default: release }
    secrets:
      NPM_TOKEN: { value: "\${NPM_TOKEN}", note: "read-only npm token" }
`;
const env = { NPM_TOKEN: 'npm-canary-value-0001' };

let sb: Sandbox;
let file: string;
let planFile: string;
beforeEach(async () => {
  sb = await sandbox();
  file = await sb.write('devin.yaml', yaml);
  planFile = join(sb.dir, 'plan.json');
});
afterEach(async () => sb.close());

const frontend = () => sb.emu.state.organizations.find((o) => o.name === 'frontend')!;

describe('saved plans', () => {
  it('writes the plan file 0600 with digests and no secret value', async () => {
    const r = await sb.cli(['plan', '-f', file, '--out', planFile], { env });
    expect(r.code).toBe(0);
    const text = await readFile(planFile, 'utf8');
    expect(text).not.toContain(env.NPM_TOKEN);
    expect((await stat(planFile)).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(text);
    expect(doc.format_version).toBe(1);
    expect(doc.saved.live_digest).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(doc.saved.secret_fingerprints)).toEqual(['secret:frontend/NPM_TOKEN']);
  });

  it('applies exactly the saved plan when nothing moved in between', async () => {
    await sb.cli(['plan', '-f', file, '--out', planFile], { env });
    const writesBefore = sb.emu.stats().writes;
    const r = await sb.cli(['apply', planFile, '--auto-approve'], { env });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('organization:frontend: updated');
    expect(r.stdout).toContain('tags:frontend: updated');
    expect(r.stdout).toContain('secret:frontend/NPM_TOKEN: replaced');
    expect(sb.emu.stats().writes).toBeGreaterThan(writesBefore);
    expect(frontend().max_session_acu_limit).toBe(250);
    const again = await sb.cli(['plan', '-f', file, '--detailed-exitcode'], { env });
    expect(again.code).toBe(0);
  });

  it('refuses, naming the object, when live state changed out of band', async () => {
    await sb.cli(['plan', '-f', file, '--out', planFile], { env });
    const org = frontend();
    sb.emu.state.tags[org.org_id] = { tags: ['frontend', 'other'], default_tag: null };
    const writesBefore = sb.emu.stats().writes;
    const r = await sb.cli(['apply', planFile, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('live state changed since the plan was made: tags:frontend moved');
    expect(sb.emu.stats().writes).toBe(writesBefore);
  });

  it('refuses when a secret value in the environment no longer matches the planned one', async () => {
    await sb.cli(['plan', '-f', file, '--out', planFile], { env });
    const r = await sb.cli(['apply', planFile, '--auto-approve'], { env: { NPM_TOKEN: 'another-value' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('secret values changed since the plan was made: secret:frontend/NPM_TOKEN');
  });

  it('refuses a plan made with --skip-secret-values that writes secrets', async () => {
    await sb.write('devin.yaml', yaml + '      NEW_KEY: { value: "${NEW_KEY}" }\n');
    const made = await sb.cli(['plan', '-f', file, '--out', planFile, '--skip-secret-values'], { env: {} });
    expect(made.stdout).toContain('+ secret:frontend/NEW_KEY');
    const r = await sb.cli(['apply', planFile, '--auto-approve'], { env: { ...env, NEW_KEY: 'v' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/made with --skip-secret-values and writes secrets/);
  });

  it('refuses when the desired-state file changed after planning', async () => {
    await sb.cli(['plan', '-f', file, '--out', planFile], { env });
    await sb.write('devin.yaml', yaml.replace('250', '260'));
    const r = await sb.cli(['apply', planFile, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('desired-state files changed');
  });

  it('refuses --target together with a plan file', async () => {
    await sb.cli(['plan', '-f', file, '--out', planFile], { env });
    const r = await sb.cli(['apply', planFile, '--target', 'tags:*', '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--target is not allowed');
  });

  it('refuses a second saved plan after another apply changed the same objects', async () => {
    const other = join(sb.dir, 'other.json');
    await sb.cli(['plan', '-f', file, '--out', planFile], { env });
    await sb.cli(['plan', '-f', file, '--out', other], { env });
    expect((await sb.cli(['apply', planFile, '--auto-approve'], { env })).code).toBe(0);
    const r = await sb.cli(['apply', other, '--auto-approve'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('moved');
  });
});

describe('files devinctl writes', () => {
  it('writes the saved plan 0600 even when a stale temp file with another mode is in the way', async () => {
    const { writeFile, chmod } = await import('node:fs/promises');
    await writeFile(planFile + '.tmp', '');
    await chmod(planFile + '.tmp', 0o644);
    expect((await sb.cli(['plan', '-f', file, '--out', planFile], { env })).code).toBe(0);
    expect((await stat(planFile)).mode & 0o777).toBe(0o600);
  });

  it('resolves relative --out, --journal and --token-file paths against the working folder', async () => {
    const { existsSync } = await import('node:fs');
    expect((await sb.cli(['plan', '-f', 'devin.yaml', '--out', 'rel-plan.json'], { env })).code).toBe(0);
    expect(existsSync(join(sb.dir, 'rel-plan.json'))).toBe(true);
    expect((await sb.cli(['apply', 'rel-plan.json', '--auto-approve', '--journal', 'rel-journal.json'], { env })).code).toBe(0);
    expect(existsSync(join(sb.dir, 'rel-journal.json'))).toBe(true);
  });
});

describe('--target', () => {
  it('limits a plan to the matching addresses and what they need', async () => {
    const r = await sb.cli(['plan', '-f', file, '--target', 'tags:*'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tags:frontend');
    expect(r.stdout).toContain('organization:frontend will be updated'); // what tags:frontend waits for
    expect(r.stdout).not.toContain('secret:frontend/NPM_TOKEN');
    expect(r.stdout).toContain('Plan: 0 to create, 2 to update, 0 to replace, 0 to delete.');
  });

  it('refuses a target that matches nothing, or names an unknown kind, instead of saying "No changes"', async () => {
    const none = await sb.cli(['plan', '-f', file, '--target', 'tags:nowhere'], { env });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("--target 'tags:nowhere' matches no object");
    const typo = await sb.cli(['drift', '-f', file, '--target', 'organisation:**'], { env });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("unknown kind 'organisation' (did you mean 'organization'?)");
  });
});
