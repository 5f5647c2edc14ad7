// Canary test (issue "Safe under faults and bad input"; DESIGN "Secrets", D12, D13, D14): a
// distinctive secret value, API token and the provisioned service-user tokens go in, every
// command runs in every format (with and without --debug), and every output channel is searched
// for them: stdout, stderr, the saved plan, the journal, the exported YAML and every other file
// the run leaves in its folder. Only the emulator's own state may hold the secret value, and
// only the token file may hold a provisioned token.
import { randomInt } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFaults, type SeedDoc } from '../../src/emulator/index.js';
import type { CliResult } from '../helpers/cli.js';
import { demoSeed, sandbox, type Sandbox } from '../helpers/emulator.js';

const EXAMPLE = join(import.meta.dirname, '../../examples/devin.yaml');
const SECRET = 'CANARY-SECRET-7f3a9c';
const DEMO_TOKEN = 'cog_emulator_admin_token';
const DELETES = ['--allow-delete', 'organization', '--allow-delete', 'service-user'];

const letters = (n: number) =>
  Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[randomInt(52)]).join('');

/** Forms a value could leak in besides the raw text. */
function encodings(s: string): string[] {
  const b = Buffer.from(s);
  return [...new Set([s, b.toString('base64'), b.toString('base64url'), b.toString('hex'), encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])];
}

/** Every output channel of a run, by name. */
class Outputs {
  readonly channels: { name: string; text: string }[] = [];
  readonly codes: Record<string, number> = {};

  cli(label: string, r: CliResult): CliResult {
    this.codes[label] = r.code;
    this.channels.push({ name: `${label}: stdout`, text: r.stdout }, { name: `${label}: stderr`, text: r.stderr });
    return r;
  }

  /** Every file under dir, except those `skip` names (paths relative to dir). */
  async files(dir: string, skip: (rel: string) => boolean = () => false): Promise<void> {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = join(entry.parentPath, entry.name);
      const rel = relative(dir, full);
      if (!skip(rel)) this.channels.push({ name: `file ${rel}`, text: await readFile(full, 'utf8') });
    }
  }

  /** Names of the channels holding `needle` in any of its encodings (none when nothing leaked). */
  containing(needle: string, except: (name: string) => boolean = () => false): string[] {
    const forms = encodings(needle);
    return this.channels.filter((c) => !except(c.name) && forms.some((f) => c.text.includes(f))).map((c) => c.name);
  }
}

const isState = (rel: string) => rel === 'emulator.json' || /^emulator\.json\..*\.tmp$/.test(rel);
const mode = async (p: string) => (await stat(p)).mode & 0o777;

interface Run {
  sb: Sandbox;
  out: Outputs;
  tokenFile: string;
  planFile: string;
  journal: string;
  exported: string;
  env: Record<string, string>;
}

/** validate, plan (three formats), drift (three formats), each with and without --debug; plan --out; apply it with --journal and --token-file; then plan, drift and export again. */
async function everyCommand(sb: Sandbox, env: Record<string, string>): Promise<Run> {
  const out = new Outputs();
  const f = ['-f', EXAMPLE];
  const run = (label: string, args: string[]) => sb.cli(args, { env }).then((r) => out.cli(label, r));
  const tokenFile = join(sb.dir, 'tokens.jsonl');
  const planFile = join(sb.dir, 'plan.json');
  const journal = join(sb.dir, 'journal.json');
  const exported = join(sb.dir, 'exported.yaml');

  await run('validate', ['validate', ...f]);
  for (const debug of [[], ['--debug']]) {
    const d = debug.length ? ' --debug' : '';
    for (const format of ['text', 'json', 'markdown']) {
      await run(`plan --format ${format}${d}`, ['plan', ...f, ...DELETES, '--format', format, ...debug]);
      await run(`drift --format ${format}${d}`, ['drift', ...f, '--format', format, ...debug]);
    }
  }
  await run('plan --out --debug', ['plan', ...f, ...DELETES, '--out', planFile, '--debug']);
  await run('apply PLANFILE --debug', ['apply', planFile, '--auto-approve', '--journal', journal, '--token-file', tokenFile, '--debug']);
  await run('apply -f (no changes) --debug', ['apply', ...f, ...DELETES, '--auto-approve', '--token-file', tokenFile, '--debug']);
  await run('plan after apply --debug', ['plan', ...f, ...DELETES, '--detailed-exitcode', '--debug']);
  await run('drift after apply --format json --debug', ['drift', ...f, '--format', 'json', '--debug']);
  await run('export --debug', ['export', '--debug']);
  await run('export -o', ['export', '-o', exported]);
  return { sb, out, tokenFile, planFile, journal, exported, env };
}

