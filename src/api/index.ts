// The public face of src/api: the client, connection resolution, and the seam types.
// Kinds and the engine should depend on ApiClient (types.ts) only; the CLI wires the rest.

export { ApiError, InconsistentReadError } from './types.js';
export type { ApiClient, ListOptions, Query, RequestOptions } from './types.js';
export { createApiClient } from './client.js';
export type { ClientOptions, HttpApiClient, ProgressEvent } from './client.js';
export { createDispatcher, DEFAULT_API_URL, isLoopbackHost, resolveConnection } from './connection.js';
export type { Connection, Env } from './connection.js';
export { Limiter } from './limiter.js';
export type { LimiterOptions, LimiterState, Outcome, Permit } from './limiter.js';
export { extractDetail, formatValidationErrors } from './errors.js';
export { redact, REDACTED } from './redact.js';
export { MAX_PAGES, PAGE_SIZE } from './pagination.js';
export { DEFAULT_USER_AGENT, VERSION } from './version.js';
