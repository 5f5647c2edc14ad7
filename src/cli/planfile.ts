// Saved plans (D24): `plan --out FILE` writes the plan document plus digests (0600, no secret
// values: only fingerprints); `apply FILE` reads it back, validated against plan.schema.json.
import { readFile } from 'node:fs/promises';
import { writePrivate } from './files.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { LoadedConfig } from '../config/types.js';
import { liveDigests, planDigest } from '../engine/digest.js';
import type { PlanRun } from '../engine/pipeline.js';
import type { Change } from '../engine/types.js';
import { planDocument } from '../render/json.js';
import { VERSION } from '../api/version.js';
import { UsageError } from './exit.js';
import type { SecretRun } from './secrets.js';
import { PLAN_SCHEMA } from './schema-files.js';

export interface SavedBlock {
  devinctl_version: string;
  created_at: string;
  api_url?: string;
  files: string[];
  desired_digest: string;
  live_digest: string;
  live: Record<string, string>;
  secret_fingerprints: Record<string, string>;
  skip_secret_values: boolean;
  targets: string[];
  allow_delete: string[];
  force: boolean;
}

export interface SavedPlan {
  format_version: 1;
  changes: { address: string; action: Change['action']; kind: string; fields: { field: string }[] }[];
  summary: Record<string, number>;
  saved: SavedBlock;
}

/** Fingerprints of the secret values a plan writes, salted with the org key (the org may not exist yet). */
export function secretFingerprints(changes: Change[], secrets: SecretRun): Record<string, string> {
  const out: Record<string, string> = {};
  if (!secrets.secretValues) return out;
  for (const c of changes) {
    if (c.kind !== 'secret' || (c.action !== 'create' && c.action !== 'replace')) continue;
    const value = secrets.secretValues.get(c.key);
    if (value === undefined) continue;
    const key = c.key.slice(c.parent.length + 1);
    out[c.address] = `${secrets.fingerprinter.scheme}:${secrets.fingerprinter.kid}:${secrets.fingerprinter.fp(`org-key:${c.parent}`, key, value)}`;
  }
  return out;
}

export async function writeSavedPlan(
  path: string,
  run: PlanRun,
  plan: PlanRun['plan'],
  config: LoadedConfig,
  secrets: SecretRun,
  extra: { files: string[]; apiUrl: string; skipSecretValues: boolean; targets: string[]; allowDelete: string[]; force: boolean },
): Promise<void> {
  const live = liveDigests(plan, run.live);
  const saved: SavedBlock = {
    devinctl_version: VERSION,
    created_at: new Date().toISOString(),
    api_url: extra.apiUrl,
    files: extra.files,
    desired_digest: config.digest,
    live_digest: planDigest(config.digest, live),
    live,
    secret_fingerprints: secretFingerprints(plan.changes, secrets),
    skip_secret_values: extra.skipSecretValues,
    targets: extra.targets,
    allow_delete: extra.allowDelete,
    force: extra.force,
  };
  const doc = { ...planDocument(plan), saved };
  await writePrivate(path, JSON.stringify(doc, null, 2) + '\n');
}

let validator: ((doc: unknown) => boolean) & { errors?: unknown[] | null } | undefined;

export async function readSavedPlan(path: string): Promise<SavedPlan> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read the saved plan ${path}: ${(e as Error).message}`);
  }
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    validator = ajv.compile(PLAN_SCHEMA);
  }
  if (!validator(doc) || !(doc as SavedPlan).saved) {
    throw new UsageError(`${path} is not a saved devinctl plan (make one with plan --out FILE)`);
  }
  return doc as SavedPlan;
}
