// v3 cursor pagination: `first` + `after` → `{items, end_cursor, has_next_page, total?}`.
// A read is either complete or an error (DESIGN "Reads are minimal and complete"): any sign
// that pages are missing or looping throws InconsistentReadError, never a partial list,
// because the engine would plan deletes for whatever a short read left out.

import { InconsistentReadError } from './types.js';

/** The largest page the v3 API serves (NOTES §3.1). */
export const PAGE_SIZE = 200;
/** 10,000 pages of 200 is two million objects: far past any real enterprise, so a loop. */
export const MAX_PAGES = 10_000;

export interface PageProgress {
  /** 1-based number of the page just read. */
  page: number;
  /** Items read so far, this page included. */
  items: number;
}

/**
 * Reads every page. `fetchPage(after)` performs one GET (after is undefined for the first page)
 * and resolves to the parsed body; `onPage` is called once per page.
 */
export async function collectPages<T>(
  path: string,
  fetchPage: (after: string | undefined) => Promise<unknown>,
  onPage?: (progress: PageProgress) => void,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) throw new InconsistentReadError(path, `more than ${MAX_PAGES} pages`);
    const body = await fetchPage(after);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InconsistentReadError(path, `page ${page} is not a paginated object`);
    }
    const { items, end_cursor: endCursor, has_next_page: hasNext } = body as Record<string, unknown>;
    if (!Array.isArray(items)) throw new InconsistentReadError(path, `page ${page} has no items array`);
    for (const item of items) all.push(item as T);
    onPage?.({ page, items: all.length });
    if (hasNext !== true) return all;
    if (typeof endCursor !== 'string' || endCursor === '') {
      throw new InconsistentReadError(path, `page ${page} says has_next_page but gives no end_cursor`);
    }
    if (seen.has(endCursor)) {
      throw new InconsistentReadError(path, `page ${page} repeats the cursor of an earlier page`);
    }
    seen.add(endCursor);
    after = endCursor;
  }
}
