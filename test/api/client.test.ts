import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.js';
import { ApiError } from '../../src/api/types.js';
import { DEFAULT_USER_AGENT } from '../../src/api/version.js';
import { harness, json, netError, ORIGIN, tick, TOKEN } from './helpers.js';

const ORG = '/v3/enterprise/organizations/org-1';
const SECRETS = '/v3/organizations/org-1/secrets';
const CANARY = 'CANARY-9d2e-never-show-me';

type Headers = Record<string, string>;

describe('requests', () => {
  it('sends the bearer token, Accept and User-Agent, and Content-Type only with a body', async () => {
    const { pool, client } = harness();
    const seen: Array<{ method: string; headers: Headers; body: unknown }> = [];
    const capture = (opts: { method: string; headers?: unknown; body?: unknown }) => {
      seen.push({ method: opts.method, headers: opts.headers as Headers, body: opts.body });
      return { statusCode: 200, data: {} };
    };
    pool.intercept({ path: ORG }).reply(capture);
    pool.intercept({ path: ORG, method: 'PATCH' }).reply(capture);
    await client.get(ORG);
    await client.patch(ORG, { name: 'x' });

    expect(seen[0].headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: 'application/json', 'user-agent': DEFAULT_USER_AGENT });
    expect(seen[0].headers).not.toHaveProperty('content-type');
    expect(seen[1].headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    expect(seen[1].body).toBe('{"name":"x"}');
    expect(DEFAULT_USER_AGENT).toMatch(/^devinctl\/\d+\.\d+\.\d+/);
  });

  it('stringifies query values and drops undefined ones', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: '/v3/x?a=1&b=true&c=s%20t' }).reply(200, { ok: true }, json);
    await expect(client.get('/v3/x', { a: 1, b: true, c: 's t', d: undefined })).resolves.toEqual({ ok: true });
  });

  it('joins the base URL without doubling slashes and keeps a base path prefix', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get(ORIGIN).intercept({ path: '/devin/v3/x' }).reply(200, { ok: 1 }, json);
    const client = createApiClient({ baseUrl: `${ORIGIN}/devin/`, token: TOKEN, dispatcher: agent });
    expect(client.baseUrl).toBe(`${ORIGIN}/devin`);
    await expect(client.get('/v3/x')).resolves.toEqual({ ok: 1 });
  });

  it('returns undefined for an empty 2xx body', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG, method: 'DELETE' }).reply(204, '');
    await expect(client.delete(ORG)).resolves.toBeUndefined();
  });

  it('reports a 2xx body that is not JSON as an error, uncertain after a write', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG, method: 'PATCH' }).reply(200, 'not json');
    await expect(client.patch(ORG, {})).rejects.toMatchObject({ status: 200, uncertain: true, detail: 'invalid JSON in HTTP 200 response (8 bytes)' });
  });

  it('puts the path without its query string in ApiError', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: `${ORG}?x=1&y=2` }).reply(404, { detail: 'Not found' });
    const err = await client.get(`${ORG}?x=1`, { y: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ path: ORG, status: 404 });
  });

  it('passes errors that are not about the network through unchanged', async () => {
    const { client } = harness(); // nothing intercepted: MockAgent refuses the request
    await expect(client.get('/v3/unmocked')).rejects.toMatchObject({ code: 'UND_MOCK_ERR_MOCK_NOT_MATCHED' });
  });

  it('rejects invalid numeric options at construction', () => {
    expect(() => createApiClient({ baseUrl: ORIGIN, token: TOKEN, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createApiClient({ baseUrl: ORIGIN, token: TOKEN, maxRetries: -1 })).toThrow(RangeError);
    expect(() => createApiClient({ baseUrl: ORIGIN, token: TOKEN, parallelism: 0 })).toThrow(RangeError);
  });
});

