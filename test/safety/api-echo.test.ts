// D13 beyond the emulator: a server that echoes what it was sent in every way an API might (a 422
// whose msg repeats the input, a string detail, a problem+json title, a 401 that repeats the
// token, a success reply with the value under an unexpected name). The client's errors and its
// --debug log lines never carry the secret value or the bearer token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/api/client.js';
import { ApiError } from '../../src/api/types.js';

const SECRET = 'CANARY-SECRET-7f3a9c-echo';
// made at run time so nothing token-like is committed
const TOKEN = ['cog', 'CANARY', 'TOKEN', 'echo', 'server', 'test'].join('_');

let server: Server;
let url: string;

/** Answers every request by path, echoing the request's body and Authorization header. */
beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const sent = raw ? (JSON.parse(raw) as { value?: string; token?: string }) : {};
      const auth = req.headers.authorization ?? '';
      const reply = (status: number, body: unknown, type = 'application/json') => {
        res.writeHead(status, { 'content-type': type });
        res.end(JSON.stringify(body));
      };
      switch (req.url) {
        case '/422':
          return reply(422, { detail: [{ type: 'value_error', loc: ['body', 'value'], msg: `Value error, '${sent.value}' is not base32`, input: sent.value, ctx: { got: sent.value } }] });
        case '/400':
          return reply(400, { detail: `secret value ${sent.value} is too weak` });
        case '/problem':
          return reply(400, { title: `bad value ${sent.value}`, status: 400 }, 'application/problem+json');
        case '/401':
          return reply(401, { detail: `token ${auth.replace(/^Bearer /, '')} is not valid` });
        case '/ok':
          return reply(200, { secret_id: 'secret-1', secret_value: sent.value, echoed_auth: auth });
        default:
          return reply(404, { detail: 'Not Found' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

function client() {
  const logs: string[] = [];
  const api = createApiClient({ baseUrl: url, token: TOKEN, maxRetries: 0, log: (l) => logs.push(l) });
  return { api, logs };
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('an API that echoes its input', () => {
  it.each([
    ['a 422 whose msg repeats the value', '/422', /^body\.value: Value error, '\(redacted\)' is not base32$/],
    ['a string detail that repeats the value', '/400', /^secret value \(redacted\) is too weak$/],
    ['a problem+json title that repeats the value', '/problem', /^bad value \(redacted\)$/],
  ])('is reported without the value when it sends %s', async (_name, path, detail) => {
    const { api, logs } = client();
    const e = await failure(api.post(path, { type: 'totp', key: 'SEED', value: SECRET }, { redact: ['value'] }));
    expect(e.detail).toMatch(detail);
    expect(e.message).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(logs.some((l) => l.startsWith('← 4'))).toBe(true);
    await api.close();
  });

  it('is reported without the token when a 401 repeats it', async () => {
    const { api, logs } = client();
    const e = await failure(api.get('/401'));
    expect(e.status).toBe(401);
    expect(e.detail).toBe('token (redacted) is not valid');
    expect(logs.join('\n')).not.toContain(TOKEN);
    await api.close();
  });

  it('keeps the value and the token out of --debug lines when a success reply repeats them under other names', async () => {
    const { api, logs } = client();
    const reply = await api.post<{ secret_value: string }>('/ok', { key: 'K', value: SECRET });
    expect(reply.secret_value).toBe(SECRET); // the caller still gets the reply as sent
    const text = logs.join('\n');
    expect(text).toContain('"secret_value":"(redacted)"');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    await api.close();
  });
});
