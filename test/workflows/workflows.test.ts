// The GitHub Actions examples run their devinctl steps for real: each `run:` script is executed
// by bash, exactly as written, against the emulator (with `npx devinctl` resolving to this build).
import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/emulator.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WF = join(ROOT, 'examples/github-actions');

interface Step { id?: string; name?: string; run?: string; env?: Record<string, string> }
interface Workflow { jobs: Record<string, { env?: Record<string, string>; steps: Step[] }> }

async function workflow(name: string): Promise<{ env: Record<string, string>; steps: Step[] }> {
  const wf = parse(await readFile(join(WF, name), 'utf8')) as Workflow;
  const job = Object.values(wf.jobs)[0];
  return { env: job.env ?? {}, steps: job.steps };
}

let sb: Sandbox;
let repo: string;
let bin: string;
const secrets: Record<string, string> = {};

function expand(text: string): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const s = /^secrets\.(\w+)$/.exec(expr);
    if (s) return secrets[s[1]] ?? '';
    if (expr === 'github.event.pull_request.number') return '42';
    return '';
  });
}

/** Run one step's script with bash in the GitOps repo; returns its exit code and outputs. */
async function runStep(file: string, id: string): Promise<{ code: number; outputs: Record<string, string>; stderr: string }> {
  const wf = await workflow(file);
  const step = wf.steps.find((s) => s.id === id);
  if (!step?.run) throw new Error(`${file} has no run step with id ${id}`);
  const out = join(repo, `github-output-${id}`);
  await writeFile(out, '');
  const env: Record<string, string> = { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME ?? '/tmp', GITHUB_OUTPUT: out, DEVIN_API_URL: sb.emu.url };
  for (const [k, v] of Object.entries({ ...wf.env, ...(step.env ?? {}) })) env[k] = expand(String(v));
  // async: the emulator answers from this process, so the child must not block it
  const r = await new Promise<{ status: number | null; stderr: string }>((done) => {
    const child = spawn('bash', ['-e', '-c', expand(step.run!)], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => done({ status, stderr }));
  });
  const outputs = Object.fromEntries((await readFile(out, 'utf8')).split('\n').filter(Boolean).map((l) => l.split('=') as [string, string]));
  return { code: r.status ?? -1, outputs, stderr: r.stderr };
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')]);
  sb = await sandbox();
  repo = join(sb.dir, 'gitops');
  bin = join(sb.dir, 'bin');
  await mkdir(repo);
  await mkdir(bin);
  await writeFile(join(bin, 'npx'), `#!/bin/sh\nif [ "$1" = devinctl ]; then shift; exec "${process.execPath}" "${join(ROOT, 'dist/cli/main.js')}" "$@"; fi\necho "unexpected npx $*" >&2; exit 127\n`);
  await chmod(join(bin, 'npx'), 0o755);
  const example = await readFile(join(ROOT, 'examples/devin.yaml'), 'utf8');
  await writeFile(join(repo, 'devin.yaml'), example
    .replace('organizations: ["sandbox-*"]', 'organizations: ["sandbox-*", legacy]\n    idp_groups: [old-contractors]')
    .replace('service_users: ["devinctl-*"]', 'service_users: ["devinctl-*", old-bot]'));
  Object.assign(secrets, { DEVIN_API_TOKEN: sb.emu.adminToken, DEVIN_API_READ_TOKEN: sb.emu.adminToken, NPM_TOKEN: 'npm-wf', STAGING_COOKIE: 'cookie-wf', DEVINCTL_FINGERPRINT_KEY: 'wf-key' });
}, 120_000);
afterAll(async () => sb?.close());

describe('GitHub Actions workflows', () => {
  it('plan on a pull request saves the plan, renders the comment with its marker, and reports changes', async () => {
    const plan = await runStep('devinctl-plan.yml', 'plan');
    expect(plan.stderr).not.toMatch(/error/i);
    expect(plan.code).toBe(0);
    expect(plan.outputs.exitcode).toBe('2');
    expect((await stat(join(repo, 'plan.json'))).mode & 0o777).toBe(0o600);
    const render = await runStep('devinctl-plan.yml', 'render');
    expect(render.code).toBe(0);
    const md = await readFile(join(repo, 'plan.md'), 'utf8');
    expect(md.startsWith('<!-- devinctl:plan -->')).toBe(true);
    expect(md).not.toContain('npm-wf');
  });

  it('apply on merge applies exactly the reviewed plan, writes the journal and the tokens 0600', async () => {
    const r = await runStep('devinctl-apply.yml', 'apply');
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const journal = JSON.parse(await readFile(join(repo, 'journal.json'), 'utf8'));
    expect(journal.changes.every((c: { status: string }) => c.status === 'done')).toBe(true);
    expect((await stat(join(repo, 'tokens.jsonl'))).mode & 0o777).toBe(0o600);
  });

  it('drift on a schedule finds nothing after apply, and drift after an out-of-band change', async () => {
    const clean = await runStep('devinctl-drift.yml', 'drift');
    expect(clean.code).toBe(0);
    expect(clean.outputs.exitcode).toBe('0');
    sb.emu.state.organizations.find((o) => o.name === 'frontend')!.max_session_acu_limit = 1;
    const drifted = await runStep('devinctl-drift.yml', 'drift');
    expect(drifted.code).toBe(0);
    expect(drifted.outputs.exitcode).toBe('2');
    expect(await readFile(join(repo, 'drift.md'), 'utf8')).toContain('organization:frontend');
  });

  it('apply refuses a reviewed plan when live state moved after it was made', async () => {
    const plan = await runStep('devinctl-plan.yml', 'plan');
    expect(plan.outputs.exitcode).toBe('2');
    sb.emu.state.organizations.find((o) => o.name === 'frontend')!.max_cycle_acu_limit = 7;
    const r = await runStep('devinctl-apply.yml', 'apply');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('organization:frontend moved');
  });

  it('a fork pull request plans without secret values, and that plan cannot be applied when it writes secrets', async () => {
    const s = sb.emu.state.secrets.find((x) => x.key === 'NPM_TOKEN')!;
    sb.emu.state.secrets = sb.emu.state.secrets.filter((x) => x !== s);
    await mkdir(join(repo, 'pr'), { recursive: true });
    await writeFile(join(repo, 'pr/devin.yaml'), await readFile(join(repo, 'devin.yaml'), 'utf8'));
    const plan = await runStep('devinctl-plan.yml', 'plan-fork');
    expect(plan.code).toBe(0);
    expect(plan.outputs.exitcode).toBe('2');
    const r = await runStep('devinctl-apply.yml', 'apply');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--skip-secret-values');
  });
});
