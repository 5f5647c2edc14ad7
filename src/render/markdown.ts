// Markdown renderer: the plan as a GitHub pull-request comment. A marker line first (so a workflow
// can find and update its own comment), the summary line and a table of counts per kind, the
// destructive changes, the warnings, then one collapsed <details> section per scope (the
// enterprise, each organization) with field-level diffs.
//
// Size: the comment stays within `maxChars` (GitHub refuses bodies over 65,536 characters) and
// stays valid markdown. Nothing is cut: whole entries are dropped from the end of the destructive
// list, the warnings and the per-scope listing (which share the room, see `share`), each shortened
// list says how much it leaves out, and a closing note counts the changes only in the artifact.
// The header and the table of counts are always complete.
import { structuredPatch } from 'diff';
import type { Diagnostic } from '../config/types.js';
import type { Change, JsonValue, Plan } from '../engine/types.js';
import { printable, shownFields } from './mask.js';
import { ACTIONS, CASCADE_VERB, countsPhrase, summaryLine, type ActionName } from './symbols.js';
import { cell, code, fence, fit, hint, html, share, text, total } from './markdown-parts.js';

/** First line of every plan comment: a workflow looks for it to update its own comment. */
export const PLAN_MARKER = '<!-- devinctl:plan -->';
/** GitHub's limit on a comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
export const DEFAULT_MAX_CHARS = 65_000;

export interface MarkdownOptions {
  /** Heading of the comment; default "devinctl plan". */
  title?: string;
  /** Where the full plan is (an artifact name or a URL), named in the note when entries are dropped. */
  artifactHint?: string;
  /**
   * Upper bound on the comment's length in UTF-16 code units (never fewer than GitHub counts).
   * The header and the table of counts are always whole, so a limit below their size is exceeded.
   */
  maxChars?: number;
}

type Counts = Record<ActionName, number>;
const COLUMNS: ActionName[] = ['create', 'update', 'replace', 'delete'];
const zero = (): Counts => ({ create: 0, update: 0, replace: 0, delete: 0 });
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const CLOSE = '</details>\n\n';
const CHANGES_HEADING = '### Changes\n\n';

function groupBy(changes: readonly Change[], key: (c: Change) => string): Map<string, Change[]> {
  const by = new Map<string, Change[]>();
  for (const c of changes) {
    const k = key(c);
    const list = by.get(k);
    if (list) list.push(c);
    else by.set(k, [c]);
  }
  return by;
}

function counts(changes: readonly Change[]): Counts {
  const n = zero();
  for (const c of changes) n[c.action]++;
  return n;
}

function countTable(changes: readonly Change[]): string {
  const byKind = groupBy(changes, (c) => c.kind);
  const row = (label: string, n: Counts): string => `| ${label} | ${COLUMNS.map((a) => n[a]).join(' | ')} |\n`;
  const rows = [...byKind.keys()].sort().map((k) => row(cell(k), counts(byKind.get(k)!)));
  return `| kind | ${COLUMNS.join(' | ')} |\n|:--|--:|--:|--:|--:|\n${rows.join('')}${row('**total**', counts(changes))}\n`;
}

/** `-/+` `secret:frontend/NPM_TOKEN` must be replaced — _why_ */
function headline(c: Change): string {
  const a = ACTIONS[c.action];
  const why = c.reason?.trim() && !c.cascade ? ` — _${text(c.reason.trim())}_` : '';
  return `${code(a.symbol)} ${code(c.address)} ${c.cascade ? CASCADE_VERB : a.verb}${why}`;
}

