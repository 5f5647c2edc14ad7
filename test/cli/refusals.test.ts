// Refusals found by trying to break devinctl as a new user would: each is an error before any write.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/emulator.js';
import { runCli } from '../helpers/cli.js';

const head = `version: 1
settings:
  ignore:
    organizations: [backend, legacy, "sandbox-*"]
    service_users: ["devinctl-*"]
`;

let sb: Sandbox;
beforeEach(async () => {
  sb = await sandbox();
});
afterEach(async () => sb.close());

describe('refusals', () => {
  it("refuses devinctl's own credentials as a secret value", async () => {
    await sb.write('d.yaml', head + 'organizations:\n  frontend:\n    secrets:\n      STOLEN: { value: "${DEVIN_API_TOKEN}" }\n');
    const r = await sb.cli(['validate', '-f', 'd.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/d\.yaml:9:\d+: error: \$\{DEVIN_API_TOKEN\} is devinctl's own credential/);
  });

  it('reports a literal secret and a missing variable in one run', async () => {
    await sb.write('d.yaml', head + 'organizations:\n  frontend:\n    secrets:\n      A: { value: "literal" }\n      B: { value: "${MISSING_B}" }\n');
    const r = await sb.cli(['validate', '-f', 'd.yaml'], { env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('d.yaml:9:');
    expect(r.stderr).toContain('MISSING_B');
  });

  it('refuses an id pin that would rename a live organization the file also lists under its own name', async () => {
    const id = sb.emu.state.organizations.find((o) => o.name === 'frontend')!.org_id;
    await sb.write('d.yaml', head + `organizations:\n  frontend: {}\n  frontend-copy:\n    id: ${id}\n`);
    const r = await sb.cli(['plan', '-f', 'd.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is the live organization 'frontend', which the file also lists`);
    expect(sb.emu.stats().writes).toBe(0);
  });

  it('refuses a --token-file in a folder that does not exist before provisioning anything', async () => {
    await sb.write('d.yaml', head + 'enterprise:\n  service_users:\n    ci-reporter: { role: Member }\n    old-bot: { role: Member }\n    new-bot: { role: Member }\n');
    const r = await sb.cli(['apply', '-f', 'd.yaml', '--auto-approve', '--token-file', join(sb.dir, 'no/such/folder/t.jsonl')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot be written');
    expect(sb.emu.stats().writes).toBe(0);
    expect(sb.emu.state.service_users.some((s) => s.name === 'new-bot')).toBe(false);
  });

  it('refuses to serve the emulator on a non-loopback address', async () => {
    const r = await runCli(['emulator', '--host', '0.0.0.0', '--port', '0', '--state', join(sb.dir, 'e.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--host must be a loopback address');
  });

  it('says which secrets it cannot verify when the fingerprint key changed', async () => {
    await sb.write('d.yaml', head + 'organizations:\n  frontend:\n    secrets:\n      NPM_TOKEN: { value: "${NPM_TOKEN}", note: "read-only npm token" }\n');
    expect((await sb.cli(['apply', '-f', 'd.yaml', '--auto-approve'], { env: { NPM_TOKEN: 'v1' } })).code).toBe(0);
    const r = await sb.cli(['plan', '-f', 'd.yaml', '--detailed-exitcode'], { env: { NPM_TOKEN: 'v2', DEVINCTL_FINGERPRINT_KEY: 'other' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 secret (frontend/NPM_TOKEN) carry a marker from another DEVINCTL_FINGERPRINT_KEY or scheme');
  });

  it('writes no stack trace when a file cannot be written', async () => {
    await sb.write('d.yaml', head + 'organizations:\n  frontend: {}\n');
    const r = await sb.cli(['plan', '-f', 'd.yaml', '--out', join(sb.dir, 'missing/p.json')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('its folder does not exist');
    expect(r.stderr).not.toContain('Internal error');
  });
});
