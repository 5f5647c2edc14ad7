// The bad-input corpus through the CLI (D7). For every offline case, `devinctl validate` prints
// exactly the expected file:line:col diagnostics and sends zero requests to the API that the
// environment points at; `devinctl plan` on the same input prints no plan and writes nothing.
// The live cases (live/) are valid offline: validate passes them with zero requests, and plan
// reports them at file:line:col after lookup reads only, with zero writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliResult } from '../helpers/cli.js';
import { sandbox, type Sandbox } from '../helpers/emulator.js';
import { generatedCases, liveCases, staticCases, type CorpusCase } from './corpus.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'devinctl-corpus-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const byName = (a: CorpusCase, b: CorpusCase) => (a.name < b.name ? -1 : 1);
const offline = [...staticCases(ROOT), ...generatedCases(tmp)].sort(byName);
const live = liveCases(ROOT);
const errors = (c: CorpusCase) => c.expected.filter((l) => /:\d+:\d+: error: /.test(l)).length;
const failing = offline.filter((c) => errors(c) > 0);
const warningOnly = offline.filter((c) => errors(c) === 0);

const POSITIONED = /^.+:\d+:\d+: (error|warning): /;
const summary = (n: number) => `${n} error${n === 1 ? '' : 's'}; nothing was changed.`;
const files = (c: CorpusCase) => c.args.flatMap((a) => ['-f', a]);
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

/** No stack trace, no internal error: a user mistake is never a crash. */
function expectNoCrash(r: CliResult, name: string): void {
  expect(r.stderr, name).not.toMatch(/\n\s+at |Internal error/);
}

describe('the corpus', () => {
  it('holds at least 40 cases, at least 6 of them live, with numbers distinct across offline and live', () => {
    expect(offline.length + live.length).toBeGreaterThanOrEqual(40);
    expect(live.length).toBeGreaterThanOrEqual(6);
    const numbers = [...offline, ...live].map((c) => c.name.split('-')[0]);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const c of live) expect(c.expected.length, c.name).toBeGreaterThan(0);
  });
});

describe('offline cases through devinctl', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await sandbox();
  });
  afterAll(async () => sb.close());

  // The environment points at the emulator (sb.cli adds DEVIN_API_URL and DEVIN_API_TOKEN), so
  // any request validate sent would be counted.
  const run = (c: CorpusCase, args: string[]) => sb.cli(args, { cwd: ROOT, env: c.env });

  it.each(failing.map((c) => [c.name, c] as const))('validate %s exits 1, prints exactly its diagnostics and sends zero requests', async (_n, c) => {
    sb.emu.resetStats();
    const r = await run(c, ['validate', ...files(c)]);
    expect(r.stderr).toBe([...c.expected, summary(errors(c))].join('\n') + '\n');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(1);
    expect(sb.emu.stats().total).toBe(0);
    for (const value of Object.values(c.env)) if (value !== '') expect(r.stderr).not.toContain(value);
  });

  it.each(failing.map((c) => [c.name, c] as const))('plan %s exits 1 with its diagnostics, prints no plan and sends no write', async (_n, c) => {
    sb.emu.resetStats();
    const r = await run(c, ['plan', ...files(c)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr).filter((l) => POSITIONED.test(l))).toEqual(expect.arrayContaining(c.expected));
    expect(lines(r.stderr).at(-1)).toMatch(/^\d+ errors?; nothing was changed\.$/);
    expectNoCrash(r, c.name);
    expect(sb.emu.stats().writes).toBe(0);
    for (const value of Object.values(c.env)) if (value !== '') expect(r.stderr).not.toContain(value);
  });

  it.each(warningOnly.map((c) => [c.name, c] as const))('validate %s (warnings only) exits 0 with exactly its warnings and zero requests', async (_n, c) => {
    sb.emu.resetStats();
    const r = await run(c, ['validate', ...files(c)]);
    expect(r.stderr).toBe(c.expected.join('\n') + '\n');
    expect(r.stdout).toMatch(/^The desired state is valid/);
    expect(r.code).toBe(0);
    expect(sb.emu.stats().total).toBe(0);
  });

  // (whether plan then succeeds depends on live state: against the demo seed it may find live errors)
  it.each(warningOnly.map((c) => [c.name, c] as const))('plan %s (warnings only) shows its warnings and sends no write', async (_n, c) => {
    sb.emu.resetStats();
    const r = await run(c, ['plan', ...files(c)]);
    expect(lines(r.stderr).filter((l) => POSITIONED.test(l))).toEqual(expect.arrayContaining(c.expected));
    expectNoCrash(r, c.name);
    expect(sb.emu.stats().writes).toBe(0);
  });
});

describe('live cases through devinctl', () => {
  let sb: Sandbox;
  afterAll(async () => sb?.close());

  /** A fresh emulator per case, with the case's live additions. */
  async function fresh(c: CorpusCase): Promise<Sandbox> {
    await sb?.close();
    sb = await sandbox();
    const state = sb.emu.state as unknown as Record<string, unknown[]>;
    for (const { collection, item } of c.live ?? []) {
      expect(Array.isArray(state[collection]), `${c.name}: live collection ${collection}`).toBe(true);
      state[collection].push(item);
    }
    return sb;
  }

  it.each(live.map((c) => [c.name, c] as const))('validate passes %s (not an offline problem) with zero requests', async (_n, c) => {
    const s = await fresh(c);
    const r = await s.cli(['validate', ...files(c)], { cwd: ROOT, env: c.env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^The desired state is valid/);
    expect(r.code).toBe(0);
    expect(s.emu.stats().total).toBe(0);
  });

  it.each(live.map((c) => [c.name, c] as const))('plan reports %s at file:line:col, exits 1, prints no plan and sends no write', async (_n, c) => {
    const s = await fresh(c);
    const r = await s.cli(['plan', ...files(c)], { cwd: ROOT, env: c.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // expiry warnings count days from the clock: they are tested in the scenarios, not here
    const all = lines(r.stderr).filter((l) => !/: warning: service user .* expires in /.test(l));
    expect(all.filter((l) => POSITIONED.test(l))).toEqual(c.expected);
    // besides them: the summary, and warnings about live objects that have no place in the file
    expect(all.filter((l) => !POSITIONED.test(l) && !/^warning: /.test(l))).toEqual([summary(errors(c))]);
    expectNoCrash(r, c.name);
    expect(s.emu.stats().writes).toBe(0);
    expect(s.emu.stats().reads).toBeGreaterThan(0);
  });
});
