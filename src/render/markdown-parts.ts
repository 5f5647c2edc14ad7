// Building blocks of the markdown renderer: escaping for each markdown context (inline text,
// code span, fenced block, raw HTML) and the arithmetic that keeps a comment under a size limit.
// Every string from a plan (names, values, reasons, warnings) passes through one of these, so no
// value can open or close a fence, a table, a <details> block or an HTML tag.
import { printable } from './mask.js';

/** Plain text inside a paragraph or list item: markdown and HTML punctuation is backslash-escaped. */
export function text(s: string): string {
  return printable(s)
    .replace(/[\\`*_[\]<>&|~$]/g, '\\$&')
    .replace(/^[#+\-=]/, '\\$&')
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/^ +/, (sp) => '&#32;'.repeat(sp.length));
}

const longestRun = (s: string, ch: string): number => {
  let best = 0;
  let run = 0;
  for (const c of s) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
};

/** An inline code span whose delimiter is longer than any backtick run inside it. */
export function code(s: string): string {
  const body = printable(s);
  const ticks = '`'.repeat(longestRun(body, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : '';
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

/** A table cell: a code span with `|` escaped (GFM splits cells on `|` even inside code spans). */
export function cell(s: string): string {
  return code(s).replace(/\|/g, '\\|');
}

/** Text inside raw HTML (the <summary> of a <details> block). */
export function html(s: string): string {
  return printable(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A fenced code block (ending in a blank line) whose fence no line inside can close. */
export function fence(lang: string, lines: string[]): string {
  const body = lines.map((l) => printable(l, false)).join('\n');
  const ticks = '`'.repeat(Math.max(3, longestRun(body, '`') + 1));
  return `${ticks}${lang}\n${body}\n${ticks}\n\n`;
}

/** A link target given by the caller: an autolink when it is a plain URL, escaped text otherwise. */
export function hint(s: string): string {
  return /^https?:\/\/[^\s<>]+$/.test(s) ? `<${s}>` : text(s);
}

/** How many leading items fit in `budget` characters. */
export function fit(items: readonly string[], budget: number): number {
  let used = 0;
  for (let i = 0; i < items.length; i++) {
    used += items[i].length;
    if (used > budget) return i;
  }
  return items.length;
}

export const total = (items: readonly string[]): number => items.reduce((n, s) => n + s.length, 0);

/**
 * Share `budget` between streams that each need some amount: every stream gets an equal share,
 * and what a small stream does not need goes to the others (water-filling). So a long list of
 * destructive changes cannot crowd the per-organization details out entirely, nor the reverse.
 */
export function share(needs: readonly number[], budget: number): number[] {
  const give = needs.map(() => 0);
  let left = Math.max(0, budget);
  let open = needs.map((_, i) => i).filter((i) => needs[i] > 0);
  while (open.length > 0) {
    const each = Math.floor(left / open.length);
    if (each === 0) break;
    const next: number[] = [];
    for (const i of open) {
      const g = Math.min(each, needs[i] - give[i]);
      give[i] += g;
      left -= g;
      if (give[i] < needs[i]) next.push(i);
    }
    open = next;
  }
  return give;
}
