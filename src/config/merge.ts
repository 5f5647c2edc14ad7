// D6: several files → one document. Maps merge deeply; anything else set in two files (a leaf,
// a list, null, or a map meeting a non-map) is a conflict naming both places. `version` is in
// every file (checked per file); `settings` may appear in one file only.
import { formatPosition } from './format.js';
import { childPointer, displayPath, keyOrValuePosition, LocIndex, type NodeLoc } from './paths.js';
import type { Diagnostic, Position } from './types.js';
import { isRecord } from './util.js';

export interface FileTree {
  file: string;
  value: Record<string, unknown>;
  index: LocIndex;
}

const where = (loc: NodeLoc | undefined, file: string): Position => (loc ? keyOrValuePosition(loc) : { file, line: 1, col: 1 });

export function mergeTrees(trees: readonly FileTree[]): { value: Record<string, unknown>; index: LocIndex; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const value: Record<string, unknown> = {};
  // first writer wins: every node of the result was written by the first file that set it
  // (one file: its own index is the merged one, not a copy of it)
  const index: LocIndex = trees.length === 1 ? trees[0].index : new LocIndex();
  let settingsFrom: Position | undefined;

  const conflict = (path: string[], a: Position, b: Position) =>
    diagnostics.push({ ...b, severity: 'error', message: `conflict: ${displayPath(path)} is set in ${formatPosition(a)} and ${formatPosition(b)}` });

  const mergeInto = (target: Record<string, unknown>, source: Record<string, unknown>, ptr: string, path: string[], tree: FileTree) => {
    for (const key of Object.keys(source)) {
      const cptr = childPointer(ptr, key);
      const s = source[key];
      if (!Object.hasOwn(target, key)) {
        Object.defineProperty(target, key, { value: s, enumerable: true, writable: true, configurable: true });
        continue;
      }
      const t = target[key];
      if (isRecord(t) && isRecord(s)) mergeInto(t, s, cptr, [...path, key], tree);
      else conflict([...path, key], where(index.get(cptr), tree.file), where(tree.index.get(cptr), tree.file));
    }
  };

  for (const tree of trees) {
    const own = { ...tree.value };
    delete own.version;
    if (Object.hasOwn(own, 'settings')) {
      const here = where(tree.index.get('/settings'), tree.file);
      if (settingsFrom) {
        diagnostics.push({ ...here, severity: 'error', message: `settings may appear in one file only: already set in ${formatPosition(settingsFrom)}` });
        delete own.settings;
      } else settingsFrom = here;
    }
    // earlier files are indexed already, so a conflict names both places
    mergeInto(value, own, '', [], tree);
    if (tree.index !== index) index.addMissing(tree.index);
  }
  value.version = 1;
  return { value, index, diagnostics };
}