const multiline = (v: JsonValue | undefined): boolean => typeof v === 'string' && v.includes('\n');
const asText = (v: JsonValue | undefined): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Hunks of a unified diff, the field named after each `@@` as git names a function. */
function hunks(field: string, before: JsonValue | undefined, after: JsonValue | undefined): string[] | undefined {
  const patch = structuredPatch('before', 'after', asText(before), asText(after), '', '', { context: 2, maxEditLength: 5000 });
  return patch?.hunks.flatMap((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@ ${field}`, ...h.lines]);
}

/** Lines of a ```diff block: `- field: before` / `+ field: after`, values masked (mask.ts). */
function diffLines(c: Change): string[] {
  const out: string[] = [];
  for (const f of shownFields(c)) {
    const field = printable(f.field);
    const changed = c.action === 'update' || c.action === 'replace';
    const patch = changed && !f.sensitive && (multiline(f.before) || multiline(f.after)) ? hunks(field, f.before, f.after) : undefined;
    if (patch) {
      out.push(...patch);
      continue;
    }
    if (f.before !== undefined && c.action !== 'create') out.push(`- ${field}: ${JSON.stringify(f.before)}`);
    if (f.after !== undefined && c.action !== 'delete') out.push(`+ ${field}: ${JSON.stringify(f.after)}`);
  }
  return out;
}

/** One change in a scope section; a diff longer than `cap` is left to the artifact. */
function changeBlock(c: Change, cap: number): string {
  const head = `${headline(c)}\n\n`;
  const lines = c.cascade ? [] : diffLines(c);
  if (lines.length === 0) return head;
  const full = head + fence('diff', lines);
  return full.length <= cap ? full : `${head}_(the diff is too long for a comment; it is in the full plan)_\n\n`;
}

interface List {
  title: string;
  noun: string;
  items: string[];
}

function renderList(l: List, shown: number): string {
  if (l.items.length === 0) return '';
  const rest = l.items.length - shown;
  const more = rest > 0 ? `- … and ${rest} more ${l.noun} not listed here\n` : '';
  return `### ${l.title} (${l.items.length})\n\n${l.items.slice(0, shown).join('')}${more}\n`;
}

/**
 * Deletes and replaces: organization deletes first (each takes everything in it, D18), with their
 * cascaded deletes nested under them, then the others in plan order.
 */
function destructiveList(changes: readonly Change[]): List {
  const orgDelete = (c: Change): boolean => c.kind === 'organization' && c.action === 'delete';
  const deletedOrgs = new Set(changes.filter(orgDelete).map((c) => c.key));
  const nested = (c: Change): boolean => c.cascade === true && !orgDelete(c) && deletedOrgs.has(c.parent);
  const childrenOf = groupBy(changes.filter(nested), (c) => c.parent);
  const items: string[] = [];
  for (const org of changes.filter(orgDelete)) {
    const children = childrenOf.get(org.key) ?? [];
    items.push(`- ${headline(org)}${children.length ? `, together with ${plural(children.length, 'object')} in it` : ''}\n`);
    for (const child of children) items.push(`  - ${headline(child)}\n`);
  }
  for (const c of changes) if ((c.action === 'delete' || c.action === 'replace') && !orgDelete(c) && !nested(c)) items.push(`- ${headline(c)}\n`);
  return { title: 'Destructive changes', noun: 'destructive changes', items };
}

function warningList(warnings: readonly Diagnostic[]): List {
  const where = (w: Diagnostic): string => (w.line > 0 ? `${w.file}:${w.line}:${w.col}: ` : '');
  return { title: 'Warnings', noun: 'warnings', items: warnings.map((w) => `- ${text(where(w) + w.message)}\n`) };
}

interface Scope {
  blocks: string[];
  open(shown: number): string;
  /** Room the opening tag may take, whatever number of changes ends up shown. */
  reserve: number;
}

/** An organization's own change goes with its children; everything else by its parent ('' = enterprise). */
function scopes(changes: readonly Change[], cap: number): Scope[] {
  const by = groupBy(changes, (c) => (c.kind === 'organization' ? c.key : c.parent));
  const names = [...by.keys()].sort();
  return names.map((name) => {
    const cs = by.get(name)!;
    const label = name === '' ? 'Enterprise' : `Organization <code>${html(name)}</code>`;
    const open = (shown: number): string =>
      `<details><summary>${label} — ${countsPhrase(counts(cs))}${shown < cs.length ? ` (${shown} of ${cs.length} shown)` : ''}</summary>\n\n`;
    return { blocks: cs.map((c) => changeBlock(c, cap)), open, reserve: open(0).length + String(cs.length).length };
  });
}

function renderScopes(list: readonly Scope[], shown: readonly number[]): string {
  const parts = list.map((s, i) => (shown[i] > 0 ? s.open(shown[i]) + s.blocks.slice(0, shown[i]).join('') + CLOSE : ''));
  return shown.some((k) => k > 0) ? CHANGES_HEADING + parts.join('') : '';
}

/** Fill scope sections in order until `budget` is spent; a section shows at least one change or none. */
function fillScopes(list: readonly Scope[], budget: number): number[] {
  const shown = list.map(() => 0);
  let left = budget - CHANGES_HEADING.length;
  for (const [i, s] of list.entries()) {
    const base = s.reserve + CLOSE.length;
    const k = left > base ? fit(s.blocks, left - base) : 0;
    if (k === 0) break;
    shown[i] = k;
    left -= base + total(s.blocks.slice(0, k));
    if (k < s.blocks.length) break;
  }
  return shown;
}

function closingNote(hidden: number, artifact: string | undefined): string {
  const where = `the full plan is in the artifact${artifact ? ` ${hint(artifact)}` : ''}`;
  return hidden > 0 ? `_… ${plural(hidden, 'more change')} not shown; ${where}._\n` : `_Some lists above are shortened; ${where}._\n`;
}

export function renderPlanMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const max = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const head =
    `${PLAN_MARKER}\n## ${text(opts.title ?? 'devinctl plan')}\n\n**${text(summaryLine(plan.summary))}**\n\n` +
    (plan.changes.length > 0 ? countTable(plan.changes) : '');
  const lists = [destructiveList(plan.changes), warningList(plan.warnings)];
  const sections = scopes(plan.changes, Math.max(1000, Math.floor(max / 8)));
  const everything = renderScopes(sections, sections.map((s) => s.blocks.length));
  const full = head + lists.map((l) => renderList(l, l.items.length)).join('') + everything;
  if (full.length <= max) return full.replace(/\n+$/, '\n');

  // Too long: reserve the fixed parts (the header, each list's heading and "… more" line, the
  // closing note at its longest), then share the rest between the lists and the scope sections.
  const note = Math.max(closingNote(plan.changes.length, opts.artifactHint).length, closingNote(0, opts.artifactHint).length);
  const fixed = head.length + lists.reduce((n, l) => n + renderList(l, 0).length, 0) + note;
  const [forDestructive, forWarnings] = share([...lists.map((l) => total(l.items)), everything.length], max - fixed);
  const dk = fit(lists[0].items, forDestructive);
  const wk = fit(lists[1].items, forWarnings + forDestructive - total(lists[0].items.slice(0, dk)));
  const used = total(lists[0].items.slice(0, dk)) + total(lists[1].items.slice(0, wk));
  const shown = fillScopes(sections, max - fixed - used);
  const hidden = plan.changes.length - shown.reduce((a, b) => a + b, 0);
  return head + renderList(lists[0], dk) + renderList(lists[1], wk) + renderScopes(sections, shown) + closingNote(hidden, opts.artifactHint);
}
