// Retry policy by route (D23, NOTES §3.3) and backoff arithmetic.
// GET/PUT/DELETE are safe to repeat: retried on 429, 5xx and dropped connections.
// POST/PATCH may create or change something twice: retried on 429 only (the server refused
// the request before acting on it), unless the caller says the route is idempotent.

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** "all": 429, 5xx and connection errors are retried. "throttle-only": only 429. */
export type RetryClass = 'all' | 'throttle-only';

export function retryClassOf(method: Method, idempotent = false): RetryClass {
  if (method === 'POST' || method === 'PATCH') return idempotent ? 'all' : 'throttle-only';
  return 'all';
}

/** Whether a response status is worth retrying under the given class. */
export function isRetryableStatus(status: number, retryClass: RetryClass): boolean {
  if (status === 429) return true;
  return retryClass === 'all' && status >= 500 && status <= 599;
}

/**
 * Parses Retry-After: delta seconds (decimals allowed, e.g. "0.05") or an HTTP date.
 * Returns the wait in ms (never negative), or undefined when absent or unparsable.
 */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only attempt a date for strings that look like one (IMF-fixdate, RFC 850, asctime).
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Full jitter: a uniform wait in [0, baseMs * 2^attempt), attempt counting from 0. */
export function backoffDelay(attempt: number, baseMs: number, random: () => number): number {
  const ceiling = baseMs * 2 ** Math.min(attempt, 30);
  return Math.floor(random() * ceiling);
}

/** The wait before retry number `attempt` (0-based): Retry-After when given, else backoff; capped. */
export function retryWait(opts: {
  attempt: number;
  retryAfterMs: number | undefined;
  baseMs: number;
  maxWaitMs: number;
  random: () => number;
}): number {
  const wanted = opts.retryAfterMs ?? backoffDelay(opts.attempt, opts.baseMs, opts.random);
  return Math.max(0, Math.min(wanted, opts.maxWaitMs));
}