describe('error details', () => {
  it('uses a FastAPI string detail', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG }).reply(404, { detail: 'Organization not found' }, json);
    await expect(client.get(ORG)).rejects.toMatchObject({ status: 404, detail: 'Organization not found' });
  });

  it('keeps only loc and msg of a 422, so a canary in input and ctx appears nowhere', async () => {
    const { pool, client, logs } = harness({ maxRetries: 0 });
    const body = {
      detail: [
        { loc: ['body', 'value'], msg: 'String should have at most 10 characters', type: 'string_too_long', input: CANARY, ctx: { max_length: 10, seen: CANARY } },
        { loc: ['body', 'key'], msg: 'Field required', type: 'missing', input: { value: CANARY } },
      ],
    };
    pool.intercept({ path: SECRETS, method: 'POST' }).reply(422, body, json);
    const err = (await client.post(SECRETS, { type: 'key-value', value: CANARY }).catch((e: unknown) => e)) as ApiError;

    expect(err.detail).toBe('body.value: String should have at most 10 characters; body.key: Field required');
    expect(err.message).not.toContain(CANARY);
    expect(JSON.stringify(err)).not.toContain(CANARY);
    expect(String(err.stack)).not.toContain(CANARY);
    expect(logs.join('\n')).not.toContain(CANARY);
    expect(logs.join('\n')).toContain('body.value: String should have at most 10 characters');
  });

  it('uses the detail of a problem+json body, else its title', async () => {
    const { pool, client } = harness();
    const problem = { headers: { 'content-type': 'application/problem+json' } };
    pool.intercept({ path: ORG }).reply(401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Token expired' }, problem);
    pool.intercept({ path: ORG }).reply(401, { type: 'about:blank', title: 'Unauthorized', status: 401, instance: ORG }, problem);
    await expect(client.get(ORG)).rejects.toMatchObject({ status: 401, detail: 'Token expired' });
    await expect(client.get(ORG)).rejects.toMatchObject({ status: 401, detail: 'Unauthorized' });
  });

  it('describes a non-JSON error body by its size, never quoting it', async () => {
    const { pool, client, logs } = harness({ maxRetries: 0 });
    const html = `<html><body>Bad Gateway ${CANARY}</body></html>`;
    pool.intercept({ path: ORG }).reply(502, html, { headers: { 'content-type': 'text/html' } });
    const err = (await client.get(ORG).catch((e: unknown) => e)) as ApiError;
    expect(err).toMatchObject({ status: 502, detail: `HTTP 502 (non-JSON body, ${html.length} bytes)` });
    expect(logs.join('\n')).not.toContain(CANARY);
  });
});

describe('debug log', () => {
  it('logs one line per request and per response, without the Authorization header', async () => {
    const { pool, client, logs } = harness();
    pool.intercept({ path: SECRETS, method: 'POST' }).reply(200, { secret_id: 'secret-1', key: 'NPM_TOKEN' }, json);
    await client.post(SECRETS, { type: 'key-value', key: 'NPM_TOKEN', value: 'npm_s3cr3t' });
    expect(logs).toHaveLength(2);
    expect(logs[0]).toBe(`→ POST ${SECRETS} {"type":"key-value","key":"NPM_TOKEN","value":"(redacted)"}`);
    expect(logs[1]).toMatch(new RegExp(`^← 200 POST ${SECRETS} \\d+ms \\{"secret_id":"secret-1","key":"NPM_TOKEN"\\}$`));
    expect(logs.join('\n')).not.toContain(TOKEN);
    expect(logs.join('\n')).not.toMatch(/authorization|bearer/i);
  });

  it('redacts value and token at any depth, in request and reply bodies, plus the fields the caller names', async () => {
    const { pool, client, logs } = harness();
    const path = '/v3beta1/enterprise/service-users';
    pool.intercept({ path, method: 'POST' }).reply(
      200,
      { service_user: { name: 'ci', api_key: { token: 'cog_minted_secret', key_id: 'k1' } }, token: 'cog_minted_secret' },
      json,
    );
    await client.post(path, { name: 'ci', nested: [{ value: 'v1' }], password: 'p4ss' }, { redact: ['password'] });
    const text = logs.join('\n');
    expect(text).not.toMatch(/cog_minted_secret|v1|p4ss/);
    expect(text).toContain('"nested":[{"value":"(redacted)"}]');
    expect(text).toContain('"password":"(redacted)"');
    expect(text).toContain('"api_key":{"token":"(redacted)","key_id":"k1"}');
  });

  it('never logs the body of an error reply, only its detail', async () => {
    const { pool, client, logs } = harness();
    pool.intercept({ path: SECRETS, method: 'POST' }).reply(409, { detail: 'Secret exists', echo: CANARY }, json);
    await expect(client.post(SECRETS, { key: 'K' })).rejects.toThrow(ApiError);
    expect(logs[1]).toMatch(/^← 409 POST \/v3\/organizations\/org-1\/secrets \d+ms: Secret exists$/);
    expect(logs.join('\n')).not.toContain(CANARY);
  });

  it('logs retries and connection errors', async () => {
    const { pool, client, logs } = harness();
    pool.intercept({ path: ORG }).reply(503, '', { headers: { 'retry-after': '0.05' } });
    pool.intercept({ path: ORG }).replyWithError(netError('ECONNRESET'));
    pool.intercept({ path: ORG }).reply(200, {}, json);
    await client.get(ORG);
    expect(logs).toContain(`↻ retry 1/4 of GET ${ORG} in 50ms after HTTP 503`);
    expect(logs.some((l) => /^← connection error GET \/v3\/enterprise\/organizations\/org-1 \d+ms: connection reset \(ECONNRESET\)$/.test(l))).toBe(true);
    expect(logs).toContain(`↻ retry 2/4 of GET ${ORG} in 250ms after ECONNRESET`);
  });
});

