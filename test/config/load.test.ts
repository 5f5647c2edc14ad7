import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, formatDiagnostic, loadConfig, sha256Hex } from '../../src/config/index.js';
import { MAX_ALIASES } from '../../src/config/parse.js';
import { lines, load, memFs } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'devinctl-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the example file', () => {
  it('examples/devin.yaml loads with no diagnostics at all', async () => {
    const r = await loadConfig(['examples/devin.yaml']);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(r.config).toBeDefined();
    expect(r.config!.files).toEqual(['examples/devin.yaml']);
    expect(r.config!.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('examples/devin.yaml gives the documented desired state', async () => {
    const { doc } = (await loadConfig(['examples/devin.yaml'])).config!;
    expect(doc.version).toBe(1);
    expect(doc.settings?.ignore?.organizations).toEqual(['sandbox-*']);
    expect(doc.enterprise?.idp_groups?.contractors).toEqual({});
    expect(doc.enterprise?.org_group_limits?.research).toEqual({ max_cycle_acus: null, organizations: ['data'] });
    expect(doc.organizations?.backend.max_cycle_acu_limit).toBeNull();
    expect(doc.organizations?.data.max_cycle_acu_limit).toBeUndefined();
    expect(doc.organizations?.frontend.secrets?.NPM_TOKEN).toEqual({ value: '${NPM_TOKEN}', value_var: 'NPM_TOKEN', note: 'read-only npm token' });
    expect(doc.organizations?.frontend.service_users).toEqual({ 'ci-reporter': 'Member', 'frontend-deployer': { role: 'Admin', ttl_days: 90 } });
  });

  it('locate gives the line and column where each node of the example was written', async () => {
    const { locate } = (await loadConfig(['examples/devin.yaml'])).config!;
    expect(locate(['organizations', 'backend'])).toEqual({ file: 'examples/devin.yaml', line: 41, col: 3 });
    expect(locate(['organizations', 'backend', 'git_permissions', 1])).toEqual({ file: 'examples/devin.yaml', line: 46, col: 9 });
    expect(locate(['organizations', 'backend', 'git_permissions', 1, 'group_prefix'])).toEqual({ file: 'examples/devin.yaml', line: 46, col: 45 });
    expect(locate(['organizations', 'frontend', 'secrets', 'NPM_TOKEN', 'value'])).toEqual({ file: 'examples/devin.yaml', line: 34, col: 27 });
    // a path the file does not have falls back to its nearest written ancestor
    expect(locate(['organizations', 'backend', 'tags', 'nothing'])).toEqual({ file: 'examples/devin.yaml', line: 47, col: 5 });
    expect(locate([])).toEqual({ file: 'examples/devin.yaml', line: 4, col: 1 });
  });
});

describe('multi-file merge (D6)', () => {
  const a = 'version: 1\nsettings:\n  max_delete_percent: 10\norganizations:\n  frontend:\n    max_session_acu_limit: 100\n';
  const b = 'version: 1\norganizations:\n  frontend:\n    tags: { allowed: [web] }\n  backend:\n    max_session_acu_limit: 5\n';

  it('maps from several files merge deeply into one document', async () => {
    const r = await load({ 'a.yaml': a, 'b.yaml': b });
    expect(r.diagnostics).toEqual([]);
    expect(r.config!.doc).toEqual({
      version: 1,
      settings: { max_delete_percent: 10 },
      organizations: { frontend: { max_session_acu_limit: 100, tags: { allowed: ['web'] } }, backend: { max_session_acu_limit: 5 } },
    });
    expect(r.config!.files).toEqual(['a.yaml', 'b.yaml']);
  });

  it('locate of the merged document names the file that wrote each node', async () => {
    const { locate } = (await load({ 'a.yaml': a, 'b.yaml': b })).config!;
    expect(locate(['organizations', 'frontend', 'max_session_acu_limit'])).toEqual({ file: 'a.yaml', line: 6, col: 28 });
    expect(locate(['organizations', 'frontend', 'tags'])).toEqual({ file: 'b.yaml', line: 4, col: 5 });
    expect(locate(['organizations', 'backend'])).toEqual({ file: 'b.yaml', line: 5, col: 3 });
    expect(locate(['organizations', 'frontend'])).toEqual({ file: 'a.yaml', line: 5, col: 3 });
  });

  it('the same leaf in two files is a conflict naming both places', async () => {
    const r = await load({ 'a.yaml': a, 'b.yaml': 'version: 1\norganizations:\n  frontend:\n    max_session_acu_limit: 100\n' });
    expect(r.config).toBeUndefined();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'b.yaml:4:5: error: conflict: organizations.frontend.max_session_acu_limit is set in a.yaml:6:5 and b.yaml:4:5',
    ]);
  });

  it('the same list in two files is a conflict, and so is null against a map', async () => {
    const x = 'version: 1\norganizations:\n  o:\n    git_permissions: []\n    tags: null\n';
    const y = 'version: 1\norganizations:\n  o:\n    git_permissions: []\n    tags: { allowed: [a] }\n';
    expect((await load({ 'x.yaml': x, 'y.yaml': y })).diagnostics.map(formatDiagnostic)).toEqual([
      'y.yaml:4:5: error: conflict: organizations.o.git_permissions is set in x.yaml:4:5 and y.yaml:4:5',
      'y.yaml:5:5: error: conflict: organizations.o.tags is set in x.yaml:5:5 and y.yaml:5:5',
    ]);
  });

  it('settings may appear in one file only', async () => {
    const r = await load({ 'a.yaml': a, 'b.yaml': 'version: 1\nsettings: {}\n' });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['b.yaml:2:1: error: settings may appear in one file only: already set in a.yaml:2:1']);
  });

  it('every file needs version: 1', async () => {
    const r = await load({ 'a.yaml': a, 'b.yaml': '# no version\norganizations: {}\n', 'c.yaml': 'version: 3\n' });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'b.yaml:2:1: error: missing `version: 1` (every file needs it)',
      'c.yaml:1:10: error: unsupported version 3: this devinctl reads version 1',
    ]);
  });
});

