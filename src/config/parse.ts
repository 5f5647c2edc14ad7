// One file's bytes → a plain JS value plus the position of every node (LocIndex), and the
// problems found on the way: invalid UTF-8, YAML syntax, duplicate keys, unknown tags,
// unknown aliases, and alias bombs (aliases are expanded here, under a budget, never by toJS).
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import { refPosition } from './format.js';
import { childPointer, escapeSegment, inSecret, LocIndex, NO_OFFSET, positionAt, SECRET_FIELDS, SECRET_HIDDEN, valuePosition, type NodeLoc, type SourceLines } from './paths.js';
import type { Diagnostic, Position } from './types.js';
import { article, isRecord, typeName } from './util.js';

/** D7: at most this many alias resolutions per file (nested expansions count too). */
export const MAX_ALIASES = 100;
/** Values created by expanding aliases, per file: a second guard against a small alias bomb. */
export const MAX_ALIAS_EXPANSION = 1_000_000;

export interface ParsedFile {
  file: string;
  /** The document as plain data (undefined when the file is unusable). */
  value: unknown;
  index: LocIndex;
  diagnostics: Diagnostic[];
  /** Pointers whose value was already reported (unknown tag, unknown alias…): later stages stay quiet there. */
  reported: Set<string>;
}

const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