const EXPECTED_CODES: Record<string, number> = {
  validate: 0,
  'plan --format text': 0,
  'plan --format json': 0,
  'plan --format markdown': 0,
  'drift --format text': 2,
  'drift --format json': 2,
  'drift --format markdown': 2,
  'plan --format text --debug': 0,
  'plan --format json --debug': 0,
  'plan --format markdown --debug': 0,
  'drift --format text --debug': 2,
  'drift --format json --debug': 2,
  'drift --format markdown --debug': 2,
  'plan --out --debug': 0,
  'apply PLANFILE --debug': 0,
  'apply -f (no changes) --debug': 0,
  'plan after apply --debug': 0,
  'drift after apply --format json --debug': 0,
  'export --debug': 0,
  'export -o': 0,
};

async function canarySeed(token: string): Promise<SeedDoc> {
  const seed = await demoSeed();
  seed.admin_token = token;
  seed.tokens = (seed.tokens ?? []).map((t) => (t.token === DEMO_TOKEN ? { ...t, token } : t));
  return seed;
}

const variants = [
  { name: 'the demo seed (fixed admin token)', token: () => DEMO_TOKEN, extraEnv: (): Record<string, string> => ({}) },
  {
    name: 'a seed whose admin token is a canary, with a canary fingerprint key',
    token: () => `cog_CANARYTOKEN${letters(20)}`,
    extraEnv: (): Record<string, string> => ({ DEVINCTL_FINGERPRINT_KEY: `CANARYFPKEY${letters(20)}` }),
  },
];

describe.each(variants)('every command and format against $name', (variant) => {
  let r: Run;
  let provisioned: { name: string; id: string; token: string }[];
  const token = variant.token();
  const extraEnv = variant.extraEnv();

  beforeAll(async () => {
    const sb = await sandbox(token === DEMO_TOKEN ? {} : { seed: await canarySeed(token) });
    expect(sb.emu.adminToken).toBe(token);
    r = await everyCommand(sb, { NPM_TOKEN: `${SECRET}-npm`, STAGING_COOKIE: `${SECRET}-cookie`, ...extraEnv });
    await r.out.files(sb.dir, isState);
    provisioned = (await readFile(r.tokenFile, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { name: string; id: string; token: string });
  });
  afterAll(async () => r?.sb.close());

  it('runs every command to its expected exit code, so every channel really was produced', () => {
    expect(r.out.codes).toEqual(EXPECTED_CODES);
    const plan = r.out.channels.find((c) => c.name === 'plan --format json: stdout')!.text;
    expect(JSON.parse(plan).changes.map((c: { address: string }) => c.address)).toContain('secret:frontend/STAGING_COOKIE');
    expect(r.out.channels.find((c) => c.name === 'apply PLANFILE --debug: stdout')!.text).toContain('Apply complete!');
  });

  it('sends the canary secret value to the API, so the search below is meaningful', () => {
    const values = r.sb.emu.state.secrets.map((s) => s.value);
    expect(values).toContain(`${SECRET}-npm`);
    expect(values).toContain(`${SECRET}-cookie`);
  });

  it('shows the canary secret value in no stdout, stderr, plan file, journal, export, token file or other file', () => {
    expect(r.out.containing(SECRET)).toEqual([]);
  });

  it('shows the API token nowhere, not even in --debug logs', () => {
    expect(r.out.containing(token)).toEqual([]);
    expect(r.out.containing(token.slice(4))).toEqual([]); // without the cog_ prefix either
  });

  it('shows the fingerprint key nowhere', () => {
    for (const v of Object.values(extraEnv)) expect(r.out.containing(v)).toEqual([]);
  });

  it('writes each provisioned token to the token file only, and that file is 0600', async () => {
    expect(provisioned.map((p) => p.name).sort()).toEqual(['frontend-deployer', 'release-bot']);
    for (const p of provisioned) {
      expect(p.token.length).toBeGreaterThan(16);
      expect(r.out.containing(p.token, (name) => name === 'file tokens.jsonl')).toEqual([]);
    }
    expect(await mode(r.tokenFile)).toBe(0o600);
  });

  it('writes the saved plan and the journal 0600', async () => {
    expect(await mode(r.planFile)).toBe(0o600);
    expect(await mode(r.journal)).toBe(0o600);
    expect(JSON.parse(await readFile(r.journal, 'utf8')).state).toBe('finished');
  });
});

describe('under injected faults (429, 5xx, an HTML 502, dropped connections, broken pages)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await sandbox({ faults: parseFaults('429=0.08,500=0.05,502=0.05,503=0.05,drop-before=0.03,drop-after=0.03,page-no-cursor=0.01,seed=2') });
  });
  afterAll(async () => sb.close());

  it('applies until converged with --debug and shows the canary value, the API token and the tokens nowhere else', async () => {
    const env = { NPM_TOKEN: `${SECRET}-npm`, STAGING_COOKIE: `${SECRET}-cookie` };
    const out = new Outputs();
    const tokenFile = join(sb.dir, 'tokens.jsonl');
    const journal = join(sb.dir, 'journal.json');
    let last = -1;
    for (let i = 1; i <= 10 && last !== 0; i++) {
      const r = await sb.cli(['apply', '-f', EXAMPLE, ...DELETES, '--auto-approve', '--debug', '--max-retry-wait', '0.05', '--journal', journal, '--token-file', tokenFile], { env });
      out.cli(`apply ${i}`, r);
      expect(r.stderr, `apply ${i}`).not.toMatch(/\n\s+at |Internal error/);
      last = r.code;
    }
    expect(last).toBe(0);
    const faults = sb.emu.stats().faults;
    expect(Object.values(faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    await out.files(sb.dir, isState);
    expect(out.containing(SECRET)).toEqual([]);
    expect(out.containing(DEMO_TOKEN)).toEqual([]);
    const tokens = (await readFile(tokenFile, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { token: string }).token);
    for (const t of tokens) expect(out.containing(t, (name) => name === 'file tokens.jsonl')).toEqual([]);
    expect(await mode(tokenFile)).toBe(0o600);
    expect(await mode(journal)).toBe(0o600);
  });
});

