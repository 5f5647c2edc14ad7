// Bad input changes nothing: validate finds the offline mistakes with zero requests; plan adds
// the live ones after lookup reads only (D7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/emulator.js';

const yaml = `version: 1
organizations:
  frontend:
    max_session_acu_limit: lots
    git_permissions:
      - { connection: githbu, repo_path: acme/app }
    tgas: { allowed: [a] }
  frontend:
    tags: { allowed: [a, b], default: c }
`;

// duplicate key makes the second "frontend" an error; put the other mistakes where they survive
const five = `version: 1
organizations:
  frontend:
    max_session_acu_limit: lots
    tgas: [x]
    git_permissions:
      - { connection: githbu, repo_path: acme/app }
    tags: { allowed: [a, b], default: c }
  backend:
    max_cycle_acu_limit: 1
    max_cycle_acu_limit: 2
`;

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => sb.close());

describe('a file with five different mistakes', () => {
  it('validate reports the four offline ones as file:line:col errors with zero requests', async () => {
    const file = await sb.write('bad.yaml', five);
    sb.emu.resetStats();
    const r = await sb.cli(['validate', '-f', 'bad.yaml']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes(': error: '));
    expect(lines).toEqual([
      expect.stringMatching(/^bad\.yaml:4:28: error: .*integer/),
      expect.stringMatching(/^bad\.yaml:5:5: error: unknown key 'tgas' \(did you mean 'tags'\?\)/),
      expect.stringMatching(/^bad\.yaml:8:39: error: default tag 'c' is not in allowed/),
      expect.stringMatching(/^bad\.yaml:11:5: error: .*duplicate/i),
    ]);
    expect(sb.emu.stats().total).toBe(0);
    void file;
  });

  it('plan reports all five, exits 1, and the emulator counts zero non-GET requests', async () => {
    await sb.write('bad.yaml', five);
    sb.emu.resetStats();
    const r = await sb.cli(['plan', '-f', 'bad.yaml']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes(': error: '));
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^bad\.yaml:7:23: error: unknown git connection 'githbu' \(did you mean 'github'\?\)/);
    expect(r.stdout).toBe('');
    expect(sb.emu.stats().writes).toBe(0);
    expect(sb.emu.stats().reads).toBeGreaterThan(0);
  });

  it('never prints a stack trace for a user mistake', async () => {
    await sb.write('bad.yaml', yaml);
    const r = await sb.cli(['plan', '-f', 'bad.yaml']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('Internal error');
  });
});
