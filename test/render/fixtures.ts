// Plans built by hand for the renderer tests: the renderers see exactly what the engine gives them
// (a Plan), so their golden files do not move when the engine or the kinds change.
import type { Diagnostic } from '../../src/config/types.js';
import type { Change, FieldDiff, Plan, Spec } from '../../src/engine/types.js';

/** Held by sensitive fields only: it must never appear in any output. */
export const CANARY = 'CANARY-SECRET-VALUE-123';

export function summarize(changes: Change[]): Plan['summary'] {
  const s = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const c of changes) s[c.action]++;
  return s;
}

export function plan(changes: Change[], warnings: Diagnostic[] = []): Plan {
  return { changes, warnings, summary: summarize(changes) };
}

export function warning(message: string, file = '', line = 0, col = 0): Diagnostic {
  return { file, line, col, severity: 'warning', message };
}

const split = (address: string): { kind: string; key: string } => {
  const i = address.indexOf(':');
  return { kind: address.slice(0, i), key: address.slice(i + 1) };
};
/** As the kinds set it: the organization key for org collections (tags:<org>, secret:<org>/<KEY>...), '' for enterprise ones. */
const ENTERPRISE_KINDS = ['organization', 'idp-group', 'service-user', 'org-group-limit'];
const parentOf = (kind: string, key: string): string => (ENTERPRISE_KINDS.includes(kind) ? '' : key.split('/')[0]);

interface Extra {
  sensitive?: string[];
  reason?: string;
  cascade?: boolean;
  deps?: string[];
  parent?: string;
}

function fieldsOf(before: Spec | undefined, after: Spec, sensitive: string[] | undefined): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const field of Object.keys(after).sort()) {
    const b = before?.[field];
    const a = after[field];
    if (before && JSON.stringify(a) === JSON.stringify(b)) continue;
    out.push({ field, before: b, after: a, ...(sensitive?.includes(field) ? { sensitive: true } : {}) });
  }
  return out;
}

function base(address: string, x: Extra): Pick<Change, 'address' | 'kind' | 'key' | 'parent' | 'deps'> & Partial<Change> {
  const { kind, key } = split(address);
  return {
    address, kind, key, parent: x.parent ?? parentOf(kind, key), deps: x.deps ?? [],
    ...(x.sensitive ? { sensitive: x.sensitive } : {}),
    ...(x.reason ? { reason: x.reason } : {}),
    ...(x.cascade ? { cascade: true } : {}),
  };
}

/** Built the way engine/diff.ts builds changes: fields sorted, sensitive marked on both levels. */
export const create = (address: string, after: Spec, x: Extra = {}): Change => ({ ...base(address, x), action: 'create', after, fields: fieldsOf(undefined, after, x.sensitive) });
export const update = (address: string, before: Spec, desired: Spec, x: Extra = {}): Change => ({
  ...base(address, x), action: 'update', before, after: { ...before, ...desired }, fields: fieldsOf(before, desired, x.sensitive),
});
export const replace = (address: string, before: Spec, desired: Spec, x: Extra = {}): Change => ({ ...update(address, before, desired, x), action: 'replace' });
export const remove = (address: string, before: Spec, x: Extra = {}): Change => ({ ...base(address, x), action: 'delete', before, fields: [] });
export const cascaded = (address: string, before: Spec, x: Extra = {}): Change => remove(address, before, { ...x, cascade: true, reason: 'deleted with organization' });

const NOTE_BEFORE = 'Deploy key for the staging cluster.\nRotated by the platform team.\nOwner: #platform';
const NOTE_AFTER = 'Deploy key for the staging cluster.\nRotated every 90 days by the platform team.\nOwner: #platform\nSee ```docs/keys.md``` </details>';

