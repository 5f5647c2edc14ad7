// The read side of a run: lookups, desired objects per kind, live reads fanned out per kind,
// then the pure plan. Used by plan, apply, drift and the post-apply check.
import type { ApiClient } from '../api/types.js';
import type { Diagnostic, LoadedConfig } from '../config/types.js';
import type { DesiredContext, DesiredResult, Lookups, ResourceKind, ResourceObject } from './types.js';
import { readLookups } from './lookups.js';
import { sortDiagnostics } from '../config/format.js';
import { ignoreMatcher } from './ignore.js';
import { makePlan, type PlanOutput } from './plan.js';

export class DiagnosticsError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(`${diagnostics.filter((d) => d.severity === 'error').length} error(s) in the desired state`);
    this.name = 'DiagnosticsError';
  }
}

/**
 * Live diagnostics for a document that already has offline errors (unknown roles, connections,
 * organizations): lookup reads only, never a write (D7). The document may be malformed, so a
 * kind that cannot make sense of it is skipped.
 */
export async function liveDiagnostics(
  api: ApiClient,
  partial: { doc: LoadedConfig['doc']; locate: LoadedConfig['locate'] },
  kinds: readonly ResourceKind[],
): Promise<Diagnostic[]> {
  const lookups = await readLookups(api, partial.doc, ignoreMatcher(partial.doc.settings));
  const ctx: DesiredContext = { doc: partial.doc, locate: partial.locate, lookups };
  const out: Diagnostic[] = [];
  for (const k of kinds) {
    try {
      out.push(...k.desired(ctx).diagnostics.filter((d) => d.severity === 'error'));
    } catch {
      // malformed input already reported offline
    }
  }
  return out;
}

export interface RunOptions {
  allowRenameCase?: boolean;
  secretValues?: Map<string, string>;
  fingerprinter?: DesiredContext['fingerprinter'];
  adoptSecrets?: boolean;
}

export interface PlanRun extends PlanOutput {
  lookups: Lookups;
  live: ResourceObject[];
  ctx: DesiredContext;
}

export async function planFromApi(
  api: ApiClient,
  config: LoadedConfig,
  kinds: readonly ResourceKind[],
  options: RunOptions = {},
): Promise<PlanRun> {
  const ignored = ignoreMatcher(config.doc.settings);
  const lookups = await readLookups(api, config.doc, ignored);
  const ctx: DesiredContext = {
    doc: config.doc,
    locate: config.locate,
    lookups,
    secretValues: options.secretValues,
    fingerprinter: options.fingerprinter,
    adoptSecrets: options.adoptSecrets,
  };

  const desired = new Map<string, DesiredResult>();
  const diagnostics: Diagnostic[] = [];
  for (const k of kinds) {
    const res = k.desired(ctx);
    desired.set(k.name, res);
    diagnostics.push(...res.diagnostics);
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticsError(sortDiagnostics(diagnostics, config.files));

  // organizations leaving the file are deleted with their children (D18): read those too
  const cascade = new Set<string>();
  if (config.doc.organizations) {
    for (const key of lookups.orgIdByKey.keys()) {
      if (!(key in config.doc.organizations) && !ignored({ kind: 'organization', key, parent: '' })) cascade.add(key);
    }
  }

  ctx.cascade = cascade;
  const sharedReads = new Map<string, Promise<unknown>>();
  const readWarnings: Diagnostic[] = [];
  const liveLists = await Promise.all(
    kinds.map((k) => {
      const owned = desired.get(k.name)!.owned;
      const scopes = k.name === 'organization' || owned.includes('') ? owned : [...new Set([...owned, ...cascade])];
      return k.read(api, {
        lookups,
        scopes,
        cascade,
        shared<T>(key: string, read: () => Promise<T>): Promise<T> {
          if (!sharedReads.has(key)) sharedReads.set(key, read());
          return sharedReads.get(key) as Promise<T>;
        },
        warn(message, at) {
          const pos = at ? config.locate(at) : { file: '', line: 0, col: 0 };
          readWarnings.push({ ...pos, severity: 'warning', message });
        },
      });
    }),
  );
  const live = liveLists.flat();
  const out = makePlan({ kinds, desired, live, cascade, ignored, ctx, allowRenameCase: options.allowRenameCase });
  out.diagnostics.unshift(...diagnostics, ...readWarnings);
  out.plan.warnings.unshift(...diagnostics.filter((d) => d.severity === 'warning'), ...readWarnings);
  if (out.diagnostics.some((d) => d.severity === 'error')) throw new DiagnosticsError(sortDiagnostics(out.diagnostics, config.files));
  return { ...out, lookups, live, ctx };
}
