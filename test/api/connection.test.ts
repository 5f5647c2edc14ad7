import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, DEFAULT_API_URL, isLoopbackHost, resolveConnection } from '../../src/api/connection.js';

const TOKEN = 'cog_abc123';

describe('resolveConnection', () => {
  it('defaults to the SaaS API with the token from DEVIN_API_TOKEN', () => {
    expect(resolveConnection({ env: { DEVIN_API_TOKEN: TOKEN } })).toEqual({ baseUrl: DEFAULT_API_URL, token: TOKEN });
  });

  it('prefers DEVIN_API_TOKEN over DEVIN_TOKEN, and falls back to DEVIN_TOKEN', () => {
    expect(resolveConnection({ env: { DEVIN_API_TOKEN: 'cog_a', DEVIN_TOKEN: 'cog_b' } })).toMatchObject({ token: 'cog_a' });
    expect(resolveConnection({ env: { DEVIN_TOKEN: 'cog_b' } })).toMatchObject({ token: 'cog_b' });
    expect(resolveConnection({ env: { DEVIN_API_TOKEN: '', DEVIN_TOKEN: 'cog_b' } })).toMatchObject({ token: 'cog_b' });
  });

  it('says which variables to set when there is no token', () => {
    const result = resolveConnection({ env: {} });
    expect(result).toEqual({ errors: [expect.stringMatching(/no API token: set DEVIN_API_TOKEN \(or DEVIN_TOKEN\)/)] });
  });

  it('trims a trailing newline from the token but refuses inner whitespace without quoting the token', () => {
    expect(resolveConnection({ env: { DEVIN_API_TOKEN: `${TOKEN}\n` } })).toMatchObject({ token: TOKEN });
    const result = resolveConnection({ env: { DEVIN_API_TOKEN: 'cog_a b' } });
    expect(result).toEqual({ errors: ['DEVIN_API_TOKEN contains whitespace or control characters; it must be the bare token'] });
  });

  it('takes the base URL from --api-url over DEVIN_API_URL, dropping a trailing slash', () => {
    const env = { DEVIN_API_TOKEN: TOKEN, DEVIN_API_URL: 'https://api.acme.devinenterprise.com/' };
    expect(resolveConnection({ env })).toMatchObject({ baseUrl: 'https://api.acme.devinenterprise.com' });
    expect(resolveConnection({ apiUrl: 'https://other.example/', env })).toMatchObject({ baseUrl: 'https://other.example' });
    expect(resolveConnection({ apiUrl: 'https://other.example/prefix//', env })).toMatchObject({ baseUrl: 'https://other.example/prefix' });
  });

  it.each(['http://127.0.0.1:8080', 'http://127.4.5.6', 'http://localhost:3000/', 'http://[::1]:9000', 'http://LOCALHOST'])(
    'allows plain http to the loopback address %s',
    (apiUrl) => {
      const result = resolveConnection({ apiUrl, env: { DEVIN_API_TOKEN: TOKEN } });
      expect(result).toMatchObject({ baseUrl: apiUrl.toLowerCase().replace(/\/$/, '') });
    },
  );

  it.each(['http://api.devin.ai', 'http://10.0.0.1', 'http://128.0.0.1', 'http://localhost.evil.example', 'http://[::2]'])(
    'refuses plain http to the remote address %s',
    (apiUrl) => {
      const result = resolveConnection({ apiUrl, env: { DEVIN_API_TOKEN: TOKEN } });
      expect(result).toEqual({ errors: [expect.stringContaining('plain http:// is only allowed for loopback addresses')] });
    },
  );

  it('refuses other schemes, credentials in the URL and unparsable URLs', () => {
    const env = { DEVIN_API_TOKEN: TOKEN };
    expect(resolveConnection({ apiUrl: 'ftp://api.devin.ai', env })).toEqual({ errors: ['--api-url must use https:// (got ftp://)'] });
    expect(resolveConnection({ apiUrl: 'https://u:p@api.devin.ai', env })).toEqual({ errors: [expect.stringContaining('must not contain credentials')] });
    expect(resolveConnection({ apiUrl: 'https://api.devin.ai/?x=1', env })).toEqual({ errors: [expect.stringContaining('query string')] });
    expect(resolveConnection({ apiUrl: 'not a url', env })).toEqual({ errors: [expect.stringContaining('--api-url is not a valid URL')] });
    expect(resolveConnection({ env: { ...env, DEVIN_API_URL: 'http://api.devin.ai' } })).toEqual({
      errors: [expect.stringMatching(/^DEVIN_API_URL: plain http:\/\//)],
    });
  });

  it('reports a bad URL and a missing token together', () => {
    const result = resolveConnection({ apiUrl: 'http://remote.example', env: {} });
    expect('errors' in result && result.errors).toHaveLength(2);
  });
});

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost', () => {
    for (const host of ['127.0.0.1', '127.255.255.254', '[::1]', '::1', 'localhost', '[::ffff:7f00:1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['126.0.0.1', '0.0.0.0', '[::]', 'example.com', 'localhost.example', '[::ffff:a00:1]']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

describe('createDispatcher', () => {
  const made: Dispatcher[] = [];
  const make = (url: string, env: Record<string, string | undefined>) => {
    const d = createDispatcher(url, env);
    made.push(d);
    return d;
  };
  afterEach(async () => {
    await Promise.all(made.splice(0).map((d) => d.close()));
  });

  it('connects directly without a proxy setting', () => {
    expect(make('https://api.devin.ai', {})).toBeInstanceOf(Agent);
  });

  it.each(['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'])('goes through the proxy in %s (which honours NO_PROXY)', (name) => {
    const d = make('https://api.devin.ai', { [name]: 'http://proxy.internal:3128', NO_PROXY: 'internal' });
    expect(d).toBeInstanceOf(EnvHttpProxyAgent);
  });

  it('never proxies loopback traffic (D20)', () => {
    expect(make('http://127.0.0.1:4010', { HTTPS_PROXY: 'http://proxy.internal:3128', HTTP_PROXY: 'http://proxy.internal:3128' })).toBeInstanceOf(Agent);
  });
});
