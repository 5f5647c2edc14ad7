// Checks that a rendered plan comment is well-formed markdown, by reading it back with the
// `marked` lexer: every fence closed, <details> balanced and never nested, no raw HTML or heading
// except the renderer's own, and the table of counts parsed back into numbers.
import { lexer, type Token, type Tokens } from 'marked';
import type { Plan } from '../../src/engine/types.js';
import { PLAN_MARKER } from '../../src/render/markdown.js';
import { ACTIONS } from '../../src/render/symbols.js';

export type Counts = Record<'create' | 'update' | 'replace' | 'delete', number>;

export interface MarkdownCheck {
  problems: string[];
  tokens: Token[];
  tables: Tokens.Table[];
  /** kind -> counts, and the total row under '**total**', read from the summary table. */
  counts: Map<string, Counts>;
  detailsSections: number;
  /** Addresses of the changes shown in the <details> sections, in order. */
  shown: string[];
  /** Addresses in the destructive list (nested cascades included), and its "… and N more" count. */
  listed: string[];
  listedMore: number;
}

const SYMBOLS = new Set(Object.values(ACTIONS).map((a) => a.symbol));

/** `-/+` `address` …: the address when the inline tokens start with a symbol and an address. */
function addressOf(inline: Token[] | undefined): string | undefined {
  const spans = (inline ?? []).filter((t) => t.type === 'codespan') as Tokens.Codespan[];
  return inline?.[0]?.type === 'codespan' && SYMBOLS.has(spans[0].text) && spans[1] ? spans[1].text : undefined;
}

const OWN_HTML = [
  /^<!-- devinctl:plan -->$/,
  /^<details><summary>(Enterprise|Organization <code>[^<>]*<\/code>) — [^<>]*<\/summary>$/,
  /^<\/details>$/,
];
const OWN_HEADING = /^(Destructive changes|Warnings) \(\d+\)$|^Changes$/;

function children(t: Token): Token[] {
  const out: Token[] = [];
  if ('tokens' in t && Array.isArray(t.tokens)) out.push(...t.tokens);
  if (t.type === 'list') for (const item of (t as Tokens.List).items) out.push(item);
  if (t.type === 'table') {
    const table = t as Tokens.Table;
    for (const c of [...table.header, ...table.rows.flat()]) out.push(...c.tokens);
  }
  return out;
}

export function checkMarkdown(md: string): MarkdownCheck {
  const problems: string[] = [];
  if (!md.startsWith(`${PLAN_MARKER}\n`)) problems.push('the first line is not the marker');
  if (md.includes('\x1b')) problems.push('a colour code or escape character');
  const tokens = lexer(md);
  const tables: Tokens.Table[] = [];

  let depth = 0;
  let detailsSections = 0;
  let headings = 0;
  let section = '';
  const shown: string[] = [];
  const listed: string[] = [];
  let listedMore = 0;
  const items = (list: Tokens.List): void => {
    for (const item of list.items) {
      const text = item.tokens.find((x) => x.type === 'text') as Tokens.Text | undefined;
      const a = addressOf(text?.tokens);
      if (a !== undefined) listed.push(a);
      else if (/^… and \d+ more/.test(item.text)) listedMore += Number(/\d+/.exec(item.text)![0]);
      else problems.push(`an unexpected destructive item ${JSON.stringify(item.raw.slice(0, 60))}`);
      for (const sub of item.tokens) if (sub.type === 'list') items(sub as Tokens.List);
    }
  };
  for (const t of tokens) {
    if (t.type === 'heading') section = (t as Tokens.Heading).text;
    if (t.type === 'paragraph' && depth === 1) {
      const a = addressOf((t as Tokens.Paragraph).tokens);
      if (a !== undefined) shown.push(a);
    }
    if (t.type === 'list' && section.startsWith('Destructive')) items(t as Tokens.List);
    if (t.type === 'html') {
      const html = t.raw.trim();
      if (html.startsWith('<details>')) {
        depth++;
        detailsSections++;
      } else if (html === '</details>') depth--;
      if (depth < 0 || depth > 1) problems.push(`unbalanced or nested <details> at ${JSON.stringify(html.slice(0, 60))}`);
    }
    if (t.type === 'heading') {
      const h = t as Tokens.Heading;
      const ok = headings++ === 0 ? h.depth === 2 : h.depth === 3 && OWN_HEADING.test(h.text) && depth === 0;
      if (!ok) problems.push(`unexpected heading ${JSON.stringify(h.raw.slice(0, 60))}`);
    }
  }
  if (depth !== 0) problems.push(`${depth} <details> left open`);

  const visit = (t: Token, top: boolean): void => {
    if (t.type === 'html') {
      const html = t.raw.trim();
      if (!top || !OWN_HTML.some((re) => re.test(html))) problems.push(`raw HTML from the data: ${JSON.stringify(html.slice(0, 80))}`);
    }
    if (t.type === 'code') {
      const c = t as Tokens.Code;
      const open = /^(`{3,})diff\n/.exec(c.raw);
      const lines = c.raw.trimEnd().split('\n');
      const last = lines[lines.length - 1];
      if (!open || c.codeBlockStyle === 'indented') problems.push(`a code block that is not a diff fence: ${JSON.stringify(c.raw.slice(0, 60))}`);
      else if (lines.length < 2 || !/^`+$/.test(last) || last.length < open[1].length) problems.push(`an unclosed fence: ${JSON.stringify(c.raw.slice(0, 60))}`);
      if (!top) problems.push('a fence inside another block');
    }
    if (t.type === 'table') tables.push(t as Tokens.Table);
    if (t.type === 'heading' && !top) problems.push(`a heading inside another block: ${JSON.stringify(t.raw.slice(0, 60))}`);
    for (const c of children(t)) visit(c, false);
  };
  for (const t of tokens) visit(t, true);

  const counts = new Map<string, Counts>();
  const table = tables[0];
  if (tables.length > 1) problems.push(`${tables.length} tables`);
  if (table) {
    const header = table.header.map((h) => h.text).join('|');
    if (header !== 'kind|create|update|replace|delete') problems.push(`table header ${header}`);
    for (const row of table.rows) {
      const [kind, ...n] = row;
      const label = kind.tokens.length === 1 && kind.tokens[0].type === 'codespan' ? (kind.tokens[0] as Tokens.Codespan).text : kind.text;
      const [create, update, replace, del] = n.map((x) => Number(x.text));
      counts.set(label, { create, update, replace, delete: del });
    }
  }
  return { problems, tokens, tables, counts, detailsSections, shown, listed, listedMore };
}

/** The counts the table must show: per kind, and the total under '**total**'. */
export function expectedCounts(plan: Plan): Map<string, Counts> {
  const out = new Map<string, Counts>();
  const zero = (): Counts => ({ create: 0, update: 0, replace: 0, delete: 0 });
  const total = zero();
  for (const c of [...plan.changes].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))) {
    if (!out.has(c.kind)) out.set(c.kind, zero());
    out.get(c.kind)![c.action]++;
    total[c.action]++;
  }
  if (plan.changes.length) out.set('**total**', total);
  return out;
}