describe('-f paths', () => {
  it('a folder means its *.yaml and *.yml files, sorted, not recursive', async () => {
    const reads: string[] = [];
    const fs = memFs({ 'orgs/b.yml': 'version: 1\n', 'orgs/a.yaml': 'version: 1\n', 'orgs/notes.txt': 'x', 'orgs/sub/c.yaml': 'version: 1\n', 'top.yaml': 'version: 1\n' }, reads);
    const r = await loadConfig(['top.yaml', 'orgs'], fs);
    expect(r.diagnostics).toEqual([]);
    expect(r.config!.files).toEqual(['top.yaml', 'orgs/a.yaml', 'orgs/b.yml']);
    expect(reads.sort()).toEqual(['orgs/a.yaml', 'orgs/b.yml', 'top.yaml']);
  });

  it('a folder given with a trailing slash keeps the spelling the user typed', async () => {
    const r = await loadConfig(['orgs/'], memFs({ 'orgs/a.yaml': 'version: 1\n' }));
    expect(r.config!.files).toEqual(['orgs/a.yaml']);
  });

  it('real folders on disk expand the same way', async () => {
    const dir = join(tmp, 'real');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(join(dir, 'b.yaml'), 'version: 1\norganizations: { b: {} }\n');
    writeFileSync(join(dir, 'a.yml'), 'version: 1\norganizations: { a: {} }\n');
    writeFileSync(join(dir, 'nested', 'c.yaml'), 'version: 1\norganizations: { c: {} }\n');
    const r = await loadConfig([dir]);
    expect(r.config!.files).toEqual([join(dir, 'a.yml'), join(dir, 'b.yaml')]);
    expect(Object.keys(r.config!.doc.organizations!)).toEqual(['a', 'b']);
  });

  it('a missing file or folder is a diagnostic at its 1:1, and the other files are still checked', async () => {
    const r = await load({ 'a.yaml': 'version: 1\norganizations: { x: { tgas: [] } }\n' }, ['a.yaml', 'missing.yaml', 'nodir/']);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "a.yaml:2:23: error: unknown key 'tgas' (did you mean 'tags'?)",
      'missing.yaml:1:1: error: no such file or folder',
      'nodir/:1:1: error: no such file or folder',
    ]);
  });

  it('a file named twice is read once, with a warning', async () => {
    const r = await load({ 'a.yaml': 'version: 1\norganizations: { x: {} }\n' }, ['a.yaml', './a.yaml']);
    expect(r.config).toBeDefined();
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['./a.yaml:1:1: warning: already included as a.yaml; it is read once']);
  });

  it('no paths at all is an error, not an empty desired state', async () => {
    const r = await loadConfig([], memFs({}));
    expect(r.config).toBeUndefined();
    expect(r.diagnostics[0].message).toMatch(/no files/);
  });
});

