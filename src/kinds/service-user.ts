// Kind `service-user` (address service-user:<name>): a service user provisioned with a role
// (D4). Enterprise ones hold an enterprise role; org-scoped ones are owned by one organization.
// Provisioning returns the only copy of the token, which goes to --token-file (D14); when that
// reply is lost, an enterprise service user that was created gets an API key instead (an
// org-scoped one, which has no key endpoint, is deleted again for the next apply). An expired
// service user is replaced, which deletes it (guarded by --allow-delete service-user); an
// enterprise one keeps its org roles across the replace.
import { ApiError } from '../api/types.js';
import type { Diagnostic } from '../config/types.js';
import type { Change, ExecContext, ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { diag, enc, resolveRole } from './common.js';
import { enterpriseRole, liveServiceUsers, SU_MEMBERS, type LiveServiceUser } from './service-users-live.js';

interface ServiceUserSpec extends Spec {
  role: string;
  /** '' for an enterprise service user, else the organization that owns it. */
  scope: string;
  ttl_days?: number;
  expired?: boolean;
}

const DAY = 86_400;
export const DEFAULT_TTL_DAYS = 365;
const WARN_DAYS = 30;

export const serviceUser: ResourceKind<ServiceUserSpec> = {
  name: 'service-user',
  collection: 'service users',
  foldCase: true,
  immutable: ['scope', 'expired'],

  desired(ctx) {
    const objects: ResourceObject<ServiceUserSpec>[] = [];
    const owned: string[] = [];
    const diagnostics: Diagnostic[] = [];
    const ent = ctx.doc.enterprise?.service_users;
    if (ent) {
      owned.push('');
      for (const [name, su] of Object.entries(ent)) {
        resolveRole(ctx, 'enterprise', su.role, ['enterprise', 'service_users', name, 'role'], diagnostics);
        const spec: ServiceUserSpec = { role: su.role, scope: '', expired: false };
        if (su.ttl_days !== undefined) spec.ttl_days = su.ttl_days;
        objects.push({ kind: 'service-user', key: name, parent: '', spec, pos: ctx.locate(['enterprise', 'service_users', name]) });
      }
    }
    for (const [org, doc] of Object.entries(ctx.doc.organizations ?? {})) {
      if (!doc?.service_users) continue;
      owned.push(org);
      for (const [name, v] of Object.entries(doc.service_users)) {
        if (typeof v === 'string') continue; // an org role of an enterprise service user
        resolveRole(ctx, 'org', v.role, ['organizations', org, 'service_users', name, 'role'], diagnostics);
        const spec: ServiceUserSpec = { role: v.role, scope: org, expired: false };
        if (v.ttl_days !== undefined) spec.ttl_days = v.ttl_days;
        objects.push({ kind: 'service-user', key: name, parent: org, spec, pos: ctx.locate(['organizations', org, 'service_users', name]) });
      }
    }
    return { objects, owned, diagnostics };
  },

  async read(api, ctx) {
    if (ctx.scopes.length === 0) return [];
    const now = Math.floor(Date.now() / 1000);
    const out: ResourceObject<ServiceUserSpec>[] = [];
    for (const su of await liveServiceUsers(api, ctx)) {
      const ent = enterpriseRole(su);
      const orgA = su.role_assignments.find((a) => a.org_id !== null);
      const scope = ent !== undefined ? '' : orgA ? (ctx.lookups.orgKeyById.get(orgA.org_id!) ?? orgA.org_id!) : '';
      const role = ent ?? orgA?.role.role_name ?? '';
      const expired = su.expires_at !== null && su.expires_at <= now;
      out.push({
        kind: 'service-user',
        key: su.name,
        parent: scope,
        spec: { role, scope, expired },
        meta: { id: su.service_user_id, expires_at: su.expires_at },
      });
    }
    return out;
  },

  // ttl_days applies at provisioning only (D4): never a change
  equal(field, desired, live) {
    if (field === 'ttl_days') return true;
    return JSON.stringify(desired) === JSON.stringify(live);
  },

  describe(change) {
    if (change.action !== 'replace') return undefined;
    if (change.fields.some((f) => f.field === 'expired')) return 'expired: a replace deletes it and provisions a new one (new token)';
    return 'moves between enterprise and organization scope: deleted and provisioned again';
  },

  references: (o) => (o.spec.scope ? [`organization:${o.spec.scope}`] : []),

  check(desired, live, ctx) {
    const out = expiringSoon(desired, live);
    // D5: the caller is never deleted or re-roled
    const caller = ctx.lookups.caller?.service_user_id;
    if (!caller) return out;
    const me = live.find((l) => l.kind === 'service-user' && l.meta?.id === caller);
    if (!me) return out;
    const want = desired.find((d) => d.kind === 'service-user' && d.key === me.key);
    const owned = me.spec.scope === '' ? ctx.doc.enterprise?.service_users !== undefined : ctx.doc.organizations?.[me.parent]?.service_users !== undefined;
    const at = me.spec.scope === '' ? ['enterprise', 'service_users'] : ['organizations', me.parent, 'service_users'];
    if (!want && owned) out.push(diag(ctx, at, `the plan would delete service user '${me.key}', the caller devinctl runs as (D5): add it to the file or to settings.ignore`));
    else if (want && want.spec.role !== me.spec.role) out.push(diag(ctx, [...at, me.key], `the plan would change the role of service user '${me.key}', the caller devinctl runs as (D5)`));
    return out;
  },

  async apply(change, ec) {
    // a replaced enterprise service user keeps its org roles in organizations the file leaves
    // alone: they are read fresh and given to the new one (managed ones have their own changes)
    const carry = change.action === 'replace' && change.before?.scope === '' && change.after?.scope === '' ? await orgRolesOf(change, ec) : [];
    if (change.action === 'delete' || change.action === 'replace') await ec.api.delete(`${SU_MEMBERS}/${enc(String(change.meta!.id))}`);
    if (change.action === 'replace') await confirmGone(change, ec);
    if (change.action === 'create' || change.action === 'replace') {
      const id = await provision(change, ec);
      if (carry.length) await carryOver(change, ec, id, carry);
    }
    if (change.action === 'update') {
      const s = change.after as ServiceUserSpec;
      const id = String(change.meta!.id);
      const url = s.scope ? `/v3/enterprise/organizations/${enc(ec.orgId(s.scope))}/members/service-users/${enc(id)}` : `${SU_MEMBERS}/${enc(id)}`;
      await ec.api.patch(url, { role_id: ec.roleId(s.scope ? 'org' : 'enterprise', s.role) });
    }
  },
};

/**
 * A replace provisions a second service user of the same name only once the first is gone: an
 * API that answered the delete without making it would otherwise leave two, and every later plan
 * would refuse them (D17).
 */
async function confirmGone(change: Change, ec: ExecContext): Promise<void> {
  const id = String(change.meta!.id);
  if (!(await isGone(ec, id))) throw new Error(`the API accepted the delete of service user ${change.key} (${id}) but it is still there; not provisioning a second one`);
}

async function isGone(ec: ExecContext, id: string): Promise<boolean> {
  try {
    return Boolean((await ec.api.get<LiveServiceUser>(`${SU_MEMBERS}/${enc(id)}`)).deleted_at);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return true;
    throw e;
  }
}

/** The org roles a service user holds now (re-read: earlier changes of this apply may have removed some), in organizations still live. */
async function orgRolesOf(change: Change, ec: ExecContext): Promise<{ org_id: string; role_id: string }[]> {
  const su = await ec.api.get<LiveServiceUser>(`${SU_MEMBERS}/${enc(String(change.meta!.id))}`);
  const live = (orgId: string) => {
    const key = ec.lookups.orgKeyById.get(orgId);
    return key !== undefined && ec.lookups.orgIdByKey.get(key) === orgId;
  };
  // roles the file manages are created again by their own changes (the plan shows them);
  // only roles in organizations the file leaves alone are carried over here
  const managed = (orgId: string) => ec.desired.has(`service-user-org-role:${ec.lookups.orgKeyById.get(orgId)}/${change.key}`);
  return (su.role_assignments ?? [])
    .filter((a): a is typeof a & { org_id: string } => a.org_id !== null && live(a.org_id) && !managed(a.org_id))
    .map((a) => ({ org_id: a.org_id, role_id: a.role.role_id }));
}

/**
 * Gives the new service user the old one's org roles, and checks they took: the old one is gone,
 * so a role the API acknowledged but did not assign would be lost without a trace. A miss is
 * tried once more, then the replace fails naming what is missing (journal, output).
 */
async function carryOver(change: Change, ec: ExecContext, id: string, roles: { org_id: string; role_id: string }[]): Promise<void> {
  const assign = async (a: { org_id: string; role_id: string }) => {
    try {
      await ec.api.post(`/v3/enterprise/organizations/${enc(a.org_id)}/members/service-users/${enc(id)}`, { role_id: a.role_id });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) throw e; // it holds one there already: checked below
    }
  };
  let missing = roles;
  for (let attempt = 0; attempt < 2 && missing.length; attempt++) {
    for (const a of missing) await assign(a);
    const now = await ec.api.get<LiveServiceUser>(`${SU_MEMBERS}/${enc(id)}`);
    missing = missing.filter((a) => !(now.role_assignments ?? []).some((x) => x.org_id === a.org_id && x.role.role_id === a.role_id));
  }
  if (missing.length) {
    const what = missing.map((a) => `${ec.lookups.orgKeyById.get(a.org_id) ?? a.org_id} (role ${a.role_id})`).join(', ');
    throw new Error(`service user ${change.key} was provisioned again (${id}) but did not get the org roles of the old one: ${what}; assign them by hand or manage them in the file`);
  }
}

