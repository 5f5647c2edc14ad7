// Secret values for a run: read from the environment unless --skip-secret-values (D12), every
// missing variable reported at once, and the fingerprinter of D11. Values stay in memory.
import { resolveSecretValues } from '../config/secrets.js';
import type { LoadedConfig } from '../config/types.js';
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

export function prepareSecrets(io: Io, config: LoadedConfig, opts: SecretOptions): SecretRun {
  const fingerprinter = makeFingerprinter(io.env);
  if (opts.skipSecretValues) return { fingerprinter, adoptSecrets: Boolean(opts.adoptSecrets) };
  const { values, diagnostics } = resolveSecretValues(config.doc, config.locate, io.env);
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticsError(diagnostics);
  return { secretValues: values, fingerprinter, adoptSecrets: Boolean(opts.adoptSecrets) };
}