describe('limits (D7)', () => {
  it('a file over 10 MB is refused at file:1:1 without being read', async () => {
    const reads: string[] = [];
    const fs = memFs({ 'big.yaml': new Uint8Array(10 * 1024 * 1024 + 1) }, reads);
    const r = await loadConfig(['big.yaml'], fs);
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(['big.yaml:1:1: error: the file is too large: 10485761 bytes (the limit is 10 MB)']);
    expect(reads).toEqual([]);
  });

  it('a generated file on disk of 10 MB + 1 byte is refused, and one of exactly 10 MB is read', async () => {
    const head = 'version: 1\n#';
    const big = join(tmp, 'big.yaml');
    writeFileSync(big, head + 'x'.repeat(10 * 1024 * 1024 + 1 - head.length - 1) + '\n');
    expect((await loadConfig([big])).diagnostics.map(formatDiagnostic)).toEqual([`${big}:1:1: error: the file is too large: 10485761 bytes (the limit is 10 MB)`]);
    const ok = join(tmp, 'ok.yaml');
    writeFileSync(ok, head + 'x'.repeat(10 * 1024 * 1024 - head.length - 1) + '\n');
    expect((await loadConfig([ok])).diagnostics).toEqual([]);
  });

  it('more than 20 files is refused at the 21st file, and the first 20 are still checked', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 21; i++) files[`d/f${String(i).padStart(2, '0')}.yaml`] = i === 3 ? 'version: 2\n' : 'version: 1\n';
    const r = await loadConfig(['d'], memFs(files));
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'd/f03.yaml:1:10: error: unsupported version 2: this devinctl reads version 1',
      'd/f21.yaml:1:1: error: too many files: 21 (the limit is 20); this one and the rest are not read',
    ]);
  });

  it('exactly 20 files are fine', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 20; i++) files[`d/f${String(i).padStart(2, '0')}.yaml`] = 'version: 1\n';
    expect((await loadConfig(['d'], memFs(files))).diagnostics).toEqual([]);
  });

  it(`${MAX_ALIASES} aliases are fine and ${MAX_ALIASES + 1} are refused at file:1:1`, async () => {
    const doc = (n: number) => `version: 1\norganizations:\n  a: &o {}\n${Array.from({ length: n }, (_, i) => `  o${i}: *o\n`).join('')}`;
    expect(await lines(doc(MAX_ALIASES))).toEqual([]);
    expect(await lines(doc(MAX_ALIASES + 1))).toEqual(['f.yaml:1:1: error: too many YAML aliases: more than 100 (the limit is 100)']);
  });

  it('an alias bomb is refused without being expanded', async () => {
    let src = 'version: 1\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i <= 12; i++) src += `l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(', ')}]\n`;
    const started = Date.now();
    expect(await lines(src)).toEqual(['f.yaml:1:1: error: too many YAML aliases: more than 100 (the limit is 100)']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a few aliases of a huge anchor are refused before they expand too far', async () => {
    const big = Array.from({ length: 20_000 }, (_, i) => i).join(', ');
    const src = `version: 1\nx: &big [${big}]\n${Array.from({ length: 60 }, (_, i) => `y${i}: *big\n`).join('')}`;
    expect(await lines(src)).toEqual(['f.yaml:1:1: error: YAML aliases expand to more than 1000000 values (an alias bomb?)']);
  });

  it('aliases that expand are positioned at the alias, their insides at the anchor', async () => {
    const r = await load({ 'f.yaml': 'version: 1\norganizations:\n  a: &o\n    tgas: []\n  b: *o\n' });
    // the same mistake, written once, reached twice: reported at the one place it was written
    expect(r.diagnostics.map(formatDiagnostic)).toEqual(["f.yaml:4:5: error: unknown key 'tgas' (did you mean 'tags'?)"]);
  });
});

