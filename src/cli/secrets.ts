// Secret values for a run: read from the environment unless --skip-secret-values (D12), every
// missing variable reported at once, and the fingerprinter of D11. Values stay in memory.
import { resolveSecretValues } from '../config/secrets.js';
import type { Diagnostic, LoadedConfig } from '../config/types.js';
import { sortDiagnostics } from '../config/format.js';
import { makeFingerprinter, type Fingerprinter } from '../engine/fingerprint.js';
import { DiagnosticsError } from '../engine/pipeline.js';
import type { Io } from './io.js';

export interface SecretOptions {
  skipSecretValues?: boolean;
  adoptSecrets?: boolean;
}

export interface SecretRun {
  secretValues?: Map<string, string>;
  fingerprinter: Fingerprinter;
  adoptSecrets: boolean;
}

/** devinctl's own credentials must never be copied into an org secret (a PR could exfiltrate them). */
export const OWN_VARIABLES = ['DEVIN_API_TOKEN', 'DEVIN_TOKEN', 'DEVINCTL_FINGERPRINT_KEY'];

export function ownCredentials(config: Pick<LoadedConfig, 'doc' | 'locate'>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [org, o] of Object.entries(config.doc.organizations ?? {})) {
    for (const [key, s] of Object.entries(o?.secrets ?? {})) {
      if (s?.value_var && OWN_VARIABLES.includes(s.value_var)) {
        out.push({ ...config.locate(['organizations', org, 'secrets', key, 'value']), severity: 'error', message: `\${${s.value_var}} is devinctl's own credential and cannot be a secret value` });
      }
    }
  }
  return out;
}

export function prepareSecrets(io: Io, config: LoadedConfig, opts: SecretOptions): SecretRun {
  const fingerprinter = makeFingerprinter(io.env);
  if (opts.skipSecretValues) return { fingerprinter, adoptSecrets: Boolean(opts.adoptSecrets) };
  const { values, diagnostics } = resolveSecretValues(config.doc, config.locate, io.env);
  diagnostics.push(...ownCredentials(config));
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticsError(sortDiagnostics(diagnostics, config.files));
  return { secretValues: values, fingerprinter, adoptSecrets: Boolean(opts.adoptSecrets) };
}

/** Offline secret problems of a document that already has other errors, so all show at once. */
export function secretDiagnostics(partial: Pick<LoadedConfig, 'doc' | 'locate'>, env: Record<string, string | undefined>, skip: boolean): Diagnostic[] {
  const own = ownCredentials(partial);
  if (skip) return own;
  try {
    return [...resolveSecretValues(partial.doc, partial.locate, env).diagnostics, ...own];
  } catch {
    return own; // a malformed document: its errors are already reported
  }
}
