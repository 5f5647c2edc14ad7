// loadConfig: `-f` paths → one validated, canonical desired state, or every problem at once.
// Stages: expand paths (files.ts) → read and parse each file (parse.ts) → per-file version
// check → merge (merge.ts) → schema (schema.ts) → semantic rules (rules.ts) → digest.
import { canonicalJson, sha256Hex } from './digest.js';
import { sortDiagnostics } from './format.js';
import { expandPaths, readSource, withDefaults, type LoadFs } from './files.js';
import { mergeTrees, type FileTree } from './merge.js';
import { parseYamlFile } from './parse.js';
import { LocIndex, makeLocate, naturalPosition, valuePosition } from './paths.js';
import { applyRulesInPlace } from './rules.js';
import { validateSchema } from './schema.js';
import type { DesiredDoc, Diagnostic, LoadResult, Position } from './types.js';
import { isRecord, typeName } from './util.js';

export type { LoadFs } from './files.js';

export async function loadConfig(paths: string[], opts: LoadFs = {}): Promise<LoadResult> {
  const fs = withDefaults(opts);
  const diagnostics: Diagnostic[] = [];
  if (paths.length === 0) {
    return { diagnostics: [{ file: 'devinctl', line: 1, col: 1, severity: 'error', message: 'no files to load: pass -f FILE or -f FOLDER' }] };
  }
  const expanded = await expandPaths(paths, fs);
  diagnostics.push(...expanded.diagnostics);

  const parsed = await Promise.all(
    expanded.files.map(async (f) => {
      const src = await readSource(f, fs);
      diagnostics.push(...src.diagnostics);
      return src.bytes ? parseYamlFile(f.path, src.bytes) : undefined;
    }),
  );

  const trees: FileTree[] = [];
  const reported = new Set<string>();
  for (const p of parsed) {
    if (!p) continue;
    diagnostics.push(...p.diagnostics);
    if (!isRecord(p.value)) continue;
    for (const r of p.reported) reported.add(r);
    const top = p.index.get('');
    const root = top ? valuePosition(top) : { file: p.file, line: 1, col: 1 };
    const versionProblem = checkVersion(p.value, naturalAt(p.index, '/version') ?? root, root);
    if (versionProblem) {
      diagnostics.push(versionProblem);
      if (Object.hasOwn(p.value, 'version')) continue; // another format version: nothing else applies
    }
    trees.push({ file: p.file, value: p.value, index: p.index });
  }

  const files = expanded.files.map((f) => f.path);
  const fallback: Position = { file: files[0] ?? paths[0], line: 1, col: 1 };
  let doc: DesiredDoc | undefined;
  let locate = makeLocate(new LocIndex(), fallback);
  if (trees.length > 0) {
    const merged = mergeTrees(trees);
    diagnostics.push(...merged.diagnostics);
    locate = makeLocate(merged.index, fallback);
    diagnostics.push(...validateSchema(merged.value, merged.index, fallback, reported));
    // merged.value is this load's own (fresh from the parser): canonicalised in place, not copied
    const ruled = applyRulesInPlace(merged.value as unknown as DesiredDoc, locate);
    diagnostics.push(...ruled.diagnostics);
    doc = ruled.doc;
  }

  const sorted = dedupe(sortDiagnostics(diagnostics, expanded.order));
  if (!doc || sorted.some((d) => d.severity === 'error')) return { diagnostics: sorted, ...(doc ? { partial: { doc, locate, files } } : {}) };
  return { config: { doc, locate, files, digest: sha256Hex(canonicalJson(doc)) }, diagnostics: sorted };
}

function naturalAt(index: LocIndex, ptr: string): Position | undefined {
  const loc = index.get(ptr);
  return loc ? naturalPosition(loc) : undefined;
}

/** D6: every file says `version: 1`. */
function checkVersion(value: Record<string, unknown>, at: Position, root: Position): Diagnostic | undefined {
  if (!Object.hasOwn(value, 'version')) return { ...root, severity: 'error', message: 'missing `version: 1` (every file needs it)' };
  const v = value.version;
  if (v === 1) return undefined;
  const message = typeof v === 'number' ? `unsupported version ${v}: this devinctl reads version 1` : `version must be the number 1, got ${typeName(v)}`;
  return { ...at, severity: 'error', message };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file}\u0000${d.line}\u0000${d.col}\u0000${d.severity}\u0000${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
