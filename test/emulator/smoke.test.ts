import { describe, expect, it } from 'vitest';
import { call, emulator } from './helpers.js';

describe('emulator smoke', () => {
  it('serves the demo organizations to the admin token', async () => {
    const emu = await emulator();
    const res = await call(emu, 'GET', '/v3/enterprise/organizations');
    expect(res.status).toBe(200);
    expect(res.body.items.map((o: any) => o.name)).toEqual(['frontend', 'backend', 'legacy', 'sandbox-1']);
  });
});
