// Kind `secret` (address secret:<org>/<KEY>): an organization secret. The API has no update and
// never returns a value, so any change is a replace, and the value is compared through the
// fingerprint marker devinctl leaves at the end of the note (D11). Values live in memory only.
import { ApiError } from '../api/types.js';
import type { Diagnostic } from '../config/types.js';
import type { Change, JsonValue, ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { parseMarker, withMarker } from '../engine/fingerprint.js';
import { diag, enc, liveScopes, orgsWith } from './common.js';

interface SecretSpec extends Spec {
  type?: string;
  note?: string;
  sensitive?: boolean;
  /** "<scheme>:<kid>:<fingerprint>" of the value; "pending" until the org exists; null = no marker live. */
  value?: string | null;
}

interface LiveSecret {
  secret_id: string;
  key: string | null;
  note: string | null;
  is_sensitive: boolean;
  secret_type: string;
}

const base = (orgId: string) => `/v3/organizations/${enc(orgId)}/secrets`;
export const PENDING = 'pending';
const ADOPT = 'adopt:';

function markerId(scheme: string, kid: string, fp: string): string {
  return `${scheme}:${kid}:${fp}`;
}

export const secret: ResourceKind<SecretSpec> = {
  name: 'secret',
  collection: 'secrets',
  immutable: ['type', 'note', 'sensitive', 'value'],
  sensitive: ['value'],

  desired(ctx) {
    const objects: ResourceObject<SecretSpec>[] = [];
    const owned: string[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const [org, secrets] of orgsWith(ctx, 'secrets')) {
      owned.push(org);
      for (const [key, s] of Object.entries(secrets ?? {})) {
        const spec: SecretSpec = {};
        if (s.type !== undefined) spec.type = s.type;
        if (s.note !== undefined) spec.note = s.note;
        if (s.sensitive !== undefined) spec.sensitive = s.sensitive;
        if (s.value_var !== undefined && ctx.secretValues) {
          const value = ctx.secretValues.get(`${org}/${key}`);
          const orgId = ctx.lookups.orgIdByKey.get(org);
          const f = ctx.fingerprinter;
          if (value !== undefined && f) {
            spec.value = orgId ? (ctx.adoptSecrets ? ADOPT : '') + markerId(f.scheme, f.kid, f.fp(orgId, key, value)) : PENDING;
          }
        }
        objects.push({ kind: 'secret', key: `${org}/${key}`, parent: org, spec, pos: ctx.locate(['organizations', org, 'secrets', key]) });
      }
    }
    return { objects, owned, diagnostics };
  },

  async read(api, ctx) {
    const out: ResourceObject<SecretSpec>[] = [];
    await Promise.all(
      liveScopes(ctx.lookups, ctx.scopes).map(async ([org, orgId]) => {
        const items = await api.list<LiveSecret>(base(orgId), {}, { label: `secrets of ${org}` });
        for (const s of items) {
          if (s.secret_type === 'dictionary') {
            ctx.warn(`secret ${org}/${s.key ?? s.secret_id} is a legacy 'dictionary' secret: devinctl reads it and never replaces or deletes it`, ['organizations', org]);
            continue;
          }
          if (!s.key) continue;
          const { note, marker } = parseMarker(s.note);
          out.push({
            kind: 'secret',
            key: `${org}/${s.key}`,
            parent: org,
            spec: {
              type: s.secret_type,
              note,
              sensitive: s.is_sensitive,
              value: marker ? markerId(marker.scheme, marker.kid, marker.fp) : null,
            },
            meta: { id: s.secret_id },
          });
        }
      }),
    );
    return out;
  },

  equal(field, desired, live) {
    if (field !== 'value') return JSON.stringify(desired) === JSON.stringify(live);
    if (desired === PENDING) return false;
    if (typeof live !== 'string') return false; // no marker: replaced once, to adopt
    const adopt = typeof desired === 'string' && desired.startsWith(ADOPT);
    const want = String(desired).replace(ADOPT, '');
    const sameKey = want.split(':').slice(0, 2).join(':') === live.split(':').slice(0, 2).join(':');
    if (!sameKey) return !adopt; // not verifiable with this key: left alone unless --adopt-secrets
    return want === live;
  },

  describe(change) {
    if (change.action !== 'replace') return undefined;
    const v = change.fields.find((f) => f.field === 'value');
    const others = change.fields.filter((f) => f.field !== 'value').map((f) => f.field);
    const parts: string[] = [];
    const sameKey = typeof v?.before === 'string' && typeof v.after === 'string' && v.before.split(':').slice(0, 2).join(':') === v.after.replace(ADOPT, '').split(':').slice(0, 2).join(':');
    if (v) parts.push(v.before === null ? 'value not verifiable (no devinctl marker): replaced once to adopt it' : v.after === PENDING || sameKey ? 'value changed' : 'marker from another fingerprint key or scheme: replaced to adopt it (--adopt-secrets)');
    if (others.length) parts.push(`${others.join(', ')} changed`);
    return `${parts.join('; ')}; secrets have no update endpoint`;
  },

  references: (o) => [`organization:${o.parent}`],

  check(desired, live, ctx) {
    const out: Diagnostic[] = unverifiable(desired, live, ctx);
    // a replace needs the value: with the value hands-off, a metadata change cannot be made
    if (!ctx.secretValues) return out;
    const liveBy = new Map(live.filter((l) => l.kind === 'secret').map((l) => [l.key, l]));
    for (const d of desired) {
      if (d.kind !== 'secret' || 'value' in d.spec) continue;
      const l = liveBy.get(d.key);
      const changed = !l || ['type', 'note', 'sensitive'].some((f) => f in d.spec && JSON.stringify(d.spec[f]) !== JSON.stringify(l.spec[f]));
      if (changed) {
        const [org, key] = [d.parent, d.key.slice(d.parent.length + 1)];
        out.push(diag(ctx, ['organizations', org, 'secrets', key], `secret ${d.key} must be ${l ? 'replaced' : 'created'}, which needs its value: add value: "\${VARIABLE}"`));
      }
    }
    return out;
  },

  async apply(change, ec) {
    const orgId = ec.orgId(change.parent);
    if (change.action === 'delete' || change.action === 'replace') await remove(change, ec.api, orgId);
    if (change.action === 'replace') await confirmGone(change, ec.api, orgId);
    if (change.action === 'create' || change.action === 'replace') {
      const key = change.key.slice(change.parent.length + 1);
      const value = ec.secretValues?.get(change.key);
      if (value === undefined || !ec.fingerprinter) throw new Error(`secret ${change.key} needs its value, which this run does not have`);
      const after = change.after as SecretSpec;
      const note = typeof after.note === 'string' ? after.note : '';
      const created = await ec.api.post<{ secret_id: string }>(
        base(orgId),
        {
          type: after.type ?? 'key-value',
          key,
          value,
          is_sensitive: after.sensitive ?? true,
          note: withMarker(note, ec.fingerprinter.marker(orgId, key, value)),
        },
        { redact: ['value'] },
      );
      ec.created(created.secret_id);
    }
  },
};

/** D11: markers this run cannot check leave values unchecked; say so once, at the secrets. */
function unverifiable(desired: ResourceObject[], live: ResourceObject[], ctx: import('../engine/types.js').DesiredContext): Diagnostic[] {
  if (ctx.adoptSecrets || !ctx.fingerprinter) return [];
  const f = ctx.fingerprinter;
  const liveBy = new Map(live.filter((l) => l.kind === 'secret').map((l) => [l.key, l]));
  const hits = desired.filter((d) => {
    const m = d.kind === 'secret' && typeof d.spec.value === 'string' ? liveBy.get(d.key)?.spec.value : undefined;
    return typeof m === 'string' && !m.startsWith(`${f.scheme}:${f.kid}:`);
  });
  if (hits.length === 0) return [];
  const first = hits[0];
  return [{ ...(first.pos ?? ctx.locate(['organizations'])), severity: 'warning', message: `${hits.length} secret${hits.length === 1 ? '' : 's'} (${hits.map((h) => h.key).join(', ')}) carry a marker from another DEVINCTL_FINGERPRINT_KEY or scheme: their values are not checked; --adopt-secrets replaces them with this key's marker` }];
}

async function remove(change: Change, api: import('../api/types.js').ApiClient, orgId: string): Promise<void> {
  const id = String(change.meta?.id as JsonValue);
  try {
    await api.delete(`${base(orgId)}/${enc(id)}`);
  } catch (e) {
    // a missing secret answers 403, not 404 (NOTES quirk 2): a re-list tells (D23)
    if (!(e instanceof ApiError) || (e.status !== 403 && e.status !== 404)) throw e;
    const items = await api.list<LiveSecret>(base(orgId));
    if (items.some((s) => s.secret_id === id)) throw e;
  }
}

/**
 * A replace creates the new secret only once the old one is gone: an API that answered the
 * delete without making it would otherwise leave two under one key, which every later plan
 * refuses (D17).
 */
async function confirmGone(change: Change, api: import('../api/types.js').ApiClient, orgId: string): Promise<void> {
  const id = String(change.meta?.id as JsonValue);
  const items = await api.list<LiveSecret>(base(orgId), {}, { label: `secrets of ${change.parent}` });
  if (items.some((s) => s.secret_id === id)) throw new Error(`the API accepted the delete of secret ${change.key} (${id}) but it is still there; not creating a second one`);
}
