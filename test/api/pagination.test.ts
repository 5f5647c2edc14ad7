import { describe, expect, it } from 'vitest';
import { collectPages, MAX_PAGES } from '../../src/api/pagination.js';
import { InconsistentReadError } from '../../src/api/types.js';
import { harness, json } from './helpers.js';

const PATH = '/v3/enterprise/organizations';

describe('list pagination', () => {
  it('follows cursors across three pages, asking for 200 a page', async () => {
    const events: unknown[] = [];
    const { pool, client } = harness({ onProgress: (e) => events.push(e) });
    pool.intercept({ path: PATH, query: { first: '200' } }).reply(200, { items: [{ n: 1 }, { n: 2 }], end_cursor: 'c1', has_next_page: true, total: 5 }, json);
    pool.intercept({ path: PATH, query: { first: '200', after: 'c1' } }).reply(200, { items: [{ n: 3 }, { n: 4 }], end_cursor: 'c2', has_next_page: true }, json);
    pool.intercept({ path: PATH, query: { first: '200', after: 'c2' } }).reply(200, { items: [{ n: 5 }], end_cursor: null, has_next_page: false }, json);

    const items = await client.list<{ n: number }>(PATH, undefined, { label: 'organizations' });

    expect(items.map((i) => i.n)).toEqual([1, 2, 3, 4, 5]);
    expect(events).toEqual([
      { label: 'organizations', page: 1, items: 2 },
      { label: 'organizations', page: 2, items: 4 },
      { label: 'organizations', page: 3, items: 5 },
    ]);
    expect(client.stats().get).toBe(3);
  });

  it('keeps the caller\'s query on every page and labels progress with the path by default', async () => {
    const events: Array<{ label: string }> = [];
    const { pool, client } = harness({ onProgress: (e) => events.push(e) });
    const path = '/v3/enterprise/members/service-users';
    pool.intercept({ path, query: { include_inactive: 'true', first: '200' } }).reply(200, { items: [1], end_cursor: 'a', has_next_page: true }, json);
    pool.intercept({ path, query: { include_inactive: 'true', first: '200', after: 'a' } }).reply(200, { items: [2] }, json);
    await expect(client.list(path, { include_inactive: true })).resolves.toEqual([1, 2]);
    expect(events[0].label).toBe(path);
  });

  it('stops when has_next_page is absent, as the API defaults it to false', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: PATH, query: { first: '200' } }).reply(200, { items: [1], end_cursor: 'ignored' }, json);
    await expect(client.list(PATH)).resolves.toEqual([1]);
  });

  it('lets a caller ask for a smaller page where an endpoint caps first lower', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: PATH, query: { first: '100' } }).reply(200, { items: [] }, json);
    await expect(client.list(PATH, { first: 100 })).resolves.toEqual([]);
  });

  it.each([
    ['null', { end_cursor: null }],
    ['missing', {}],
    ['empty', { end_cursor: '' }],
  ])('refuses has_next_page with a %s end_cursor instead of returning a partial list', async (_name, cursor) => {
    const { pool, client } = harness();
    pool.intercept({ path: PATH, query: { first: '200' } }).reply(200, { items: [1], has_next_page: true, ...cursor }, json);
    const err = await client.list(PATH).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InconsistentReadError);
    expect((err as InconsistentReadError).path).toBe(PATH);
    expect((err as Error).message).toMatch(/has_next_page but gives no end_cursor; refusing to plan/);
  });

  it('refuses a cursor seen twice (a pagination loop)', async () => {
    const { pool, client } = harness();
    pool.intercept({ path: PATH, query: { first: '200' } }).reply(200, { items: [1], end_cursor: 'c1', has_next_page: true }, json);
    pool.intercept({ path: PATH, query: { first: '200', after: 'c1' } }).reply(200, { items: [2], end_cursor: 'c2', has_next_page: true }, json);
    pool.intercept({ path: PATH, query: { first: '200', after: 'c2' } }).reply(200, { items: [3], end_cursor: 'c1', has_next_page: true }, json);
    await expect(client.list(PATH)).rejects.toThrow(/repeats the cursor of an earlier page/);
  });

  it.each([
    ['items is an object', { items: { a: 1 }, has_next_page: false }],
    ['items is missing', { has_next_page: false }],
    ['the page is an array', [1, 2, 3]],
    ['the page is empty', undefined],
  ])('refuses a page where %s', async (_name, body) => {
    const { pool, client } = harness();
    pool.intercept({ path: PATH, query: { first: '200' } }).reply(200, body === undefined ? '' : body, json);
    await expect(client.list(PATH)).rejects.toBeInstanceOf(InconsistentReadError);
  });

  it('refuses a read of more than 10,000 pages', async () => {
    let calls = 0;
    const fetchPage = async () => ({ items: [], end_cursor: `c${++calls}`, has_next_page: true });
    await expect(collectPages(PATH, fetchPage)).rejects.toThrow(`more than ${MAX_PAGES} pages`);
    expect(calls).toBe(MAX_PAGES);
  });
});
