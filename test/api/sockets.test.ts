// The transport classification against real loopback sockets, so the error shapes are
// undici's own and not the ones the MockAgent tests construct.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.js';
import { createDispatcher } from '../../src/api/connection.js';
import type { Dispatcher } from 'undici';

const servers: Server[] = [];
const dispatchers: Dispatcher[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, extra: { timeoutMs?: number } = {}) {
  const dispatcher = createDispatcher(baseUrl, {});
  dispatchers.push(dispatcher);
  return createApiClient({ baseUrl, token: 'cog_t', dispatcher, sleep: async () => {}, ...extra });
}

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.destroy()));
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('over real sockets', () => {
  it('reports a POST to a closed port as refused, not uncertain', async () => {
    const url = await serve(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve)); // the port is now closed
    await expect(client(url).post('/v3/x', {})).rejects.toMatchObject({ status: 0, uncertain: false, detail: expect.stringContaining('ECONNREFUSED') });
  });

  it('reports a POST whose connection the server drops as uncertain', async () => {
    let hits = 0;
    const url = await serve((req) => {
      hits++;
      req.socket.destroy();
    });
    await expect(client(url).post('/v3/x', { a: 1 })).rejects.toMatchObject({ status: 0, uncertain: true });
    expect(hits).toBe(1);
  });

  it('retries a GET whose connection the server drops, then succeeds', async () => {
    let hits = 0;
    const url = await serve((req, res) => {
      if (++hits < 3) return void req.socket.destroy();
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await expect(client(url).get('/v3/x')).resolves.toEqual({ ok: true });
    expect(hits).toBe(3);
  });

  it('times out a request that gets no answer', async () => {
    const url = await serve(() => {}); // never answers
    await expect(client(url, { timeoutMs: 50 }).post('/v3/x', {})).rejects.toMatchObject({ status: 0, uncertain: true });
  });
});
