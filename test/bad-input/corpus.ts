// The bad-input corpus: each case is a file (cases/NN-name.yaml, expectations in `# expect:`
// header lines) or a folder (cases/NN-name/, expectations in expected.txt, optional args.txt),
// plus a few generated cases too big to commit, and live cases (live/NN-name.yaml: mistakes
// only the API can show, expectations for `plan`). See README.md for the format. Used by
// corpus.test.ts (loadConfig) and cli.test.ts (`devinctl validate`, `plan`).
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));
export const LIVE_DIR = fileURLToPath(new URL('./live/', import.meta.url));

export interface CorpusCase {
  name: string;
  /** `-f` arguments, relative to `cwd` (the process's working directory) or absolute. */
  args: string[];
  /** The diagnostics devinctl prints, one formatted line each, in order. */
  expected: string[];
  /** The environment for reading secret values (nothing else is set). */
  env: Record<string, string>;
  /** Live cases: objects added to the emulator's state before planning (`# live: COLLECTION JSON`). */
  live?: { collection: string; item: Record<string, unknown> }[];
}

function parseEnv(line: string, env: Record<string, string>) {
  const eq = line.indexOf('=');
  if (eq > 0) env[line.slice(0, eq).trim()] = line.slice(eq + 1);
}

/** `# expect:` and `# env:` lines of a case file (read as latin1: a case may be invalid UTF-8). */
function headerOf(text: string, prefix: string): { expected: string[]; env: Record<string, string>; live: NonNullable<CorpusCase['live']> } {
  const expected: string[] = [];
  const env: Record<string, string> = {};
  const live: NonNullable<CorpusCase['live']> = [];
  for (const line of text.split(/\r?\n/)) {
    const e = /^#\s*expect:\s?(.*)$/.exec(line);
    if (e) expected.push(`${prefix}:${e[1]}`);
    const v = /^#\s*env:\s?(.*)$/.exec(line);
    if (v) parseEnv(v[1], env);
    const l = /^#\s*live:\s*(\S+)\s+(.*)$/.exec(line);
    if (l) live.push({ collection: l[1], item: JSON.parse(l[2]) as Record<string, unknown> });
  }
  return { expected, env, live };
}

function folderCase(dir: string, name: string, shown: string): CorpusCase {
  const env: Record<string, string> = {};
  const expected: string[] = [];
  for (const line of readFileSync(join(dir, 'expected.txt'), 'utf8').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const v = /^#\s*env:\s?(.*)$/.exec(line);
    if (v) parseEnv(v[1], env);
    else if (!line.startsWith("#")) expected.push(`${shown}/${line.replaceAll("{dir}", shown)}`);
  }
  let args = [shown];
  try {
    args = readFileSync(join(dir, 'args.txt'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').map((a) => `${shown}/${a}`);
  } catch {
    // no args.txt: the folder itself
  }
  return { name, args, expected, env };
}

/** The committed cases, with paths relative to `cwd`. */
export function staticCases(cwd = process.cwd()): CorpusCase[] {
  const base = relative(cwd, CASES_DIR) || '.';
  return readdirSync(CASES_DIR)
    .sort()
    .map((entry) => {
      const full = join(CASES_DIR, entry);
      const shown = `${base}/${entry}`;
      if (statSync(full).isDirectory()) return folderCase(full, entry, shown);
      const { expected, env } = headerOf(readFileSync(full, 'latin1'), shown);
      return { name: entry.replace(/\.ya?ml$/, ''), args: [shown], expected, env };
    });
}

/** The live cases (valid offline; `plan` reports them after lookup reads), paths relative to `cwd`. */
export function liveCases(cwd = process.cwd()): CorpusCase[] {
  const base = relative(cwd, LIVE_DIR) || '.';
  return readdirSync(LIVE_DIR)
    .filter((entry) => /\.ya?ml$/.test(entry))
    .sort()
    .map((entry) => {
      const shown = `${base}/${entry}`;
      const { expected, env, live } = headerOf(readFileSync(join(LIVE_DIR, entry), 'utf8'), shown);
      return { name: entry.replace(/\.ya?ml$/, ''), args: [shown], expected, env, live };
    });
}

/** Cases generated into `dir` (absolute): a file over 10 MB, and more than 20 files. */
export function generatedCases(dir: string): CorpusCase[] {
  const cases: CorpusCase[] = [];

  const big = join(dir, '13-oversize-file.yaml');
  const size = 10 * 1024 * 1024 + 1;
  const head = 'version: 1\n# padding\n';
  writeFileSync(big, head + '#'.repeat(size - head.length - 1) + '\n');
  cases.push({ name: '13-oversize-file', args: [big], env: {}, expected: [`${big}:1:1: error: the file is too large: ${size} bytes (the limit is 10 MB)`] });

  const many = join(dir, '49-too-many-files');
  mkdirSync(many, { recursive: true });
  for (let i = 1; i <= 22; i++) writeFileSync(join(many, `f${String(i).padStart(2, '0')}.yaml`), 'version: 1\n');
  cases.push({
    name: '49-too-many-files',
    args: [many],
    env: {},
    expected: [`${many}/f21.yaml:1:1: error: too many files: 22 (the limit is 20); this one and the rest are not read`],
  });
  return cases;
}
