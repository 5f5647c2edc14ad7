import { errors as undiciErrors } from 'undici';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/types.js';
import { harness, json, netError } from './helpers.js';

const ORGS = '/v3/enterprise/organizations';
const ORG = '/v3/enterprise/organizations/org-1';
const SECRETS = '/v3/organizations/org-1/secrets';
const ok = { org_id: 'org-1', name: 'frontend' };

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('retries by route (D23)', () => {
  it.each([
    ['429', (i: ReturnType<typeof harness>['pool']) => i.intercept({ path: ORG }).reply(429, { detail: 'slow down' })],
    ['500', (i: ReturnType<typeof harness>['pool']) => i.intercept({ path: ORG }).reply(500, { detail: 'oops' })],
    ['502', (i: ReturnType<typeof harness>['pool']) => i.intercept({ path: ORG }).reply(502, '<html>bad gateway</html>')],
    ['503', (i: ReturnType<typeof harness>['pool']) => i.intercept({ path: ORG }).reply(503, '')],
    ['a reset connection', (i: ReturnType<typeof harness>['pool']) => i.intercept({ path: ORG }).replyWithError(netError('ECONNRESET'))],
    ['a closed socket', (i: ReturnType<typeof harness>['pool']) => i.intercept({ path: ORG }).replyWithError(new undiciErrors.SocketError('other side closed'))],
  ])('retries a GET after %s and returns the eventual answer', async (_name, fail) => {
    const { pool, client, clock } = harness();
    fail(pool);
    pool.intercept({ path: ORG }).reply(200, ok, json);
    await expect(client.get(ORG)).resolves.toEqual(ok);
    expect(client.stats()).toMatchObject({ get: 2, retries: 1 });
    expect(clock.sleeps).toHaveLength(1);
  });

  it('keeps retrying a GET through a run of different failures', async () => {
    const { pool, client } = harness({ maxRetries: 5 });
    pool.intercept({ path: ORG }).reply(429, '');
    pool.intercept({ path: ORG }).reply(500, '');
    pool.intercept({ path: ORG }).reply(502, '');
    pool.intercept({ path: ORG }).reply(503, '');
    pool.intercept({ path: ORG }).replyWithError(netError('ECONNREFUSED'));
    pool.intercept({ path: ORG }).reply(200, ok, json);
    await expect(client.get(ORG)).resolves.toEqual(ok);
    expect(client.stats()).toMatchObject({ get: 6, retries: 5 });
  });

  it.each(['PUT', 'DELETE'] as const)('retries a %s on 5xx', async (method) => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG, method }).reply(503, { detail: 'unavailable' });
    pool.intercept({ path: ORG, method }).reply(500, { detail: 'oops' });
    pool.intercept({ path: ORG, method }).reply(200, ok, json);
    const result = method === 'PUT' ? client.put(ORG, { name: 'x' }) : client.delete(ORG);
    await expect(result).resolves.toEqual(ok);
    expect(client.stats().retries).toBe(2);
  });

  it('does not retry a POST on 500, and reports its outcome as uncertain', async () => {
    const { pool, client, clock } = harness();
    pool.intercept({ path: ORGS, method: 'POST' }).reply(500, { detail: 'internal error' });
    const err = await failure(client.post(ORGS, { name: 'frontend' }));
    expect(err).toMatchObject({ method: 'POST', path: ORGS, status: 500, detail: 'internal error', uncertain: true });
    expect(client.stats()).toMatchObject({ post: 1, retries: 0 });
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry a POST whose connection dropped after sending: status 0 and uncertain', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORGS, method: 'POST' }).replyWithError(netError('ECONNRESET', 'read ECONNRESET'));
    const err = await failure(client.post(ORGS, { name: 'frontend' }));
    expect(err).toMatchObject({ status: 0, uncertain: true, detail: 'connection reset (ECONNRESET)' });
    expect(err.message).toBe('POST /v3/enterprise/organizations failed: connection error: connection reset (ECONNRESET)');
    expect(client.stats()).toMatchObject({ post: 1, retries: 0 });
  });

  it('reports a POST refused before sending as failed but not uncertain', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORGS, method: 'POST' }).replyWithError(netError('ECONNREFUSED'));
    const err = await failure(client.post(ORGS, { name: 'frontend' }));
    expect(err).toMatchObject({ status: 0, uncertain: false, detail: 'connection refused (ECONNREFUSED)' });
    expect(client.stats().retries).toBe(0);
  });

  it('retries a POST on 429, where the server refused before acting', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORGS, method: 'POST' }).reply(429, { detail: 'rate limited' }, { headers: { 'retry-after': '0.05' } });
    pool.intercept({ path: ORGS, method: 'POST' }).reply(201, ok, json);
    await expect(client.post(ORGS, { name: 'frontend' })).resolves.toEqual(ok);
    expect(client.stats()).toMatchObject({ post: 2, retries: 1 });
  });

  it('retries a PATCH on 429 only', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG, method: 'PATCH' }).reply(429, '');
    pool.intercept({ path: ORG, method: 'PATCH' }).reply(200, ok, json);
    await expect(client.patch(ORG, { name: 'x' })).resolves.toEqual(ok);

    pool.intercept({ path: ORG, method: 'PATCH' }).reply(503, { detail: 'unavailable' });
    const err = await failure(client.patch(ORG, { name: 'x' }));
    expect(err).toMatchObject({ status: 503, uncertain: true });
    expect(client.stats()).toMatchObject({ patch: 3, retries: 1 });
  });

  it('retries a POST the caller marks idempotent on 5xx and dropped connections', async () => {
    const { pool, client } = harness();
    const path = '/v3/enterprise/idp-groups';
    pool.intercept({ path, method: 'POST' }).reply(502, '');
    pool.intercept({ path, method: 'POST' }).replyWithError(netError('ECONNRESET'));
    pool.intercept({ path, method: 'POST' }).reply(200, { items: [] }, json);
    await expect(client.post(path, { idp_group_names: ['eng'] }, { idempotent: true })).resolves.toEqual({ items: [] });
    expect(client.stats()).toMatchObject({ post: 3, retries: 2 });
  });

  it('treats a retried DELETE answered 404 as done, but not a first-attempt 404', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG, method: 'DELETE' }).replyWithError(netError('ECONNRESET'));
    pool.intercept({ path: ORG, method: 'DELETE' }).reply(404, { detail: 'Organization not found' });
    await expect(client.delete(ORG)).resolves.toBeUndefined();

    pool.intercept({ path: ORG, method: 'DELETE' }).reply(404, { detail: 'Organization not found' });
    const err = await failure(client.delete(ORG));
    expect(err).toMatchObject({ status: 404, detail: 'Organization not found', uncertain: false });
  });

  it('does not retry other 4xx answers', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: ORG }).reply(403, { detail: 'Forbidden' });
    const err = await failure(client.get(ORG));
    expect(err).toMatchObject({ status: 403, detail: 'Forbidden', uncertain: false });
    expect(client.stats().retries).toBe(0);
  });
});

