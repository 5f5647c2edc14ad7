// The HTTP client behind the ApiClient seam (src/api/types.ts): undici request() over an
// injected dispatcher, bearer auth, v3 cursor pagination, retries by route (D23) with
// jittered backoff and Retry-After, one shared limiter (D22), per-request timeouts, errors
// as ApiError with input-free details (D13), and --debug lines with secrets redacted.

import { performance } from 'node:perf_hooks';
import { Agent, request, type Dispatcher } from 'undici';
import { classifyTransportError, extractDetail, type TransportFailure } from './errors.js';
import { Limiter } from './limiter.js';
import { collectPages, PAGE_SIZE } from './pagination.js';
import { formatBodyForLog, redactedStrings, scrubText } from './redact.js';
import { isRetryableStatus, parseRetryAfter, retryClassOf, retryWait, type Method } from './retry.js';
import { ApiError, type ApiClient, type ListOptions, type Query, type RequestOptions } from './types.js';
import { DEFAULT_USER_AGENT } from './version.js';

export interface ProgressEvent {
  /** ListOptions.label, or the path when none was given. */
  label: string;
  /** 1-based number of the page just read. */
  page: number;
  /** Items read so far in this list, this page included. */
  items: number;
}

export interface ClientOptions {
  /** e.g. "https://api.devin.ai" (a trailing slash is dropped). See resolveConnection(). */
  baseUrl: string;
  token: string;
  /** Default: a keep-alive Agent owned (and closed) by the client. See createDispatcher(). */
  dispatcher?: Dispatcher;
  /** Per request attempt, headers and body included. Default 30000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** Backoff base: retry n waits a uniform random time in [0, retryBaseMs * 2^n). Default 250. */
  retryBaseMs?: number;
  /** Cap on every single wait, Retry-After included (--max-retry-wait). Default 60000. */
  maxRetryWaitMs?: number;
  /** Requests in flight at most, reads and writes alike (--parallelism). Default 4. */
  parallelism?: number;
  /** Token bucket rate, requests per second (--max-rps). Default: none. */
  maxRps?: number;
  /** --debug: one line per request, response and retry; secrets redacted, no headers. */
  log?: (line: string) => void;
  /** Called once per page of a list(). */
  onProgress?: (event: ProgressEvent) => void;
  /** [0, 1) source for backoff jitter (tests inject it). Default Math.random. */
  random?: () => number;
  /** Waits between retries and for the rate limiter (tests inject it). */
  sleep?: (ms: number) => Promise<void>;
  /** Clock in ms for Retry-After dates and the limiter (tests inject it). Default Date.now. */
  now?: () => number;
  /** Default `devinctl/<version>`. */
  userAgent?: string;
}

/** The ApiClient plus what only the CLI needs: the shared limiter and a way to close sockets. */
export interface HttpApiClient extends ApiClient {
  readonly limiter: Limiter;
  /** Closes the dispatcher if the client created it (an injected one is left to its owner). */
  close(): Promise<void>;
}

type Attempt =
  | { kind: 'response'; status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; ms: number }
  | { kind: 'transport'; failure: TransportFailure; ms: number };