/** Managed service users that expire within 30 days: a warning at their place in the file. */
function expiringSoon(desired: ResourceObject[], live: ResourceObject[]): Diagnostic[] {
  const now = Math.floor(Date.now() / 1000);
  const liveBy = new Map(live.filter((l) => l.kind === 'service-user').map((l) => [l.key, l]));
  const out: Diagnostic[] = [];
  for (const d of desired) {
    const exp = d.kind === 'service-user' && d.pos ? liveBy.get(d.key)?.meta?.expires_at : undefined;
    if (typeof exp !== 'number' || exp <= now || exp - now >= WARN_DAYS * DAY) continue;
    const days = Math.floor((exp - now) / DAY);
    out.push({ ...d.pos!, severity: 'warning', message: `service user ${d.key} expires in ${days} day${days === 1 ? '' : 's'} (${new Date(exp * 1000).toISOString().slice(0, 10)}); after that devinctl replaces it (a delete: --allow-delete service-user)` });
  }
  return out;
}

async function provision(change: Change, ec: ExecContext): Promise<string> {
  const s = change.after as ServiceUserSpec;
  if (!ec.tokenSink) throw new Error('provisioning a service user needs --token-file');
  const body = {
    name: change.key,
    role_id: ec.roleId(s.scope ? 'org' : 'enterprise', s.role),
    ttl_seconds: (s.ttl_days ?? DEFAULT_TTL_DAYS) * DAY,
  };
  const url = s.scope ? `/v3beta1/organizations/${enc(ec.orgId(s.scope))}/service-users` : '/v3beta1/enterprise/service-users';
  let res: { service_user: { service_user_id: string }; token: string };
  try {
    res = await ec.api.post<typeof res>(url, body, { redact: ['token'] });
  } catch (e) {
    if (e instanceof ApiError && e.uncertain) return afterLostReply(change, ec, ec.tokenSink, e);
    throw e;
  }
  const id = res.service_user.service_user_id;
  ec.created(id);
  ec.liveIds.set(change.address, id);
  await ec.tokenSink({ name: change.key, id, token: res.token });
  return id;
}

