// v3 cursor pagination: `first` (1..200, default 100) and an opaque `after` cursor →
// {items, end_cursor, has_next_page, total}. Cursors are base64url offsets into the list's stable
// (creation) order; end_cursor is null on the last page. Bad parameters are FastAPI 422s.
import { invalid, valueError, type ValidationItem } from './errors.js';
import { queryInt } from './validate.js';

export interface Page<T> {
  items: T[];
  end_cursor: string | null;
  has_next_page: boolean;
  total: number;
}

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 100;

export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`, 'utf8').toString('base64url');
}

/** The offset a cursor stands for, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const m = /^offset:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export interface PageParams {
  first: number;
  offset: number;
}

/** Reads `first` and `after`; collects errors into `errors` (so other query errors can join them). */
export function readPageParams(query: URLSearchParams, errors: ValidationItem[], maxFirst = MAX_PAGE): PageParams {
  const first = queryInt(query.get('first'), 'first', DEFAULT_PAGE, 1, maxFirst, errors);
  const after = query.get('after');
  let offset = 0;
  if (after !== null && after !== '') {
    const decoded = decodeCursor(after);
    if (decoded === undefined) errors.push(valueError(['query', 'after'], after, 'Invalid cursor'));
    else offset = decoded;
  }
  return { first, offset };
}

export function paginate<T>(all: readonly T[], params: PageParams): Page<T> {
  const items = all.slice(params.offset, params.offset + params.first);
  const next = params.offset + items.length;
  const hasNext = next < all.length;
  return { items, end_cursor: hasNext ? encodeCursor(next) : null, has_next_page: hasNext, total: all.length };
}

/** Convenience for handlers: validate the page parameters (422 on error) and slice. */
export function pageOf<T>(all: readonly T[], query: URLSearchParams, extraErrors: ValidationItem[] = []): Page<T> {
  const errors = [...extraErrors];
  const params = readPageParams(query, errors);
  if (errors.length) throw invalid(errors);
  return paginate(all, params);
}
