// Paths into a document and where their nodes were written. An index maps a JSON pointer
// (the same escaping ajv uses in instancePath) to the key and value offsets of that node in its
// file's text; line and column are worked out only when a position is asked for (a diagnostic,
// locate()), not for each of the many nodes that never get one. The index is a tree of entries
// (one per node, its members' and items' by escaped pointer segment), so no pointer string is
// built or hashed per node.
import type { DocPath, Position } from './types.js';

/** One file's text as far as positions go: its name and offset → 1-based line and column. */
export interface SourceLines {
  file: string;
  linePos(offset: number): { line: number; col: number };
}

export interface NodeLoc {
  src: SourceLines;
  /** Offset of the map key that holds this node, when it is a map member (NO_OFFSET otherwise). */
  key: number;
  /** Offset of the value node itself (the key's when the value is empty). */
  value: number;
  /** Map or list (a collection is reported at its key; a scalar at its value). */
  collection: boolean;
  /** The entries below this one, by escaped pointer segment (undefined for a scalar, unless a merge adds some). */
  children: Map<string, NodeLoc> | undefined;
}

/** NodeLoc.key of a node that is not a map member. */
export const NO_OFFSET = -1;

/** JSON pointer → NodeLoc. Every entry's ancestors have entries (a parsed file's are made top-down). */
export class LocIndex {
  root: NodeLoc | undefined = undefined;

  clear(): void {
    this.root = undefined;
  }

  /** The entry at exactly `ptr`. */
  get(ptr: string): NodeLoc | undefined {
    return this.walk(ptr, true);
  }

  /** The entry for `ptr`, or for its nearest ancestor that has one. */
  lookup(ptr: string): NodeLoc | undefined {
    return this.walk(ptr, false);
  }

  /** lookup(pointer(path)), without making the pointer. */
  lookupPath(path: DocPath): NodeLoc | undefined {
    let node = this.root;
    if (node === undefined) return undefined;
    for (const seg of path) {
      const next: NodeLoc | undefined = node.children?.get(escapeSegment(seg));
      if (next === undefined) return node;
      node = next;
    }
    return node;
  }

  private walk(ptr: string, exact: boolean): NodeLoc | undefined {
    let node = this.root;
    if (node === undefined || ptr === '') return node;
    if (ptr.charCodeAt(0) !== 0x2f) return exact ? undefined : node; // not a pointer below the root
    let i = 1;
    for (;;) {
      const j = ptr.indexOf('/', i);
      const next: NodeLoc | undefined = node.children?.get(j < 0 ? ptr.slice(i) : ptr.slice(i, j));
      if (next === undefined) return exact ? undefined : node;
      node = next;
      if (j < 0) return node;
      i = j + 1;
    }
  }

  /** Adds, as copies, the entries of `other` at pointers this index has none for (its own are kept). */
  addMissing(other: LocIndex): void {
    if (other.root === undefined) return;
    if (this.root === undefined) this.root = copyLoc(other.root);
    else addMissingBelow(this.root, other.root);
  }
}

function copyLoc(l: NodeLoc): NodeLoc {
  let children: Map<string, NodeLoc> | undefined;
  if (l.children !== undefined) {
    children = new Map();
    for (const [seg, c] of l.children) children.set(seg, copyLoc(c));
  }
  return { src: l.src, key: l.key, value: l.value, collection: l.collection, children };
}

function addMissingBelow(into: NodeLoc, from: NodeLoc): void {
  if (from.children === undefined) return;
  for (const [seg, c] of from.children) {
    const have = into.children?.get(seg);
    if (have !== undefined) addMissingBelow(have, c);
    else (into.children ??= new Map()).set(seg, copyLoc(c));
  }
}

/** The position of an offset in `src` (offset 0, the start of the file, is always 1:1). */
export function positionAt(src: SourceLines, offset: number): Position {
  if (offset <= 0) return { file: src.file, line: 1, col: 1 };
  const { line, col } = src.linePos(offset);
  return { file: src.file, line, col };
}

export function keyPosition(loc: NodeLoc): Position | undefined {
  return loc.key === NO_OFFSET ? undefined : positionAt(loc.src, loc.key);
}

export function valuePosition(loc: NodeLoc): Position {
  return positionAt(loc.src, loc.value);
}

export type Locate = (path: DocPath) => Position;

/** A pointer segment: ~ and / escaped as ~0 and ~1. */
export const escapeSegment = (seg: string | number): string => {
  if (typeof seg === 'number') return String(seg);
  // most names have neither character: no regex, no new string
  if (seg.indexOf('~') < 0 && seg.indexOf('/') < 0) return seg;
  return seg.replace(/~/g, '~0').replace(/\//g, '~1');
};
const unescape = (seg: string) => seg.replace(/~1/g, '/').replace(/~0/g, '~');

export function pointer(path: DocPath): string {
  let out = '';
  for (const s of path) out += `/${escapeSegment(s)}`;
  return out;
}

/**
 * Inside one secret (`organizations.<org>.secrets.<KEY>` and below), where text from the file
 * could be a literal secret value (`value: !Passw0rd` parses as a tag, `value: *Passw0rd` as an
 * alias, `{ npm_abc123 }` as a key): messages about nodes there never repeat that text.
 */
export function inSecret(ptr: string): boolean {
  return /^\/organizations\/[^/]*\/secrets\/[^/]*(\/|$)/.test(ptr);
}

export const SECRET_HIDDEN = 'not shown: inside a secret it could be part of the value';

/** A secret's own field names (value_var is internal): naming one repeats nothing from a value. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['value', 'value_var', 'type', 'note', 'sensitive']);

export function childPointer(ptr: string, seg: string | number): string {
  return `${ptr}/${escapeSegment(seg)}`;
}

export function parsePointer(ptr: string): string[] {
  return ptr === '' ? [] : ptr.slice(1).split('/').map(unescape);
}

export function parentPointer(ptr: string): string | undefined {
  if (ptr === '') return undefined;
  return ptr.slice(0, ptr.lastIndexOf('/'));
}

/** The entry for `ptr`, or for its nearest ancestor that has one. */
export function lookup(index: LocIndex, ptr: string): NodeLoc | undefined {
  return index.lookup(ptr);
}

/** Where a node "is": a collection at its key (when it has one), a scalar at its value. */
export function naturalPosition(loc: NodeLoc): Position {
  return loc.collection && loc.key !== NO_OFFSET ? positionAt(loc.src, loc.key) : positionAt(loc.src, loc.value);
}

/** The key's position when the node is a map member, else the value's. */
export function keyOrValuePosition(loc: NodeLoc): Position {
  return positionAt(loc.src, loc.key === NO_OFFSET ? loc.value : loc.key);
}

export function makeLocate(index: LocIndex, fallback: Position): Locate {
  return (path) => {
    const loc = index.lookupPath(path);
    return loc ? naturalPosition(loc) : fallback;
  };
}

const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** organizations.frontend.git_permissions[0]; odd keys are quoted: organizations["my org"]. */
export function displayPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (plain.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A pointer as a DocPath, with list indexes as numbers (found by walking `root`). */
export function pathFromPointer(root: unknown, ptr: string): (string | number)[] {
  const out: (string | number)[] = [];
  let cur: unknown = root;
  for (const seg of parsePointer(ptr)) {
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' && Object.hasOwn(cur, seg) ? (cur as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}
