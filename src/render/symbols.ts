// The one table of symbols, colours and verbs shared by every renderer.
import type { Change } from '../engine/types.js';

export type ActionName = Change['action'];

export const ACTIONS: Record<ActionName, { symbol: string; colour: string; verb: string; past: string }> = {
  create: { symbol: '+', colour: '\x1b[32m', verb: 'will be created', past: 'created' },
  update: { symbol: '~', colour: '\x1b[33m', verb: 'will be updated in-place', past: 'updated' },
  replace: { symbol: '-/+', colour: '\x1b[35m', verb: 'must be replaced', past: 'replaced' },
  delete: { symbol: '-', colour: '\x1b[31m', verb: 'will be deleted', past: 'deleted' },
};

export const CASCADE_VERB = 'will be deleted with its organization (no call)';
export const MASK = '(sensitive)';
export const RESET = '\x1b[0m';
export const BOLD = '\x1b[1m';
export const DIM = '\x1b[2m';

/** Order of sections in summaries: destructive first. */
export const ACTION_ORDER: ActionName[] = ['delete', 'replace', 'update', 'create'];

export const isDestructive = (c: Pick<Change, 'action'>): boolean => c.action === 'delete' || c.action === 'replace';

export function summaryLine(s: Record<ActionName, number>): string {
  if (s.create + s.update + s.replace + s.delete === 0) return 'No changes. Live state matches the desired state.';
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete.`;
}

/** "2 to create, 1 to delete": the non-zero counts in summary order (markdown section titles). */
export function countsPhrase(s: Record<ActionName, number>): string {
  const parts = (['create', 'update', 'replace', 'delete'] as const).filter((a) => s[a] > 0).map((a) => `${s[a]} to ${a}`);
  return parts.length ? parts.join(', ') : 'no changes';
}