describe('retry waits', () => {
  it('backs off exponentially with full jitter when there is no Retry-After', async () => {
    const { pool, client, clock } = harness({ random: () => 0.5, retryBaseMs: 250 });
    pool.intercept({ path: ORG }).reply(503, '').times(4);
    pool.intercept({ path: ORG }).reply(200, ok, json);
    await client.get(ORG);
    expect(clock.sleeps).toEqual([125, 250, 500, 1000]);
  });

  it('honours a decimal-seconds Retry-After', async () => {
    const { pool, client, clock } = harness();
    pool.intercept({ path: ORG }).reply(429, '', { headers: { 'retry-after': '0.05' } });
    pool.intercept({ path: ORG }).reply(200, ok, json);
    await client.get(ORG);
    expect(clock.sleeps).toEqual([50]);
  });

  it('honours an HTTP-date Retry-After', async () => {
    const { pool, client, clock } = harness();
    const at = new Date(clock.now() + 3_000).toUTCString();
    pool.intercept({ path: ORG }).reply(503, '', { headers: { 'retry-after': at } });
    pool.intercept({ path: ORG }).reply(200, ok, json);
    await client.get(ORG);
    expect(clock.sleeps).toEqual([3000]);
  });

  it('caps every wait at maxRetryWaitMs, Retry-After included', async () => {
    const { pool, client, clock } = harness({ maxRetryWaitMs: 1_000, random: () => 0.99 });
    pool.intercept({ path: ORG }).reply(429, '', { headers: { 'retry-after': '120' } });
    pool.intercept({ path: ORG }).reply(503, '').times(3);
    pool.intercept({ path: ORG }).reply(200, ok, json);
    await client.get(ORG);
    expect(clock.sleeps[0]).toBe(1000);
    expect(Math.max(...clock.sleeps)).toBe(1000);
    expect(clock.sleeps.slice(1, 3)).toEqual([495, 990]); // 0.99 × 500, 0.99 × 1000: below the cap
  });

  it('throws an ApiError with the last status and detail once retries are exhausted', async () => {
    const { pool, client, clock } = harness({ maxRetries: 3 });
    pool.intercept({ path: ORG, query: { expand: 'x' } }).reply(503, { detail: 'Service temporarily unavailable' }).times(4);
    const err = await failure(client.get(ORG, { expand: 'x' }));
    expect(err).toMatchObject({ method: 'GET', path: ORG, status: 503, detail: 'Service temporarily unavailable', uncertain: false });
    expect(err.message).toBe('GET /v3/enterprise/organizations/org-1 failed: HTTP 503: Service temporarily unavailable');
    expect(client.stats()).toMatchObject({ get: 4, retries: 3 });
    expect(clock.sleeps).toHaveLength(3);
  });

  it('throws status 0 once a GET has timed out on every attempt', async () => {
    const { pool, client } = harness({ maxRetries: 1, timeoutMs: 20 });
    pool.intercept({ path: ORG }).reply(200, ok, json).delay(1_000).times(2);
    const err = await failure(client.get(ORG));
    expect(err).toMatchObject({ status: 0, detail: 'no complete response within 20 ms', uncertain: false });
    expect(client.stats()).toMatchObject({ get: 2, retries: 1 });
  });

  it('reports a POST that timed out as uncertain, without retrying it', async () => {
    const { pool, client } = harness({ timeoutMs: 20 });
    pool.intercept({ path: SECRETS, method: 'POST' }).reply(200, ok, json).delay(1_000);
    const err = await failure(client.post(SECRETS, { key: 'K', value: 'v' }));
    expect(err).toMatchObject({ status: 0, uncertain: true });
    expect(client.stats()).toMatchObject({ post: 1, retries: 0 });
  });
});
