// Turning failed HTTP exchanges into short, safe ApiError details.
// Two jobs: extract a human message from an error response body (FastAPI `{"detail": …}`,
// FastAPI 422 validation arrays, RFC 9457 problem+json), and classify transport failures
// (refused, reset, timeout, TLS) by whether the request may have reached the server.
// Nothing here ever echoes request input (D13): 422 `input`/`ctx` are dropped, and a body
// we cannot parse is described by its size only, never quoted.

/** Longest detail kept from a server message; longer ones are cut with an ellipsis. */
const MAX_DETAIL_CHARS = 500;

/**
 * The message of an error response, safe to show and log.
 * - `{"detail": "text"}` → "text"
 * - `{"detail": [{loc, msg, …}]}` → "body.key: msg; …" (only `loc` and `msg` are read)
 * - problem+json `{title, detail}` → detail when it is a string, else title
 * - anything else → a generic description with the status and body size
 */
export function extractDetail(status: number, body: Uint8Array): string {
  if (body.length === 0) return `HTTP ${status} (empty body)`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return `HTTP ${status} (non-JSON body, ${body.length} bytes)`;
  }
  if (isRecord(parsed)) {
    const { detail, title } = parsed;
    if (typeof detail === 'string' && detail.trim() !== '') return clip(detail);
    if (Array.isArray(detail)) {
      const text = formatValidationErrors(detail);
      if (text !== '') return clip(text);
    }
    if (typeof title === 'string' && title.trim() !== '') return clip(title);
  }
  return `HTTP ${status} (JSON body without a detail, ${body.length} bytes)`;
}

/**
 * FastAPI/pydantic validation errors as "body.items[0].key: msg; …".
 * Built ONLY from `loc` and `msg`: `input` and `ctx` can echo secret values (D13).
 */
export function formatValidationErrors(items: unknown[]): string {
  const parts: string[] = [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    const msg = typeof item.msg === 'string' ? item.msg : undefined;
    const loc = Array.isArray(item.loc) ? formatLoc(item.loc) : '';
    if (msg === undefined && loc === '') continue;
    parts.push(loc === '' ? (msg ?? 'invalid') : `${loc}: ${msg ?? 'invalid'}`);
  }
  return parts.join('; ');
}

function formatLoc(loc: unknown[]): string {
  let out = '';
  for (const part of loc) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string') out += out === '' ? part : `.${part}`;
  }
  return out;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS ? `${oneLine.slice(0, MAX_DETAIL_CHARS - 1)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a transport failure means for retrying and for the outcome of a write. */
export interface TransportFailure {
  /** errno or undici code, e.g. "ECONNRESET", "UND_ERR_SOCKET", "TIMEOUT". */
  code: string;
  /** Short, input-free description for ApiError.detail. */
  detail: string;
  /** Retrying can help (reset, refused, timeout), as opposed to a TLS or certificate failure. */
  retryable: boolean;
  /** The request may have reached the server (false only when the connection was never made). */
  sent: boolean;
}

/** The connection was never established: nothing reached the server. */
const NOT_SENT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EADDRNOTAVAIL: 'address not available',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
};

/** The connection dropped or stalled at some point after it was made. */
const MAYBE_SENT: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'socket closed by the other side',
  UND_ERR_CLOSED: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for response headers',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the response body',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response body cut short',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'request body cut short',
};

/**
 * Classifies an error thrown by undici. Returns undefined for errors that are not about the
 * network (invalid arguments, mock mismatches, bugs): the caller rethrows those unchanged.
 */
export function classifyTransportError(err: unknown): TransportFailure | undefined {
  const code = findCode(err);
  if (code === undefined) return undefined;
  if (code in NOT_SENT) return { code, detail: `${NOT_SENT[code]} (${code})`, retryable: true, sent: false };
  if (code in MAYBE_SENT) return { code, detail: `${MAYBE_SENT[code]} (${code})`, retryable: true, sent: true };
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_)/.test(code) || code.includes('_CERT_')) {
    return { code, detail: `TLS error (${code})`, retryable: false, sent: false };
  }
  if (code.startsWith('HPE_')) return { code, detail: `malformed HTTP response (${code})`, retryable: true, sent: true };
  // Any other errno-style system error (ENETDOWN, …): a network problem of unknown timing.
  if (/^E[A-Z0-9_]+$/.test(code)) return { code, detail: `connection error (${code})`, retryable: true, sent: true };
  return undefined;
}

/** The first `code` found on the error, its `cause` chain, or an AggregateError's members. */
function findCode(err: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof err !== 'object' || err === null) return undefined;
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && code !== '') return code;
  const fromCause = findCode(cause, depth + 1);
  if (fromCause !== undefined) return fromCause;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = findCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