interface CallSpec {
  method: Method;
  path: string;
  query?: Query;
  body?: unknown;
  options?: RequestOptions;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createApiClient(options: ClientOptions): HttpApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = positive('timeoutMs', options.timeoutMs ?? 30_000);
  const maxRetries = nonNegativeInteger('maxRetries', options.maxRetries ?? 4);
  const retryBaseMs = nonNegative('retryBaseMs', options.retryBaseMs ?? 250);
  const maxRetryWaitMs = nonNegative('maxRetryWaitMs', options.maxRetryWaitMs ?? 60_000);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const baseLog = options.log;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000 });
  const limiter = new Limiter({ parallelism: options.parallelism ?? 4, maxRps: options.maxRps, now, sleep });
  const baseHeaders: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
    'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
  };
  const counts = { get: 0, post: 0, put: 0, patch: 0, delete: 0, retries: 0 };

  /** One HTTP exchange under the per-attempt timeout; network failures come back classified. */
  async function attemptOnce(method: Method, url: string, payload: string | undefined): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const headers = payload === undefined ? baseHeaders : { ...baseHeaders, 'content-type': 'application/json' };
    try {
      const res = await request(url, {
        method,
        headers,
        body: payload,
        dispatcher,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return { kind: 'response', status: res.statusCode, headers: res.headers, body, ms: elapsed() };
    } catch (err) {
      if (timedOut) {
        const failure = { code: 'TIMEOUT', detail: `no complete response within ${timeoutMs} ms`, retryable: true, sent: true };
        return { kind: 'transport', failure, ms: elapsed() };
      }
      const failure = classifyTransportError(err);
      if (failure === undefined) throw err; // not a network failure: a bug, surface it unchanged
      return { kind: 'transport', failure, ms: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  async function call({ method, path, query, body, options: opts = {} }: CallSpec): Promise<unknown> {
    if (!path.startsWith('/')) throw new TypeError(`API path must start with "/": ${path}`);
    const bare = path.split('?', 1)[0];
    const target = path + queryString(query, path.includes('?'));
    const url = baseUrl + target;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const retryClass = retryClassOf(method, opts.idempotent);
    const redactFields = opts.redact ?? [];
    const mayHaveActed = method !== 'GET';
    // D13, second line of defence: what this request sent in a redacted field (a secret value, a
    // token) and the bearer token never come back out through an error detail or a log line.
    const sent = [...redactedStrings(body, redactFields), options.token];
    const log = baseLog && ((line: string) => baseLog(scrubText(line, sent)));

    for (let attempt = 0; ; attempt++) {
      const permit = await limiter.acquire();
      counts[method.toLowerCase() as Lowercase<Method>]++;
      if (attempt > 0) counts.retries++;
      log?.(`→ ${method} ${target}${body === undefined ? '' : ` ${formatBodyForLog(body, redactFields)}`}`);

      let result: Attempt;
      try {
        result = await attemptOnce(method, url, payload);
      } catch (err) {
        permit.release('failed');
        throw err;
      }

      const retry = async (wait: number, why: string): Promise<void> => {
        log?.(`↻ retry ${attempt + 1}/${maxRetries} of ${method} ${target} in ${wait}ms after ${why}`);
        await sleep(wait);
      };

      if (result.kind === 'transport') {
        const { failure } = result;
        permit.release('failed');
        log?.(`← connection error ${method} ${target} ${result.ms}ms: ${failure.detail}`);
        if (failure.retryable && retryClass === 'all' && attempt < maxRetries) {
          await retry(waitFor(attempt, undefined), failure.code);
          continue;
        }
        throw new ApiError(method, bare, 0, failure.detail, mayHaveActed && failure.sent);
      }

      const { status } = result;
      if (status >= 200 && status < 300) {
        permit.release('ok');
        const value = parseSuccess(method, bare, status, result.body);
        log?.(`← ${status} ${method} ${target} ${result.ms}ms${value === undefined ? '' : ` ${formatBodyForLog(value, redactFields)}`}`);
        return value;
      }

      permit.release(status === 429 ? 'throttled' : status >= 500 ? 'failed' : 'ok');
      if (method === 'DELETE' && status === 404 && attempt > 0) {
        // D23: an earlier attempt may have deleted it; gone is what we wanted.
        log?.(`← 404 ${method} ${target} ${result.ms}ms: already gone after a retry, treated as deleted`);
        return undefined;
      }
      // Error bodies are never logged (they may echo input): only the extracted detail.
      const detail = scrubText(extractDetail(status, result.body), sent);
      log?.(`← ${status} ${method} ${target} ${result.ms}ms: ${detail}`);
      if (isRetryableStatus(status, retryClass) && attempt < maxRetries) {
        const wait = waitFor(attempt, parseRetryAfter(result.headers['retry-after'], now()));
        if (status === 429) limiter.pause(wait); // the whole client holds off, not just this call
        await retry(wait, `HTTP ${status}`);
        continue;
      }
      throw new ApiError(method, bare, status, detail, mayHaveActed && status >= 500);
    }
  }

  function waitFor(attempt: number, retryAfterMs: number | undefined): number {
    return retryWait({ attempt, retryAfterMs, baseMs: retryBaseMs, maxWaitMs: maxRetryWaitMs, random });
  }

  return {
    baseUrl,
    limiter,
    get: <T>(path: string, query?: Query) => call({ method: 'GET', path, query }) as Promise<T>,
    list: <T>(path: string, query?: Query, listOptions?: ListOptions): Promise<T[]> => {
      const label = listOptions?.label ?? path;
      const bare = path.split('?', 1)[0];
      return collectPages<T>(
        bare,
        (after) => call({ method: 'GET', path, query: { ...query, first: query?.first ?? PAGE_SIZE, after } }),
        (progress) => options.onProgress?.({ label, ...progress }),
      );
    },
    post: <T>(path: string, body: unknown, opts?: RequestOptions) => call({ method: 'POST', path, body, options: opts }) as Promise<T>,
    put: <T>(path: string, body: unknown, opts?: RequestOptions) => call({ method: 'PUT', path, body, options: opts }) as Promise<T>,
    patch: <T>(path: string, body: unknown, opts?: RequestOptions) => call({ method: 'PATCH', path, body, options: opts }) as Promise<T>,
    delete: <T>(path: string, opts?: RequestOptions) => call({ method: 'DELETE', path, options: opts }) as Promise<T>,
    stats: () => ({ ...counts }),
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

/** A 2xx body: empty → undefined, else JSON. Broken JSON after a write leaves its outcome unknown. */
function parseSuccess(method: Method, path: string, status: number, body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(method, path, status, `invalid JSON in HTTP ${status} response (${body.length} bytes)`, method !== 'GET');
  }
}

function queryString(query: Query | undefined, pathHasQuery: boolean): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `${pathHasQuery ? '&' : '?'}${text}`;
}

function positive(name: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be zero or more, got ${value}`);
  return value;
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}
