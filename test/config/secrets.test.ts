import { describe, expect, it } from 'vitest';
import { formatDiagnostic, resolveSecretValues } from '../../src/config/index.js';
import { load } from './helpers.js';

const src = [
  'version: 1',
  'organizations:',
  '  frontend:',
  '    secrets:',
  '      NPM_TOKEN: { value: "${NPM_TOKEN}" }',
  '      COOKIE: { value: "${COOKIE}", type: cookie }',
  '      HANDS_OFF: { note: "value not managed" }',
  '  backend:',
  '    secrets:',
  '      NPM_TOKEN: { value: "${BACKEND_TOKEN}" }',
  '      EMPTY: { value: "${EMPTY}" }',
  '',
].join('\n');

describe('resolveSecretValues', () => {
  it('reports every missing or empty variable at once, at each value, and never a value', async () => {
    const { config } = await load({ 'f.yaml': src });
    const env = { NPM_TOKEN: 'npm_secret_value', EMPTY: '', UNRELATED: 'zzz' };
    const r = resolveSecretValues(config!.doc, config!.locate, env);
    const out = r.diagnostics.map(formatDiagnostic);
    expect(out).toEqual([
      'f.yaml:6:24: error: environment variable COOKIE is not set (organizations.frontend.secrets.COOKIE)',
      'f.yaml:10:27: error: environment variable BACKEND_TOKEN is not set (organizations.backend.secrets.NPM_TOKEN)',
      'f.yaml:11:23: error: environment variable EMPTY is empty (organizations.backend.secrets.EMPTY)',
    ]);
    expect(out.join('\n')).not.toContain('npm_secret_value');
    expect([...r.values.keys()]).toEqual(['frontend/NPM_TOKEN']);
  });

  it('returns each value keyed "org/KEY" when all are set', async () => {
    const { config } = await load({ 'f.yaml': src });
    const r = resolveSecretValues(config!.doc, config!.locate, { NPM_TOKEN: 'a', COOKIE: 'b', BACKEND_TOKEN: 'c', EMPTY: 'd' });
    expect(r.diagnostics).toEqual([]);
    expect(Object.fromEntries(r.values)).toEqual({ 'frontend/NPM_TOKEN': 'a', 'frontend/COOKIE': 'b', 'backend/NPM_TOKEN': 'c', 'backend/EMPTY': 'd' });
  });

  it('loadConfig itself reads no variables (D12: --skip-secret-values)', async () => {
    const r = await load({ 'f.yaml': src });
    expect(r.diagnostics).toEqual([]);
  });

  it('does not read inherited properties of the env object as variables', async () => {
    const { config } = await load({ 'f.yaml': 'version: 1\norganizations: { o: { secrets: { K: { value: "${toString}" } } } }\n' });
    const r = resolveSecretValues(config!.doc, config!.locate, {});
    expect(r.diagnostics.map((d) => d.message)).toEqual(['environment variable toString is not set (organizations.o.secrets.K)']);
  });
});
