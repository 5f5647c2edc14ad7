import { describe, expect, it } from 'vitest';
import { parseFaults } from '../../src/emulator/index.js';
import { IDS, call, emulator } from './helpers.js';

const ORGS = '/v3/enterprise/organizations';

async function attempt(p: Promise<unknown>): Promise<'dropped' | unknown> {
  try {
    return await p;
  } catch (err) {
    return (err as Error).name === 'SocketError' || /other side closed|socket hang up|ECONNRESET/i.test(String(err)) ? 'dropped' : Promise.reject(err);
  }
}

describe('fault injection', () => {
  it('parses the command-line fault list', () => {
    expect(parseFaults('429=0.1,500=0.05,502=0.02,503=0.02,drop-before=0.05,drop-after=0.05,ignore-write=0.02,page-no-cursor=0.01,page-repeat-cursor=0.01,retry-after=0.05,seed=42')).toEqual({
      rate429: 0.1, rate500: 0.05, rate502: 0.02, rate503: 0.02, dropBefore: 0.05, dropAfter: 0.05, ignoreWrite: 0.02,
      pageNoCursor: 0.01, pageRepeatCursor: 0.01, retryAfterSeconds: 0.05, seed: 42,
    });
    expect(parseFaults(' 429 = 1 , methods=GET|put ')).toEqual({ rate429: 1, methods: ['GET', 'PUT'] });
    expect(parseFaults('')).toEqual({});
  });

  it('rejects a bad fault list with a message naming the problem', () => {
    expect(() => parseFaults('418=0.1')).toThrow(/unknown fault "418"/);
    expect(() => parseFaults('429=2')).toThrow(/invalid rate for fault "429"/);
    expect(() => parseFaults('429=lots')).toThrow(/invalid rate/);
    expect(() => parseFaults('429')).toThrow(/expected NAME=VALUE/);
    expect(() => parseFaults('seed=1.5')).toThrow(/invalid seed/);
    expect(() => parseFaults('429=0.1,429=0.2')).toThrow(/given twice/);
    expect(() => parseFaults('methods=GET|FETCH')).toThrow(/invalid methods/);
    expect(() => parseFaults('retry-after=-1')).toThrow(/invalid retry-after/);
  });

  it('answers 429 with a decimal Retry-After header', async () => {
    const emu = await emulator({ faults: { rate429: 1 } });
    const res = await call(emu, 'GET', ORGS);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('0.05');
    expect(typeof res.body.detail).toBe('string');
    emu.setFaults({ rate429: 1, retryAfterSeconds: 0.2 });
    expect((await call(emu, 'GET', ORGS)).headers['retry-after']).toBe('0.2');
    expect(emu.stats().faults['429']).toBe(2);
  });

  it('answers 500, 502 and 503 before handling, leaving the state unchanged', async () => {
    const emu = await emulator();
    for (const [status, faults] of [[500, { rate500: 1 }], [502, { rate502: 1 }], [503, { rate503: 1 }]] as const) {
      emu.setFaults(faults);
      const res = await call(emu, 'POST', ORGS, { body: { name: `x${status}` } });
      expect(res.status).toBe(status);
    }
    expect(emu.state.organizations).toHaveLength(4);
    expect(emu.stats().faults).toEqual({ '500': 1, '502': 1, '503': 1 });
  });

  it('drops the connection before handling, so the change is not applied', async () => {
    const emu = await emulator({ faults: { dropBefore: 1 } });
    expect(await attempt(call(emu, 'POST', ORGS, { body: { name: 'lost' } }))).toBe('dropped');
    expect(emu.state.organizations.some((o) => o.name === 'lost')).toBe(false);
    expect(emu.stats().faults['drop-before']).toBe(1);
  });

  it('drops the connection after handling, so the change is applied but the reply is lost', async () => {
    const emu = await emulator({ faults: { dropAfter: 1 } });
    expect(await attempt(call(emu, 'POST', ORGS, { body: { name: 'applied' } }))).toBe('dropped');
    expect(emu.state.organizations.filter((o) => o.name === 'applied')).toHaveLength(1);
    expect(emu.stats().faults['drop-after']).toBe(1);
  });

  it('answers a write as if done but changes nothing under ignore-write (D21)', async () => {
    const emu = await emulator({ faults: { ignoreWrite: 1 } });
    const res = await call(emu, 'PATCH', `${ORGS}/${IDS.orgs.frontend}`, { body: { name: 'renamed' } });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('renamed');
    expect((await call(emu, 'GET', `${ORGS}/${IDS.orgs.frontend}`)).body.name).toBe('frontend');
    const del = await call(emu, 'DELETE', `${ORGS}/${IDS.orgs.legacy}`);
    expect(del.status).toBe(200);
    expect(emu.state.organizations).toHaveLength(4);
    expect(emu.stats().faults['ignore-write']).toBe(2);
  });

  it('answers a list page with has_next_page but no cursor under page-no-cursor', async () => {
    const emu = await emulator({ faults: { pageNoCursor: 1 } });
    const res = await call(emu, 'GET', '/v3/enterprise/roles');
    expect(res.body).toMatchObject({ has_next_page: true, end_cursor: null });
    expect(res.body.items).toHaveLength(4);
    expect(emu.stats().faults['page-no-cursor']).toBe(1);
  });

  it('repeats the request cursor as end_cursor under page-repeat-cursor', async () => {
    const emu = await emulator();
    const first = await call(emu, 'GET', ORGS, { query: { first: 1 } });
    emu.setFaults({ pageRepeatCursor: 1 });
    const second = await call(emu, 'GET', ORGS, { query: { first: 1, after: first.body.end_cursor } });
    expect(second.body.end_cursor).toBe(first.body.end_cursor);
    expect(second.body.has_next_page).toBe(true);
    expect(emu.stats().faults['page-repeat-cursor']).toBe(1);
  });

  it('never injects a fault into a request that fails authentication', async () => {
    const emu = await emulator({ faults: { rate429: 1, dropBefore: 1 } });
    const res = await call(emu, 'GET', ORGS, { token: 'wrong' });
    expect(res.status).toBe(401);
    expect(emu.stats().faults).toEqual({});
  });

  it('applies faults only to the configured methods', async () => {
    const emu = await emulator({ faults: { rate503: 1, methods: ['POST'] } });
    expect((await call(emu, 'GET', ORGS)).status).toBe(200);
    expect((await call(emu, 'POST', ORGS, { body: { name: 'x' } })).status).toBe(503);
  });

  it('injects the same faults for the same seed and request sequence', async () => {
    const statuses = async (seed: number) => {
      const emu = await emulator({ faults: { rate503: 0.5, seed } });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await call(emu, 'GET', '/v3/enterprise/roles')).status);
      return out;
    };
    const a = await statuses(7);
    expect(await statuses(7)).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
    expect(await statuses(8)).not.toEqual(a);
  });

  it('adds the configured latency to each request', async () => {
    const emu = await emulator({ latencyMs: 80 });
    let t = Date.now();
    await call(emu, 'GET', '/v3/enterprise/self');
    expect(Date.now() - t).toBeGreaterThanOrEqual(75);
    emu.setLatency({ min: 0, max: 1 });
    t = Date.now();
    await call(emu, 'GET', '/v3/enterprise/self');
    expect(Date.now() - t).toBeLessThan(75);
    expect(() => emu.setLatency({ min: 5, max: 1 })).toThrow(/invalid emulator latency/);
  });
});
