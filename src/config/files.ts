// `-f` arguments → the files to read (D6: a folder means its *.yaml / *.yml, not recursive,
// sorted) and their bytes, within the D7 limits (10 MB a file, 20 files). File system calls go
// through a small seam so tests can fake them.
import { readdir as fsReaddir, readFile as fsReadFile, stat as fsStat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from './types.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 20;

export interface FileStat {
  isFile(): boolean;
  isDirectory(): boolean;
  size: number;
}

/** The file system calls the loader makes; each defaults to node:fs/promises. */
export interface LoadFs {
  readFile?: (path: string) => Promise<Uint8Array>;
  stat?: (path: string) => Promise<FileStat>;
  readdir?: (path: string) => Promise<string[]>;
}

interface Fs {
  readFile: (path: string) => Promise<Uint8Array>;
  stat: (path: string) => Promise<FileStat>;
  readdir: (path: string) => Promise<string[]>;
}

export function withDefaults(fs: LoadFs = {}): Fs {
  return {
    readFile: fs.readFile ?? ((p) => fsReadFile(p)),
    stat: fs.stat ?? ((p) => fsStat(p)),
    readdir: fs.readdir ?? ((p) => fsReaddir(p)),
  };
}

export interface SourceFile {
  path: string; // as the user spelled it (folder + '/' + name for folder members)
  size: number;
}

const at1 = (file: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({ file, line: 1, col: 1, severity, message });

function ioMessage(e: unknown): string {
  const code = (e as { code?: string } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read: permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return `cannot read: ${code ?? (e instanceof Error ? e.message : String(e))}`;
}

const isYamlName = (name: string) => /\.ya?ml$/.test(name);
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Expands `-f` paths into files, in order, without duplicates, at most MAX_FILES of them. */
export async function expandPaths(paths: readonly string[], fs: Fs): Promise<{ files: SourceFile[]; diagnostics: Diagnostic[]; order: string[] }> {
  const diagnostics: Diagnostic[] = [];
  const files: SourceFile[] = [];
  const order: string[] = []; // every path named, in the order met: diagnostics sort by it
  const seen = new Map<string, string>(); // resolved path -> spelling first used
  const add = (path: string, size: number) => {
    const key = resolve(path);
    const first = seen.get(key);
    if (first !== undefined) {
      diagnostics.push(at1(path, `already included as ${first}; it is read once`, 'warning'));
      return;
    }
    seen.set(key, path);
    files.push({ path, size });
  };
  for (const p of paths) {
    order.push(p);
    let st: FileStat;
    try {
      st = await fs.stat(p);
    } catch (e) {
      diagnostics.push(at1(p, ioMessage(e)));
      continue;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = (await fs.readdir(p)).filter(isYamlName).sort(byCodeUnits);
      } catch (e) {
        diagnostics.push(at1(p, ioMessage(e)));
        continue;
      }
      let found = 0;
      let failed = 0;
      for (const name of names) {
        const child = /[\\/]$/.test(p) ? `${p}${name}` : `${p}/${name}`;
        order.push(child);
        try {
          const cst = await fs.stat(child);
          if (!cst.isFile()) continue; // a folder called x.yaml is not read (not recursive)
          found++;
          add(child, cst.size);
        } catch (e) {
          failed++;
          diagnostics.push(at1(child, ioMessage(e)));
        }
      }
      if (found === 0 && failed === 0) diagnostics.push(at1(p, 'the folder has no *.yaml or *.yml files'));
    } else if (st.isFile()) add(p, st.size);
    else diagnostics.push(at1(p, 'not a file or folder'));
  }
  if (files.length > MAX_FILES) {
    diagnostics.push(at1(files[MAX_FILES].path, `too many files: ${files.length} (the limit is ${MAX_FILES}); this one and the rest are not read`));
    files.length = MAX_FILES;
  }
  return { files, diagnostics, order };
}

/** Reads one file within the size limit. */
export async function readSource(f: SourceFile, fs: Fs): Promise<{ bytes?: Uint8Array; diagnostics: Diagnostic[] }> {
  const tooBig = (n: number) => ({ diagnostics: [at1(f.path, `the file is too large: ${n} bytes (the limit is 10 MB)`)] });
  if (f.size > MAX_FILE_BYTES) return tooBig(f.size);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(f.path);
  } catch (e) {
    return { diagnostics: [at1(f.path, ioMessage(e))] };
  }
  if (bytes.length > MAX_FILE_BYTES) return tooBig(bytes.length);
  return { bytes, diagnostics: [] };
}