/** A small plan with every action, a cascade, secrets holding the canary, a multi-line field and warnings. */
export function mixedPlan(): Plan {
  const secret = ['value'];
  return plan(
    [
      create('organization:data', { name: 'data', max_session_acu_limit: 100 }),
      update('organization:frontend', { name: 'frontend', max_session_acu_limit: 100, max_cycle_acu_limit: 10000 }, { max_session_acu_limit: 200 }),
      create('idp-group:data-science', { role: 'Member' }),
      create('secret:data/DEPLOY_KEY', { type: 'key-value', sensitive: true, note: 'multi-line key', value: `-----BEGIN KEY-----\n${CANARY}\n-----END KEY-----` }, { sensitive: secret }),
      update('tags:frontend', { allowed: ['frontend', 'legacy'], default: 'legacy' }, { allowed: ['frontend', 'release'], default: 'frontend' }),
      replace(
        'secret:frontend/STAGING_KEY',
        { type: 'key-value', sensitive: true, note: NOTE_BEFORE, value: null },
        { note: NOTE_AFTER, value: CANARY },
        { sensitive: secret, reason: 'note, value cannot be changed in place' },
      ),
      create('git-permission:data/github/repo_path:acme/warehouse', { connection_id: 'git-connection-1', field: 'repo_path', path: 'acme/warehouse', read_only: false }),
      update('org-group-limit:product-teams', { max_cycle_acus: 3000, organizations: ['frontend'] }, { max_cycle_acus: 5000, organizations: ['backend', 'frontend'] }),
      remove('git-permission:frontend/github/repo_path:acme/old', { connection_id: 'git-connection-1', field: 'repo_path', path: 'acme/old', read_only: false }),
      remove('secret:frontend/OLD_API_KEY', { type: 'key-value', sensitive: true, note: '', value: CANARY }, { sensitive: secret }),
      remove('organization:legacy', { name: 'legacy', max_session_acu_limit: 50, max_cycle_acu_limit: 500 }),
      cascaded('tags:legacy', { allowed: ['legacy'], default: null }),
      cascaded('secret:legacy/LEGACY_TOKEN', { type: 'key-value', sensitive: true, note: 'old', value: CANARY }, { sensitive: secret }),
      remove('idp-group:old-contractors', { role: 'Member' }, { reason: 'the API refuses to delete a group that still has members (D19); no endpoint removes them' }),
    ],
    [
      warning('service user ci-reporter expires in 20 days (2026-12-23); after that devinctl replaces it'),
      warning("group_prefix 'acme/web/' has a trailing '/': stripped (D10) | <details> `x`", 'devin.yaml', 31, 9),
    ],
  );
}

export const emptyPlan = (): Plan => plan([]);

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** 3,000 changes: 60 organizations of 49 changes each (one deleted with cascades every ten, one created every ten) and 60 enterprise ones. */
export function largePlan(): Plan {
  const changes: Change[] = [];
  for (let o = 0; o < 60; o++) {
    const org = `org-${pad(o)}`;
    if (o % 10 === 3) {
      changes.push(remove(`organization:${org}`, { name: org, max_session_acu_limit: 100 }));
      for (let i = 0; i < 48; i++) changes.push(cascaded(`git-permission:${org}/github/repo_path:acme/${org}-repo-${pad(i)}`, { connection_id: 'git-connection-1', field: 'repo_path', path: `acme/${org}-repo-${pad(i)}`, read_only: false }));
      continue;
    }
    if (o % 10 === 7) changes.push(create(`organization:${org}`, { name: org, max_session_acu_limit: 50 + o }));
    else changes.push(update(`organization:${org}`, { name: org, max_session_acu_limit: 100, max_cycle_acu_limit: null }, { max_session_acu_limit: 100 + o }));
    changes.push(update(`tags:${org}`, { allowed: ['api', 'legacy'], default: 'legacy' }, { allowed: ['api', org], default: org }));
    changes.push(replace(`secret:${org}/NPM_TOKEN`, { type: 'key-value', sensitive: true, note: '', value: null }, { value: CANARY }, { sensitive: ['value'], reason: 'value not verifiable (no devinctl marker): replaced once to adopt it' }));
    for (let i = 0; i < 40; i++) {
      const path = `acme/${org}/repo-${pad(i)}`;
      const address = `git-permission:${org}/github/repo_path:${path}`;
      const spec: Spec = { connection_id: 'git-connection-1', field: 'repo_path', path, read_only: false };
      if (i % 4 === 0) changes.push(remove(address, spec));
      else if (i % 4 === 1) changes.push(update(address, spec, { read_only: true }));
      else changes.push(create(address, spec));
    }
    for (let i = 0; i < 4; i++) changes.push(create(`idp-group-org-role:${org}/team-${i}`, { role: i === 0 ? 'Admin' : 'Member' }));
    changes.push(remove(`service-user-org-role:${org}/old-bot`, { role: 'Member' }));
    changes.push(create(`service-user-org-role:${org}/ci-reporter`, { role: 'Member' }));
  }
  for (let i = 0; i < 30; i++) changes.push(create(`idp-group:team-${pad(i)}`, { role: 'Member' }));
  for (let i = 0; i < 20; i++) changes.push(i % 2 ? update(`service-user:bot-${pad(i)}`, { role: 'Member', scope: '', expired: false }, { role: 'Admin' }) : create(`service-user:bot-${pad(i)}`, { role: 'Member', scope: '', expired: false, ttl_days: 30 }));
  for (let i = 0; i < 10; i++) changes.push(remove(`org-group-limit:group-${pad(i)}`, { max_cycle_acus: 100 * i, organizations: [`org-${pad(i)}`] }));
  const warnings = Array.from({ length: 12 }, (_, i) => warning(`service user bot-${pad(i)} expires in ${i + 1} days; after that devinctl replaces it`));
  return plan(changes, warnings);
}

export const FIXTURES: Record<string, () => Plan> = { mixed: mixedPlan, empty: emptyPlan, large: largePlan };
