// The seam between the kinds/engine and the HTTP client: what a kind may call.
// Implemented by api/client.ts (undici). Paths are absolute API paths such as
// "/v3/enterprise/organizations"; query values are stringified by the client.

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  /** Retry this POST like a GET (the API documents it as idempotent, e.g. IdP group registration; D23). */
  idempotent?: boolean;
  /** Fields of the JSON body to redact in --debug logs (e.g. ["value"] for secrets, ["token"] in replies). */
  redact?: string[];
}

export interface ListOptions {
  /** Shown in progress output, e.g. "git permissions of frontend". */
  label?: string;
}

export interface ApiClient {
  readonly baseUrl: string;
  get<T>(path: string, query?: Query): Promise<T>;
  /** Follows v3 cursor pagination (first=200) to the end and returns every item; aborts on an inconsistent read. */
  list<T>(path: string, query?: Query, options?: ListOptions): Promise<T[]>;
  post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  put<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  delete<T>(path: string, options?: RequestOptions): Promise<T>;
  /** Request counts made so far, by method (reads = GET). */
  stats(): { get: number; post: number; put: number; patch: number; delete: number; retries: number };
}

/** An HTTP or transport failure from the API. `detail` never contains request input (D13). */
export class ApiError extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number; // 0 for transport errors (connection dropped, timeout)
  readonly detail: string;
  /** True when the request may have reached the server (dropped after send, timeout): the write's outcome is unknown. */
  readonly uncertain: boolean;

  constructor(method: string, path: string, status: number, detail: string, uncertain = false) {
    super(`${method} ${path} failed: ${status === 0 ? 'connection error' : `HTTP ${status}`}: ${detail}`);
    this.name = 'ApiError';
    this.method = method;
    this.path = path;
    this.status = status;
    this.detail = detail;
    this.uncertain = uncertain;
  }
}

/** A read that cannot be trusted (pagination loop, has_next_page without end_cursor, too many pages). */
export class InconsistentReadError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`inconsistent read of ${path}: ${reason}; refusing to plan from an incomplete read`);
    this.name = 'InconsistentReadError';
  }
}
