// Where to connect and with what: the API base URL and token from flags and environment
// (DESIGN "Connection"), and the undici dispatcher for it (keep-alive; HTTPS_PROXY/NO_PROXY
// honoured; loopback always direct, D20). Pure apart from constructing the dispatcher;
// the environment is passed in, never read from process.env here.

import { isIP } from 'node:net';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

export const DEFAULT_API_URL = 'https://api.devin.ai';

export interface Connection {
  baseUrl: string;
  token: string;
}

export type Env = Record<string, string | undefined>;

/** Token: DEVIN_API_TOKEN, else DEVIN_TOKEN. Base URL: apiUrl, else DEVIN_API_URL, else the SaaS host. */
export function resolveConnection(input: { apiUrl?: string; env: Env }): Connection | { errors: string[] } {
  const errors: string[] = [];

  const fromFlag = input.apiUrl !== undefined;
  const rawUrl = fromFlag ? input.apiUrl! : nonEmpty(input.env.DEVIN_API_URL) ?? DEFAULT_API_URL;
  const source = fromFlag ? '--api-url' : input.env.DEVIN_API_URL ? 'DEVIN_API_URL' : 'the default API URL';
  const url = checkBaseUrl(rawUrl, source);
  if ('error' in url) errors.push(url.error);

  const tokenVar = nonEmpty(input.env.DEVIN_API_TOKEN) !== undefined ? 'DEVIN_API_TOKEN' : 'DEVIN_TOKEN';
  const token = nonEmpty(input.env[tokenVar])?.trim();
  if (token === undefined || token === '') {
    errors.push('no API token: set DEVIN_API_TOKEN (or DEVIN_TOKEN) to a Devin service-user API key or personal access token (cog_…)');
  } else if (/[\s\x00-\x1f\x7f]/.test(token)) {
    // Never quote the token itself, even a malformed one.
    errors.push(`${tokenVar} contains whitespace or control characters; it must be the bare token`);
  }

  if (errors.length > 0 || 'error' in url || token === undefined) return { errors };
  return { baseUrl: url.baseUrl, token };
}

function checkBaseUrl(raw: string, source: string): { baseUrl: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: `${source} is not a valid URL (expected e.g. ${DEFAULT_API_URL})` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { error: `${source} must use https:// (got ${url.protocol}//)` };
  }
  if (url.username !== '' || url.password !== '') {
    return { error: `${source} must not contain credentials; put the token in DEVIN_API_TOKEN` };
  }
  if (url.search !== '' || url.hash !== '') {
    return { error: `${source} must not contain a query string or fragment` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { error: `${source}: plain http:// is only allowed for loopback addresses (127.0.0.0/8, ::1, localhost); use https://` };
  }
  return { baseUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped 127.x), and "localhost". Accepts URL.hostname's [::1] form. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family === 4) return host.split('.')[0] === '127';
  if (family === 6) {
    if (host === '::1') return true;
    const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):[0-9a-f]{1,4})$/.exec(host);
    if (mapped?.[1] !== undefined) return mapped[1].split('.')[0] === '127';
    if (mapped?.[2] !== undefined) return parseInt(mapped[2], 16) >> 8 === 127;
  }
  return false;
}

/**
 * The dispatcher for baseUrl: loopback → a plain keep-alive Agent (never proxied, D20);
 * else a proxy from HTTPS_PROXY / https_proxy / HTTP_PROXY / http_proxy when set (EnvHttpProxyAgent,
 * which honours NO_PROXY / no_proxy); else a keep-alive Agent. Only `env` is consulted.
 */
export function createDispatcher(baseUrl: string, env: Env): Dispatcher {
  const keepAlive = { keepAliveTimeout: 30_000 };
  if (isLoopbackHost(new URL(baseUrl).hostname)) return new Agent(keepAlive);
  const httpsProxy = nonEmpty(env.https_proxy) ?? nonEmpty(env.HTTPS_PROXY);
  const httpProxy = nonEmpty(env.http_proxy) ?? nonEmpty(env.HTTP_PROXY);
  if (httpsProxy === undefined && httpProxy === undefined) return new Agent(keepAlive);
  // Empty strings, not undefined: undici would otherwise fall back to process.env.
  return new EnvHttpProxyAgent({
    ...keepAlive,
    httpsProxy: httpsProxy ?? '',
    httpProxy: httpProxy ?? '',
    noProxy: nonEmpty(env.no_proxy) ?? nonEmpty(env.NO_PROXY) ?? '',
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