/**
 * The provisioning request may have been carried out but its reply, the only copy of the token,
 * was lost (D14). Re-read before anything else (D23): not there, the error stands and the next
 * apply provisions it; there, an enterprise service user gets an API key minted instead of a
 * second provisioning, and the key goes to --token-file. An org-scoped one has no key endpoint:
 * it is deleted again (nobody holds its token) and the change fails, so the next apply
 * provisions it afresh.
 */
async function afterLostReply(change: Change, ec: ExecContext, sink: NonNullable<ExecContext['tokenSink']>, cause: ApiError): Promise<string> {
  let found: LiveServiceUser | undefined;
  try {
    const all = await ec.api.list<LiveServiceUser>(SU_MEMBERS, { include_inactive: true }, { label: 'service users' });
    found = all.find((u) => u.name === change.key && !u.deleted_at && u.service_user_id !== change.meta?.id);
  } catch {
    throw cause; // cannot tell: the next apply's plan will
  }
  if (!found) throw cause;
  const id = found.service_user_id;
  const lost = `service user ${change.key} was provisioned (${id}) but the reply with its token was lost`;
  if ((change.after as ServiceUserSpec).scope) {
    // no endpoint mints a key for an org-scoped one: nobody holds its token, so it goes again
    // and the next apply provisions it afresh
    const gone = await ec.api.delete(`${SU_MEMBERS}/${enc(id)}`).then(() => isGone(ec, id)).catch(() => false);
    throw new Error(gone
      ? `${lost}; no endpoint mints a key for an org-scoped service user, so that one was deleted again: re-run apply to provision it`
      : `${lost}, and no endpoint mints a key for an org-scoped service user: delete it and re-run apply to provision it again`);
  }
  let key: { token: string };
  try {
    key = await ec.api.post<{ token: string }>(`/v3beta1/enterprise/service-users/${enc(id)}/api-keys`, { name: 'devinctl (provisioning reply lost)' }, { redact: ['token'] });
  } catch (e) {
    throw new Error(`${lost}, and minting an API key for it failed too (${e instanceof ApiError ? `HTTP ${e.status || 'connection error'}: ${e.detail}` : String(e)}): mint one with POST /v3beta1/enterprise/service-users/${id}/api-keys`);
  }
  ec.created(id);
  ec.liveIds.set(change.address, id);
  await sink({ name: change.key, id, token: key.token });
  return id;
}
