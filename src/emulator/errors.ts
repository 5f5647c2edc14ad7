// FastAPI-style error bodies. Logic errors are `{"detail": "…"}`; validation errors are 422
// `{"detail": [{type, loc, msg, input, ctx?}]}` and ECHO the offending input exactly like FastAPI
// (a missing field echoes the whole containing object, an invalid field its value). The echo is
// deliberate (D13): the client must strip `input`/`ctx`, and a canary test relies on it.

export type Loc = (string | number)[];

export interface ValidationItem {
  type: string;
  loc: Loc;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : `validation failed (${detail.length} errors)`);
    this.name = 'HttpError';
  }
}

export const badRequest = (detail: string): HttpError => new HttpError(400, detail);
export const forbidden = (detail: string): HttpError => new HttpError(403, detail);
export const notFound = (detail: string): HttpError => new HttpError(404, detail);
export const conflict = (detail: string): HttpError => new HttpError(409, detail);
export const invalid = (items: ValidationItem[]): HttpError => new HttpError(422, items);

/** A pydantic "value_error" raised by a custom validator. */
export function valueError(loc: Loc, input: unknown, message: string): ValidationItem {
  return { type: 'value_error', loc, msg: `Value error, ${message}`, input, ctx: { error: {} } };
}

export function missing(loc: Loc, container: unknown): ValidationItem {
  return { type: 'missing', loc, msg: 'Field required', input: container };
}

export function errorBody(err: HttpError): { detail: string | ValidationItem[] } {
  return { detail: err.detail };
}