const showTag = (tag: string) => (tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice(18)}` : tag);


/** Parser messages that quote the source text: the quote is dropped (it could be a literal secret). */
function syntaxMessage(message: string): string {
  if (message.startsWith('Block scalar header includes extra characters')) {
    return 'Block scalar header includes extra characters (not shown): only an indentation digit and + or - may follow | or >';
  }
  return message;
}

class AliasLimit extends Error {}

function unknownTag(tag: string, ptr: string): string {
  if (!inSecret(ptr)) return `unknown tag '${showTag(tag)}': tags are not supported`;
  return `unknown tag (${SECRET_HIDDEN}): tags are not supported${ptr.endsWith('/value') ? '; write value: "${VARIABLE}"' : ''}`;
}

export function parseYamlFile(file: string, bytes: Uint8Array): ParsedFile {
  const out: ParsedFile = { file, value: undefined, index: new LocIndex(), diagnostics: [], reported: new Set() };
  const at = (line: number, col: number): Position => ({ file, line, col });
  const error = (p: Position, message: string) => out.diagnostics.push({ ...p, severity: 'error', message });

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const p = bad < 0 ? at(1, 1) : positionOfByte(bytes, bad, file);
    const hex = bad < 0 ? '' : ` (byte 0x${bytes[bad].toString(16).toUpperCase().padStart(2, '0')})`;
    error(p, `invalid UTF-8${hex}: save the file as UTF-8`);
    return out;
  }

  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const posAt = (offset: number): Position => {
    const { line, col } = lc.linePos(offset);
    return at(line, col);
  };
  let lastLine = 0;
  for (const e of [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0])) {
    if (e.code === 'TAG_RESOLVE_FAILED') continue; // reported per node below, as an error
    const p = posAt(e.pos[0]);
    if (p.line === lastLine) continue; // the parser's follow-on complaints about the same mistake
    lastLine = p.line;
    const message = e.code === 'MULTIPLE_DOCS' ? 'a file holds one YAML document: remove the second `---`' : syntaxMessage(e.message);
    error(p, message);
  }
  if (out.diagnostics.length > 0) return out; // a recovered tree would only add misleading follow-on errors

  const c = doc.contents;
  if (c === null || (isScalar(c) && c.value === null && !c.tag && c.range[0] === c.range[1])) {
    error(at(1, 1), 'the file is empty: it needs at least `version: 1`');
    return out;
  }
  const conv = new Converter(doc, text, { file, linePos: lc.linePos }, out);
  try {
    out.value = conv.value(doc.contents, '', NO_OFFSET, undefined, '');
  } catch (e) {
    if (!(e instanceof AliasLimit)) throw e;
    error(at(1, 1), e.message);
    out.value = undefined;
    out.index.clear();
    return out;
  }
  if (!isRecord(out.value)) {
    const root = out.index.get('');
    const p = root ? valuePosition(root) : at(1, 1);
    error(p, `the top level must be a map (version, settings, enterprise, organizations), got ${out.value === null ? 'null' : article(typeName(out.value))}`);
    out.value = undefined;
  }
  return out;
}

/** Positions are kept as offsets into the text: NO_OFFSET for none, 0 (1:1) as the fallback. */
type Range = { range?: [number, number, number] } | null | undefined;

class Converter {
  private aliases = 0;
  private expanded = 0;
  private depth = 0; // > 0 while expanding an alias

  constructor(
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly src: SourceLines,
    private readonly out: ParsedFile,
  ) {}

  private at(offset: number): Position {
    return positionAt(this.src, offset);
  }

  /** The node's start offset, or NO_OFFSET. */
  private off(node: unknown): number {
    const r = (node as Range)?.range;
    return r ? r[0] : NO_OFFSET;
  }

  /** Where a node's tag was written: tags precede their node (allowing for an anchor and line breaks). */
  private tagOff(node: YamlNode, tag: string, fallback: number): number {
    const start = (node as Range)?.range?.[0];
    if (start === undefined) return fallback;
    const i = this.text.lastIndexOf(showTag(tag), start);
    return i >= 0 && start - i <= 256 ? i : fallback;
  }

  /** A new entry, at `seg` below `parent` (the root when there is no parent). */
  private put(parent: NodeLoc | undefined, seg: string, key: number, value: number, collection: boolean): NodeLoc {
    const loc: NodeLoc = { src: this.src, key, value, collection, children: collection ? new Map() : undefined };
    if (parent === undefined) this.out.index.root = loc;
    else parent.children!.set(seg, loc);
    return loc;
  }

  private error(offset: number, message: string, ptr?: string) {
    this.out.diagnostics.push({ ...this.at(offset), severity: 'error', message });
    if (ptr !== undefined) this.out.reported.add(ptr);
  }

  /**
   * `keyOff`: the offset of the map key holding this node, or NO_OFFSET. Its index entry goes
   * below `parent` at `seg` (the last, escaped, segment of `ptr`); no parent: the root.
   */
  value(node: unknown, ptr: string, keyOff: number, parent: NodeLoc | undefined, seg: string): unknown {
    if (this.depth > 0 && ++this.expanded > MAX_ALIAS_EXPANSION) {
      throw new AliasLimit(`YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} values (an alias bomb?)`);
    }
    const fallback = keyOff === NO_OFFSET ? 0 : keyOff;
    if (node === null || node === undefined) {
      this.put(parent, seg, keyOff, fallback, false);
      return null;
    }
    const n = node as YamlNode;
    const r = (n as Range)?.range;
    const here = r ? r[0] : fallback;
    if (isAlias(n)) {
      if (++this.aliases > MAX_ALIASES) throw new AliasLimit(`too many YAML aliases: more than ${MAX_ALIASES} (the limit is ${MAX_ALIASES})`);
      const target = n.resolve(this.doc);
      if (!target) {
        this.error(here, inSecret(ptr) ? `unknown alias (${SECRET_HIDDEN}): no anchor of that name before it` : `unknown alias '*${n.source}': no anchor '&${n.source}' before it`, ptr);
        this.put(parent, seg, keyOff, here, false);
        return null;
      }
      this.depth++;
      const v = this.value(target, ptr, keyOff, parent, seg);
      this.depth--;
      const loc = parent === undefined ? this.out.index.root : parent.children!.get(seg);
      if (loc) loc.value = here; // the alias is where this value was written
      return v;
    }
    const tag = (n as { tag?: string }).tag;
    let badTag = false;
    if (tag && !CORE_TAGS.has(tag)) {
      this.error(this.tagOff(n, tag, here), unknownTag(tag, ptr), ptr);
      badTag = true;
    }
    if (isMap(n)) {
      const loc = this.put(parent, seg, keyOff, here, true);
      const obj: Record<string, unknown> = {};
      const seen = new Map<string, number>();
      for (const pair of n.items) this.member(obj, seen, pair, ptr, here, loc);
      return obj;
    }
    if (isSeq(n)) {
      const loc = this.put(parent, seg, keyOff, here, true);
      const items = n.items;
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i];
        const iseg = `${i}`;
        const cptr = `${ptr}/${iseg}`;
        if (isPair(item)) {
          // `[a: 1]`: a one-pair map inside a flow list
          const ko = this.off(item.key);
          const p = ko === NO_OFFSET ? here : ko;
          const ploc = this.put(loc, iseg, NO_OFFSET, p, true);
          const obj: Record<string, unknown> = {};
          this.member(obj, new Map(), item, cptr, p, ploc);
          out.push(obj);
        } else out.push(this.value(item, cptr, NO_OFFSET, loc, iseg));
      }
      return out;
    }
    if (isScalar(n)) {
      const empty = n.value === null && !!r && r[0] === r[1];
      this.put(parent, seg, keyOff, empty && keyOff !== NO_OFFSET ? keyOff : here, false);
      const v = n.value;
      if (badTag) return null; // reported; its value means nothing to later stages
      if (typeof v === 'number' && !Number.isFinite(v)) {
        this.error(here, 'infinite and NaN numbers are not supported', ptr);
        return null;
      }
      if (typeof v === 'bigint') return Number(v);
      return v;
    }
    this.error(here, 'unsupported YAML node', ptr);
    return null;
  }

  private member(obj: Record<string, unknown>, seen: Map<string, number>, pair: Pair<unknown, unknown>, ptr: string, mapOff: number, mapLoc: NodeLoc) {
    const k = pair.key as YamlNode | null;
    let kp = this.off(k);
    if (kp === NO_OFFSET) kp = this.off(pair.value);
    if (kp === NO_OFFSET) kp = mapOff;
    let name: string;
    if (k === null || k === undefined) name = '';
    else if (isScalar(k)) {
      const tag = (k as { tag?: string }).tag;
      const kv = k.value;
      name = kv === null || kv === undefined ? '' : typeof kv === 'string' ? kv : String(kv);
      if (tag && !CORE_TAGS.has(tag)) {
        this.error(this.tagOff(k, tag, kp), unknownTag(tag, childPointer(ptr, name)));
      }
    } else {
      this.error(kp, 'a map key must be a plain name (not an alias, a list or a map)');
      return;
    }
    const first = seen.get(name);
    if (first !== undefined) {
      const hide = inSecret(ptr) && !SECRET_FIELDS.has(name);
      const here = this.at(kp);
      const there = refPosition(this.at(first), here);
      this.error(kp, hide ? `duplicate key (${SECRET_HIDDEN}), first at ${there}` : `duplicate key '${name}' (first at ${there})`);
      return;
    }
    seen.set(name, kp);
    const seg = escapeSegment(name);
    const v = this.value(pair.value, `${ptr}/${seg}`, kp, mapLoc, seg);
    // a plain assignment, except for a key named __proto__: assigning that would set the prototype
    if (name === '__proto__') Object.defineProperty(obj, name, { value: v, enumerable: true, writable: true, configurable: true });
    else obj[name] = v;
  }
}

/** Byte offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < n && b[j] >= lo && b[j] <= hi;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) i += 1;
    else if (c >= 0xc2 && c <= 0xdf) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      const hi = c === 0xed ? 0x9f : 0xbf;
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return i;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return i;
      i += 4;
    } else return i;
  }
  return -1;
}

/** Line and column (1-based, in characters like the YAML parser counts them) of a byte offset. */
function positionOfByte(bytes: Uint8Array, offset: number, file: string): Position {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const nl = before.lastIndexOf('\n');
  let line = 1;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 10) line++;
  return { file, line, col: before.length - nl };
}
