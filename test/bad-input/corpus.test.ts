import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, loadConfig, resolveSecretValues } from '../../src/config/index.js';
import { generatedCases, staticCases, type CorpusCase } from './corpus.js';

const tmp = mkdtempSync(join(tmpdir(), 'devinctl-corpus-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cases: CorpusCase[] = [...staticCases(), ...generatedCases(tmp)].sort((a, b) => (a.name < b.name ? -1 : 1));

/** What `devinctl validate -f …` reports, with exactly the case's environment (secret values are read). */
async function validate(c: CorpusCase): Promise<string[]> {
  const r = await loadConfig(c.args);
  const out = r.diagnostics.map(formatDiagnostic);
  if (r.config) out.push(...resolveSecretValues(r.config.doc, r.config.locate, c.env).diagnostics.map(formatDiagnostic));
  return out;
}

describe('the bad-input corpus', () => {
  it('holds at least 35 cases with distinct numbers, each expecting at least one diagnostic', () => {
    expect(cases.length).toBeGreaterThanOrEqual(35);
    const numbers = cases.map((c) => c.name.split('-')[0]);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const c of cases) expect(c.expected.length, c.name).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))('case %s reports exactly its expected diagnostics', async (_name, c) => {
    const out = await validate(c);
    expect(out).toEqual(c.expected);
    for (const value of Object.values(c.env)) if (value !== '') expect(out.join('\n')).not.toContain(value);
  });

  it('no case echoes a literal secret value', async () => {
    const literal = cases.find((c) => c.name.startsWith('25-'))!;
    expect((await validate(literal)).join('\n')).not.toContain('npm_SuperSecretLiteral123');
  });
});
