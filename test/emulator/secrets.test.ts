import { describe, expect, it } from 'vitest';
import { IDS, call, emulator, listAll } from './helpers.js';

const secrets = (org: string) => `/v3/organizations/${org}/secrets`;

describe('secrets', () => {
  it('stores the value but never returns it, in the create reply or the list', async () => {
    const emu = await emulator();
    const value = 'a-very-distinctive-secret-value';
    const res = await call(emu, 'POST', secrets(IDS.orgs.backend), { body: { type: 'key-value', key: 'NPM_TOKEN', value } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'NPM_TOKEN', is_sensitive: true, note: null, secret_type: 'key-value', access_type: 'org', created_by: IDS.serviceUsers.admin });
    expect(res.body.secret_id).toMatch(/^secret-[0-9a-f]{32}$/);
    expect(res.text).not.toContain(value);
    const list = await call(emu, 'GET', secrets(IDS.orgs.backend));
    expect(list.text).not.toContain(value);
    expect(list.text).not.toContain('"value"');
    const del = await call(emu, 'DELETE', `${secrets(IDS.orgs.backend)}/${res.body.secret_id}`);
    expect(del.text).not.toContain(value);
    expect(emu.state.secrets.some((s) => s.value === value)).toBe(false);
  });

  it('echoes the offending input in 422s like FastAPI, including a non-base32 totp value (the D13 canary)', async () => {
    const emu = await emulator();
    const value = 'not base32 at all: s3cr3t!';
    const totp = await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'totp', key: 'OTP', value } });
    expect(totp.status).toBe(422);
    expect(totp.body.detail).toEqual([{ type: 'value_error', loc: ['body', 'value'], msg: expect.stringContaining('base32'), input: value, ctx: { error: {} } }]);
    const key = await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'key-value', key: '1-BAD KEY', value: 'v' } });
    expect(key.body.detail).toEqual([
      { type: 'string_pattern_mismatch', loc: ['body', 'key'], msg: "String should match pattern '^[A-Za-z_][A-Za-z0-9_]*$'", input: '1-BAD KEY', ctx: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } },
    ]);
    const type = await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'dictionary', key: 'K', value: 'v' } });
    expect(type.body.detail[0]).toMatchObject({ type: 'enum', loc: ['body', 'type'], input: 'dictionary' });
    const missing = await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'cookie', key: 'K' } });
    expect(missing.body.detail[0]).toEqual({ type: 'missing', loc: ['body', 'value'], msg: 'Field required', input: { type: 'cookie', key: 'K' } });
    expect((await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'totp', key: 'OTP', value: 'JBSWY3DPEHPK3PXP' } })).status).toBe(200);
  });

  it('rejects an empty value and one over 65536 characters', async () => {
    const emu = await emulator();
    const empty = await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'key-value', key: 'K', value: '' } });
    expect(empty.body.detail[0]).toMatchObject({ type: 'string_too_short', loc: ['body', 'value'] });
    const long = await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'key-value', key: 'K', value: 'x'.repeat(65_537) } });
    expect(long.body.detail[0]).toMatchObject({ type: 'string_too_long', ctx: { max_length: 65_536 } });
    expect((await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'key-value', key: 'K', value: 'x'.repeat(65_536) } })).status).toBe(200);
  });

  it('answers 403, not 404, when deleting a secret that does not exist (NOTES quirk 2)', async () => {
    const emu = await emulator();
    const [seeded] = await listAll(emu, secrets(IDS.orgs.frontend));
    expect((await call(emu, 'DELETE', `${secrets(IDS.orgs.frontend)}/${seeded.secret_id}`)).status).toBe(200);
    const again = await call(emu, 'DELETE', `${secrets(IDS.orgs.frontend)}/${seeded.secret_id}`);
    expect(again.status).toBe(403);
    expect(typeof again.body.detail).toBe('string');
    expect((await call(emu, 'DELETE', `${secrets(IDS.orgs.backend)}/secret-never-existed`)).status).toBe(403);
  });

  it('allows the same key twice in one organization (keys are not unique, D21)', async () => {
    const emu = await emulator();
    await call(emu, 'POST', secrets(IDS.orgs.frontend), { body: { type: 'key-value', key: 'NPM_TOKEN', value: 'v2', is_sensitive: false, note: 'n' } });
    const keys = (await listAll(emu, secrets(IDS.orgs.frontend))).map((s) => [s.key, s.is_sensitive]);
    expect(keys).toEqual([['NPM_TOKEN', true], ['OLD_API_KEY', true], ['NPM_TOKEN', false]]);
  });
});