// A desired state that touches frontend only (the other orgs are carved out).
const HEAD = `version: 1
settings:
  ignore:
    organizations: [backend, legacy, "sandbox-*"]
`;

describe('an API error that echoes its input', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await sandbox();
  });
  afterAll(async () => sb.close());

  const totp = `${HEAD}organizations:
  frontend:
    secrets:
      NPM_TOKEN: { value: "\${NPM_TOKEN}", note: "read-only npm token" }
      TOTP_SEED: { value: "\${TOTP_SEED}", type: totp, note: "2fa seed" }
`;
  const env = { NPM_TOKEN: `${SECRET}-npm`, TOTP_SEED: `${SECRET}-totp` };

  it('is real: the emulator answers a non-base32 totp value with a 422 that contains the value', async () => {
    const org = sb.emu.state.organizations.find((o) => o.name === 'frontend')!;
    const res = await fetch(`${sb.emu.url}/v3/organizations/${org.org_id}/secrets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.emu.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'totp', key: 'PROBE', value: `${SECRET}-probe`, is_sensitive: true }),
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(`${SECRET}-probe`);
    expect(sb.emu.state.secrets.some((s) => s.key === 'PROBE')).toBe(false);
  });

  it('is reported by apply as a failed change, on stdout, stderr, with --debug and in the journal, without the value', async () => {
    const out = new Outputs();
    const file = await sb.write('totp.yaml', totp);
    const journal = join(sb.dir, 'journal.json');
    for (const format of ['text', 'json', 'markdown']) {
      out.cli(`plan --format ${format} --debug`, await sb.cli(['plan', '-f', file, '--format', format, '--debug'], { env }));
    }
    const apply = out.cli('apply --debug', await sb.cli(['apply', '-f', file, '--auto-approve', '--debug', '--journal', journal], { env }));
    out.cli('apply again', await sb.cli(['apply', '-f', file, '--auto-approve', '--journal', journal], { env }));
    await out.files(sb.dir, isState);

    expect(out.codes).toEqual({ 'plan --format text --debug': 0, 'plan --format json --debug': 0, 'plan --format markdown --debug': 0, 'apply --debug': 1, 'apply again': 1 });
    expect(apply.stdout).toMatch(/^secret:frontend\/TOTP_SEED: FAILED: POST \/v3\/organizations\/[^/]+\/secrets: HTTP 422: body\.value: Value error, a totp secret value must be base32/m);
    expect(apply.stderr).toMatch(/← 422 POST \/v3\/organizations\/[^/]+\/secrets \d+ms: body\.value: Value error/);
    const entry = JSON.parse(await readFile(journal, 'utf8')).changes.find((c: { address: string }) => c.address === 'secret:frontend/TOTP_SEED');
    expect(entry).toMatchObject({ status: 'failed', error: { status: 422 } });
    expect(sb.emu.state.secrets.map((s) => s.value)).toContain(`${SECRET}-npm`); // the independent change went through

    expect(out.containing(SECRET)).toEqual([]);
    expect(out.containing(sb.emu.adminToken)).toEqual([]);
    expect(await mode(journal)).toBe(0o600);
  });
});

describe('a wrong API token (401)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await sandbox();
  });
  afterAll(async () => sb.close());

  it('fails every command with a short message that shows neither the wrong token nor the real one, and writes nothing', async () => {
    const wrong = `cog_CANARYWRONG${letters(20)}`;
    const env = { DEVIN_API_TOKEN: wrong, NPM_TOKEN: `${SECRET}-npm`, STAGING_COOKIE: `${SECRET}-cookie` };
    const out = new Outputs();
    const f = ['-f', EXAMPLE];
    for (const [label, args] of [
      ['plan --debug', ['plan', ...f, '--debug']],
      ['plan --format json --debug', ['plan', ...f, '--format', 'json', '--debug']],
      ['drift --debug', ['drift', ...f, '--debug']],
      ['apply --debug', ['apply', ...f, ...DELETES, '--auto-approve', '--token-file', join(sb.dir, 't.jsonl'), '--debug']],
      ['export --debug', ['export', '--debug']],
    ] as const) {
      const r = out.cli(label, await sb.cli([...args], { env }));
      expect(r.stderr, label).toMatch(/^Error: .*401.*Invalid or expired token/m);
      expect(r.stderr, label).not.toMatch(/\n\s+at |Internal error/);
      expect(r.stdout, label).toBe('');
    }
    await out.files(sb.dir, isState);
    expect(Object.values(out.codes)).toEqual([1, 1, 1, 1, 1]);
    expect(out.containing(wrong)).toEqual([]);
    expect(out.containing(DEMO_TOKEN)).toEqual([]);
    expect(out.containing(SECRET)).toEqual([]);
    expect(sb.emu.stats().writes).toBe(0);
  });
});

describe('a literal secret value in the YAML', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await sandbox();
  });
  afterAll(async () => sb.close());

  // Literal values as a user might write them; some look like YAML syntax (a tag, an alias, a
  // block scalar header) and must not be repeated by the parser's messages either.
  const forms: [string, string][] = [
    ['quoted', `"${SECRET}"`],
    ['plain', `${SECRET}`],
    ['starting with ! (a YAML tag)', `!${SECRET}`],
    ['starting with !! (a YAML tag)', `!!${SECRET}`],
    ['starting with * (a YAML alias)', `*${SECRET}`],
    ['starting with | (a block scalar header)', `|${SECRET}`],
    ['starting with > (a folded scalar header)', `>${SECRET}`],
    ['a tag and a word', `!${SECRET} more`],
  ];

  it.each(forms)('is refused, %s, by validate and plan without repeating it, and nothing is written', async (_name, literal) => {
    const file = await sb.write('literal.yaml', `${HEAD}organizations:\n  frontend:\n    secrets:\n      NPM_TOKEN:\n        value: ${literal}\n`);
    sb.emu.resetStats();
    const out = new Outputs();
    const v = out.cli('validate', await sb.cli(['validate', '-f', file]));
    const p = out.cli('plan --debug', await sb.cli(['plan', '-f', file, '--debug']));
    expect(v.code).toBe(1);
    expect(p.code).toBe(1);
    expect(v.stderr).toMatch(/literal\.yaml:9:\d+: error: /);
    expect(p.stdout).toBe('');
    expect(out.containing(SECRET)).toEqual([]);
    expect(out.containing(SECRET.slice(1))).toEqual([]); // not even without its first character
    expect(sb.emu.stats().writes).toBe(0);
  });
});

describe('a missing secret variable', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await sandbox();
  });
  afterAll(async () => sb.close());

  it('stops validate, plan, drift and apply with the variable named and the other values not shown, and nothing is written', async () => {
    const file = await sb.write('missing.yaml', `${HEAD}organizations:
  frontend:
    secrets:
      NPM_TOKEN: { value: "\${NPM_TOKEN}" }
      STAGING_COOKIE: { value: "\${STAGING_COOKIE}", type: cookie }
`);
    const env = { NPM_TOKEN: `${SECRET}-npm` };
    const out = new Outputs();
    for (const [label, args] of [
      ['validate', ['validate', '-f', file]],
      ['plan --debug', ['plan', '-f', file, '--debug']],
      ['drift --debug', ['drift', '-f', file, '--debug']],
      ['apply --debug', ['apply', '-f', file, '--auto-approve', '--debug']],
    ] as const) {
      const r = out.cli(label, await sb.cli([...args], { env }));
      expect(r.code, label).toBe(1);
      expect(r.stderr, label).toContain('missing.yaml:9:32: error: environment variable STAGING_COOKIE is not set (organizations.frontend.secrets.STAGING_COOKIE)');
    }
    await writeFile(join(sb.dir, 'marker'), ''); // the folder scan below sees at least one file
    await out.files(sb.dir, isState);
    expect(out.containing(SECRET)).toEqual([]);
    expect(sb.emu.stats().writes).toBe(0);
  });
});
