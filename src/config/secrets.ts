// Reads secret values from the environment (D12: only when the run needs them; `validate` and
// `plan --skip-secret-values` may skip this). Every missing variable is reported at once, at the
// secret's `value`; a value never appears in a diagnostic. The loader does not call this.
import { displayPath, type Locate } from './paths.js';
import { SECRET_REF } from './rules.js';
import type { DesiredDoc, Diagnostic } from './types.js';

export function resolveSecretValues(
  doc: DesiredDoc,
  locate: Locate,
  env: Record<string, string | undefined>,
): { values: Map<string, string> /* key "org/KEY" */; diagnostics: Diagnostic[] } {
  const values = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const [org, o] of Object.entries(doc.organizations ?? {})) {
    for (const [key, secret] of Object.entries(o.secrets ?? {})) {
      if (secret.value === undefined) continue; // value hands-off
      const name = secret.value_var ?? SECRET_REF.exec(secret.value)?.[1];
      if (name === undefined) continue; // a literal: already an error from the rules
      const v = Object.hasOwn(env, name) ? env[name] : undefined;
      const where = displayPath(['organizations', org, 'secrets', key]);
      if (v === undefined || v === '') {
        diagnostics.push({
          ...locate(['organizations', org, 'secrets', key, 'value']),
          severity: 'error',
          message: `environment variable ${name} is ${v === undefined ? 'not set' : 'empty'} (${where})`,
        });
        continue;
      }
      values.set(`${org}/${key}`, v);
    }
  }
  return { values, diagnostics };
}
