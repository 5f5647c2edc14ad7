// Test helpers: an in-memory file system for loadConfig's seam, and loading YAML text directly.
import { formatDiagnostic, loadConfig } from '../../src/config/index.js';
import type { LoadFs } from '../../src/config/index.js';
import type { LoadResult } from '../../src/config/types.js';

export type MemFiles = Record<string, string | Uint8Array>;

/** Files at the given paths; folders are implied by the paths ("orgs/a.yaml" makes "orgs"). */
export function memFs(files: MemFiles, reads: string[] = []): Required<LoadFs> {
  const norm = (p: string) => p.replace(/\/+$/, '').replace(/^\.\//, '');
  const bytes = (p: string) => {
    const v = files[p];
    return typeof v === 'string' ? new TextEncoder().encode(v) : v;
  };
  const isDir = (p: string) => Object.keys(files).some((f) => f.startsWith(`${norm(p)}/`));
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  return {
    readFile: async (p) => {
      reads.push(p);
      if (!(norm(p) in files)) throw enoent(p);
      return bytes(norm(p));
    },
    stat: async (p) => {
      const n = norm(p);
      if (n in files) return { isFile: () => true, isDirectory: () => false, size: bytes(n).length };
      if (isDir(n)) return { isFile: () => false, isDirectory: () => true, size: 0 };
      throw enoent(p);
    },
    readdir: async (p) => {
      const n = norm(p);
      const names = new Set<string>();
      for (const f of Object.keys(files)) if (f.startsWith(`${n}/`)) names.add(f.slice(n.length + 1).split('/')[0]);
      return [...names].reverse(); // unsorted on purpose: the loader sorts
    },
  };
}

/** Loads in-memory files (all of them, in the given order, unless `paths` is given). */
export async function load(files: MemFiles, paths: string[] = Object.keys(files)): Promise<LoadResult> {
  return loadConfig(paths, memFs(files));
}

/** The formatted diagnostics of loading one file called f.yaml. */
export async function lines(yaml: string, file = 'f.yaml'): Promise<string[]> {
  return (await load({ [file]: yaml })).diagnostics.map(formatDiagnostic);
}
