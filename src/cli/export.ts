// `devinctl export [--orgs a,b] [-o FILE]`: read every live collection and write the desired
// state that describes it, so that `plan -f FILE` right after shows no changes. Secret values are
// never exported (the API never returns them). The file holds no secrets, so it is written 0644.
// Exit 0 on success, 1 when live state cannot be expressed as a file (the errors say why).
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { VERSION } from '../api/version.js';
import type { DocPath } from '../config/types.js';
import { exportDoc, readAll } from '../engine/export.js';
import { kinds } from '../kinds/index.js';
import { addConnectOptions, connect, type ConnectOptions } from './common.js';
import { EXIT, UsageError } from './exit.js';
import type { Io } from './io.js';
import { exportYaml, type ExportNote } from './export-yaml.js';

export interface ExportCommandOptions extends ConnectOptions {
  orgs?: string[];
  output?: string;
  color?: boolean;
}

const orgList = (v: string, prev: string[] = []) => {
  const names = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`--orgs takes organization names separated by commas, got '${v}'`);
  return [...new Set([...prev, ...names])];
};

export async function exportCommand(io: Io, opts: ExportCommandOptions, now: () => Date = () => new Date()): Promise<number> {
  const conn = await connect(io, opts);
  const warnings: string[] = [];
  const warn = (m: string) => void (warnings.includes(m) || warnings.push(m));
  let written: string | undefined;
  try {
    const state = await readAll(conn.api, kinds, { orgs: opts.orgs, warn });
    const notes: ExportNote[] = [];
    const doc = exportDoc(state.live, state.lookups, {
      orgs: opts.orgs,
      unread: state.unread,
      warn,
      note: (path: DocPath, comment: string, where) => notes.push({ path, comment, where }),
    });
    const out = opts.output ? resolve(io.cwd, opts.output) : undefined;
    const schemaFile = join(io.cwd, 'node_modules', 'devinctl', 'schemas', 'devin.schema.json');
    const schema = relative(out ? dirname(out) : io.cwd, schemaFile);
    const text = exportYaml(doc, {
      version: VERSION,
      baseUrl: conn.api.baseUrl,
      date: now(),
      schema: schema.startsWith('.') ? schema : `./${schema}`,
      orgs: opts.orgs,
    }, notes);
    if (!out) io.out(text);
    else {
      const tmp = `${out}.${process.pid}.tmp`;
      try {
        await writeFile(tmp, text, { mode: 0o644 });
        await rename(tmp, out);
      } catch (e) {
        await rm(tmp, { force: true });
        const code = (e as { code?: string }).code;
        throw new UsageError(`cannot write ${opts.output}: ${code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (e as Error).message}`);
      }
      const n = Object.keys(doc.organizations ?? {}).length;
      const s = Object.values(doc.organizations ?? {}).reduce((a, o) => a + Object.keys(o.secrets ?? {}).length, 0);
      written = `Exported ${n} organization${n === 1 ? '' : 's'} to ${opts.output} (${s} secret${s === 1 ? '' : 's'}, values not exported).\n`;
    }
  } finally {
    for (const w of warnings) io.err(`Warning: ${w}\n`);
    await conn.close();
  }
  if (written) io.err(written);
  return EXIT.ok;
}

export function registerExport(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  const cmd = program
    .command('export')
    .description('write a desired-state YAML file from live state (plan right after shows no changes; secret values are not exported)');
  addConnectOptions(cmd);
  cmd
    .option('--orgs <names>', 'export only these organizations (comma-separated); the others go to settings.ignore, the enterprise sections still export', orgList)
    .option('-o, --output <file>', 'write the file here (default: stdout)')
    .action((o: ExportCommandOptions) => run(exportCommand(io, o)));
}