describe('YAML problems', () => {
  it('invalid UTF-8 is reported at the line and column of the first bad byte', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('version: 1\norganizations:\n  café: {}\n  ab'), 0xc3, 0x28, 0x0a]);
    expect((await load({ 'u.yaml': bytes })).diagnostics.map(formatDiagnostic)).toEqual(['u.yaml:4:5: error: invalid UTF-8 (byte 0xC3): save the file as UTF-8']);
  });

  it('a UTF-8 byte order mark is accepted', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('version: 1\n')]);
    expect((await load({ 'bom.yaml': bytes })).diagnostics).toEqual([]);
  });

  it('a duplicate key names both lines', async () => {
    expect(await lines('version: 1\norganizations:\n  a: {}\n  a: {}\n')).toEqual(["f.yaml:4:3: error: duplicate key 'a' (first at 3:3)"]);
  });

  it('an unknown tag is an error, not the library warning', async () => {
    expect(await lines('version: 1\norganizations: !orgs\n  a: {}\n')).toEqual(["f.yaml:2:16: error: unknown tag '!orgs': tags are not supported"]);
  });

  it('standard core tags such as !!str are accepted', async () => {
    const r = await load({ 'f.yaml': 'version: 1\norganizations:\n  !!str 123: { max_session_acu_limit: !!int 5 }\n' });
    expect(r.diagnostics).toEqual([]);
    expect(r.config!.doc.organizations).toEqual({ '123': { max_session_acu_limit: 5 } });
  });

  it('tabs as indentation are reported at each tab', async () => {
    expect(await lines('version: 1\norganizations:\n\ta: {}\n')).toEqual(['f.yaml:3:1: error: Tabs are not allowed as indentation']);
  });

  it('an empty file and a top level that is not a map are errors', async () => {
    const r = await load({ 'e.yaml': '', 's.yaml': 'just a string\n' });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'e.yaml:1:1: error: the file is empty: it needs at least `version: 1`',
      's.yaml:1:1: error: the top level must be a map (version, settings, enterprise, organizations), got a string',
    ]);
  });

  it('a key named __proto__ is an ordinary (unknown) key', async () => {
    expect(await lines('version: 1\n__proto__: { polluted: true }\n')).toEqual(["f.yaml:2:1: error: unknown key '__proto__' (expected one of: version, settings, enterprise, organizations)"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('all problems at once', () => {
  it('a file with five mistakes gives five diagnostics, sorted by line and column', async () => {
    const src = [
      'version: 1',
      'organizations:',
      '  web:',
      '    tgas: { allowed: [a] }', // 4: unknown key
      '    max_session_acu_limit: -1', // 5: minimum
      '    git_permissions:',
      '      - { connection: github, repo_path: a, prefix_path: b }', // 7: two path fields
      '    secrets: { TOKEN: { value: "plain" } }', // 8: literal secret
      '    tags: { allowed: [a, a] }', // 9: duplicate tag
      '',
    ].join('\n');
    expect(await lines(src)).toEqual([
      "f.yaml:4:5: error: unknown key 'tgas' (did you mean 'tags'?)",
      'f.yaml:5:28: error: max_session_acu_limit: must be at least 0, got -1',
      'f.yaml:7:9: error: git permission sets repo_path and prefix_path: set exactly one of repo_path, group_prefix or prefix_path',
      'f.yaml:8:32: error: secret values must come from the environment: write value: "${VARIABLE}"',
      "f.yaml:9:26: error: duplicate tag 'a' in allowed (first at 9:23)",
    ]);
  });

  it('diagnostics from several files are sorted by the order the files were given', async () => {
    const r = await load({ 'z.yaml': 'version: 1\nbad: 1\n', 'a.yaml': 'version: 1\nworse: 2\n' }, ['z.yaml', 'a.yaml']);
    expect(r.diagnostics.map((d) => d.file)).toEqual(['z.yaml', 'a.yaml']);
  });

  it('warnings alone still give a config; any error gives none', async () => {
    const warn = await load({ 'f.yaml': 'version: 1\norganizations: { o: { git_permissions: [{ connection: c, group_prefix: "x/" }] } }\n' });
    expect(warn.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(warn.config!.doc.organizations!.o.git_permissions).toEqual([{ connection: 'c', group_prefix: 'x' }]);
    const err = await load({ 'f.yaml': 'version: 1\norganizations: { o: { nope: 1 } }\n' });
    expect(err.config).toBeUndefined();
  });
});

describe('digest', () => {
  it('the digest is SHA-256 over canonical JSON of the merged document', async () => {
    const { config } = await load({ 'f.yaml': 'version: 1\norganizations: { b: { max_session_acu_limit: 1 }, a: {} }\n' });
    expect(config!.digest).toBe(sha256Hex(canonicalJson(config!.doc)));
  });

  it('the digest is stable when keys are reordered or files are split, and changes with a value', async () => {
    const one = await load({ 'f.yaml': 'version: 1\norganizations:\n  a: { max_session_acu_limit: 1, tags: { default: x, allowed: [x] } }\n  b: {}\n' });
    const reordered = await load({ 'f.yaml': 'organizations:\n  b: {}\n  a: { tags: { allowed: [x], default: x }, max_session_acu_limit: 1 }\nversion: 1\n' });
    const split = await load({ 'b.yaml': 'version: 1\norganizations: { b: {} }\n', 'a.yaml': 'version: 1\norganizations: { a: { tags: { allowed: [x], default: x }, max_session_acu_limit: 1 } }\n' });
    const changed = await load({ 'f.yaml': 'version: 1\norganizations:\n  a: { max_session_acu_limit: 2, tags: { default: x, allowed: [x] } }\n  b: {}\n' });
    expect(reordered.config!.digest).toBe(one.config!.digest);
    expect(split.config!.digest).toBe(one.config!.digest);
    expect(changed.config!.digest).not.toBe(one.config!.digest);
  });

  it('the digest covers secret references, never values', async () => {
    const { config } = await load({ 'f.yaml': 'version: 1\norganizations: { o: { secrets: { K: { value: "${V}" } } } }\n' });
    expect(canonicalJson(config!.doc)).toContain('"value":"${V}"');
  });
});