describe('shared limits', () => {
  it('never has more than parallelism requests in flight', async () => {
    const { pool, client } = harness({ parallelism: 3 });
    let inFlight = 0;
    let peak = 0;
    const slowReply = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { ok: true };
    };
    pool.intercept({ path: /\/v3\/r\/\d+/ }).reply(200, slowReply as unknown as () => object, json).persist();
    const reads = Array.from({ length: 10 }, (_, i) => client.get(`/v3/r/${i}`));
    const writes = Array.from({ length: 5 }, (_, i) => {
      pool.intercept({ path: `/v3/w/${i}`, method: 'PUT' }).reply(200, slowReply as unknown as () => object, json);
      return client.put(`/v3/w/${i}`, {});
    });
    await Promise.all([...reads, ...writes]);
    expect(peak).toBe(3);
  });

  it('slows the whole client down on 429 and recovers with successes', async () => {
    const { pool, client } = harness({ parallelism: 4 });
    pool.intercept({ path: ORG }).reply(429, '', { headers: { 'retry-after': '0.01' } });
    pool.intercept({ path: ORG }).reply(200, {}, json).times(30);
    await client.get(ORG);
    expect(client.limiter.state().limit).toBe(2);
    for (let i = 0; i < 10 && client.limiter.state().limit < 4; i++) await client.get(ORG);
    expect(client.limiter.state().limit).toBe(4);
  });

  it('holds other requests back for the Retry-After of a 429', async () => {
    const waits: number[] = [];
    const pending: Array<() => void> = [];
    let t = 0;
    const { pool, client } = harness({
      now: () => t,
      sleep: (ms) => {
        waits.push(ms);
        return new Promise<void>((resolve) => pending.push(resolve));
      },
    });
    let otherServed = false;
    pool.intercept({ path: ORG }).reply(429, '', { headers: { 'retry-after': '2' } });
    pool.intercept({ path: ORG }).reply(200, {}, json);
    pool.intercept({ path: '/v3/other' }).reply(() => ((otherServed = true), { statusCode: 200, data: {} }));

    const first = client.get(ORG);
    while (waits.length < 1) await tick();
    const other = client.get('/v3/other');
    while (waits.length < 2) await tick();
    expect(waits).toEqual([2000, 2000]);
    expect(otherServed).toBe(false);
    t += 2000; // time passes; both waits end
    for (const resolve of pending) resolve();
    await Promise.all([first, other]);
    expect(otherServed).toBe(true);
  });

  it('spaces requests at maxRps', async () => {
    const { pool, client, clock } = harness({ maxRps: 5 });
    pool.intercept({ path: ORG }).reply(200, {}, json).times(3);
    const started = clock.now();
    await Promise.all([client.get(ORG), client.get(ORG), client.get(ORG)]);
    expect(clock.sleeps).toEqual([200, 200]); // the fake clock advances on each sleep
    expect(clock.now() - started).toBe(400);
  });
});

describe('stats', () => {
  it('counts every request by method, and the retries among them', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG }).reply(500, '');
    pool.intercept({ path: ORG }).reply(200, {}, json);
    pool.intercept({ path: '/v3/l', query: { first: '200' } }).reply(200, { items: [], end_cursor: 'a', has_next_page: true }, json);
    pool.intercept({ path: '/v3/l', query: { first: '200', after: 'a' } }).reply(200, { items: [] }, json);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) pool.intercept({ path: ORG, method }).reply(200, {}, json);
    await client.get(ORG);
    await client.list('/v3/l');
    await client.post(ORG, {});
    await client.put(ORG, {});
    await client.patch(ORG, {});
    await client.delete(ORG);
    expect(client.stats()).toEqual({ get: 4, post: 1, put: 1, patch: 1, delete: 1, retries: 1 });
  });
});
