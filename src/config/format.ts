// One line per diagnostic, compiler style: `file:line:col: error: message`. The file is printed
// exactly as the user named it (a relative path stays relative), so editors can jump to it. A
// diagnostic without a position (line 0) prints as `warning: message`, never `:0:0:`.
import type { Diagnostic, Position } from './types.js';

export function formatDiagnostic(d: Diagnostic): string {
  // line 0 means "no position" (a warning about a live object the file does not name)
  return d.line > 0 ? `${formatPosition(d)}: ${d.severity}: ${d.message}` : `${d.severity}: ${d.message}`;
}

export function formatPosition(p: Position): string {
  return `${p.file}:${p.line}:${p.col}`;
}

/** A position as seen from another diagnostic: `7:3` in the same file, `b.yaml:7:3` otherwise. */
export function refPosition(p: Position, from?: { file: string }): string {
  return from && from.file === p.file ? `${p.line}:${p.col}` : formatPosition(p);
}

/** Sorts by file (in the given order of files, unknown ones after, by name), then line, col. */
export function sortDiagnostics(ds: Diagnostic[], fileOrder: readonly string[] = []): Diagnostic[] {
  const rank = new Map<string, number>();
  fileOrder.forEach((f, i) => {
    if (!rank.has(f)) rank.set(f, i);
  });
  const r = (f: string) => rank.get(f) ?? Number.MAX_SAFE_INTEGER;
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const fa = r(a.d.file);
      const fb = r(b.d.file);
      if (fa !== fb) return fa - fb;
      if (a.d.file !== b.d.file) return a.d.file < b.d.file ? -1 : 1;
      return a.d.line - b.d.line || a.d.col - b.d.col || a.i - b.i;
    })
    .map((x) => x.d);
}
