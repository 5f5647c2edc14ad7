// Arbitraries for the convergence property: random desired states and random fault mixes.
// A desired state is drawn as raw choices (`draftArb`) and built against the live facts of the
// state it will be applied to (`build`), so a case can apply a first state to the seed and a
// second one to whatever the first left. Every built state is one a user could write and
// devinctl must reach: where the plan would rightly refuse it (D9, D18, an IdP group that still
// holds roles in an organization left alone), the builder adds what a user would add.
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { EmulatorState, FaultConfig } from '../../src/emulator/index.js';
import { IGNORE, ORG } from './seed.js';

/** Organizations a desired state may hold; alpha and beta are in the seed. */
const ORG_POOL = ['alpha', 'beta', 'gamma', 'delta'] as const;
const TAG_POOL = ['api', 'docs', 'legacy', 'release', 'web'];
const SECRET_POOL = ['NPM_TOKEN', 'API_KEY', 'SESSION_COOKIE', 'OLD_KEY'];
const GROUP_POOL = ['platform-admins', 'engineering', 'old-contractors', 'unassigned', 'data-science', 'contractors'];
const ENT_SU_POOL = ['ci-reporter', 'old-bot', 'stale-bot', 'release-bot'];
const ORG_SU_POOL = ['alpha-deployer', 'deployer-b', 'deployer-c'];
const LIMIT_GROUP_POOL = ['product-teams', 'research', 'ops'];
/** The key alpha takes when a state renames it through its id pin. */
const RENAMED_ALPHA = 'alpha-2';

type Doc = Record<string, any>;

export interface DesiredCase {
  doc: Doc;
  yaml: string;
  /** Secret values by variable name (the run's environment). */
  env: Record<string, string>;
}

/** What the builder needs to know about the live state a desired state will be applied to. */
export interface LiveFacts {
  orgs: { id: string; name: string }[];
  /** Default tag by org id. */
  defaultTag: Record<string, string>;
  /** Enterprise role (name, or null) of every registered IdP group. */
  groupRole: Record<string, string | null>;
  /** Org ids where an IdP group holds a role. */
  groupOrgs: Record<string, string[]>;
  /** Live enterprise service users (not the caller's ignored siblings). */
  entSus: string[];
  /** Org ids named by org-group limits that are not ignored. */
  groupedOrgs: string[];
}

export function liveFacts(s: EmulatorState): LiveFacts {
  const roleName = (id: string) => s.roles.find((r) => r.role_id === id)?.role_name ?? id;
  const defaultTag: Record<string, string> = {};
  for (const [id, t] of Object.entries(s.tags)) if (t.default_tag) defaultTag[id] = t.default_tag;
  return {
    orgs: s.organizations.map((o) => ({ id: o.org_id, name: o.name })),
    defaultTag,
    groupRole: Object.fromEntries(s.idp_groups.map((g) => {
      const ent = g.role_assignments.find((a) => a.org_id === null);
      return [g.idp_group_name, ent ? roleName(ent.role_id) : null];
    })),
    groupOrgs: Object.fromEntries(s.idp_groups.map((g) => [g.idp_group_name, g.role_assignments.filter((a) => a.org_id !== null).map((a) => a.org_id!)])),
    entSus: s.service_users.filter((u) => u.org_id === null && u.deleted_at === null && !u.name.startsWith('devinctl-')).map((u) => u.name),
    groupedOrgs: Object.entries(s.org_group_limits.groups).filter(([name]) => !name.startsWith('sandbox-')).flatMap(([, g]) => g.org_ids),
  };
}

const maybe = <T>(arb: fc.Arbitrary<T>, freq = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: freq, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(undefined) });
const limit = (max: number) => fc.oneof(fc.constant(null), fc.integer({ min: 0, max }));
const defined = (o: Doc): Doc => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const gitPermission = fc.record({
  conn: fc.constantFrom('github', 'gitlab', 'github.com'),
  field: fc.constantFrom('repo_path', 'group_prefix', 'prefix_path'),
  path: fc.constantFrom('acme/a', 'acme/a/', 'acme/shared', 'acme/b', 'acme/new'),
  read_only: maybe(fc.boolean()),
});
const connOf = (c: string) => (c === 'gitlab' ? 'gitlab' : 'github');
const gitPermissions = fc
  .uniqueArray(gitPermission, { maxLength: 3, selector: (p) => `${connOf(p.conn)}|${p.field}|${p.path.replace(/\/+$/, '')}` })
  .map((list) => list.map((p) => defined({ connection: p.conn, [p.field]: p.path, read_only: p.read_only })));

type TagsDraft = null | { allowed: string[]; default: 'hands-off' | null | number };
const tagsArb: fc.Arbitrary<TagsDraft> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.record({ allowed: fc.subarray(TAG_POOL, { maxLength: 3 }), default: fc.oneof(fc.constant('hands-off' as const), fc.constant(null), fc.nat()) }) },
);

const secretsArb: fc.Arbitrary<SecretDraft[]> = fc.uniqueArray(
  fc.record({
    key: fc.constantFrom(...SECRET_POOL),
    value: fc.constantFrom('value-one', 'value-two'),
    type: maybe(fc.constantFrom('key-value', 'cookie')),
    note: maybe(fc.constantFrom('', 'deploy key', 'rotated monthly')),
    sensitive: maybe(fc.boolean()),
  }),
  { maxLength: 2, selector: (s) => s.key },
);

interface PickRole {
  pick: number;
  role: string;
}
interface SecretDraft {
  key: string;
  value: string;
  type?: string;
  note?: string;
  sensitive?: boolean;
}
interface OrgDraft {
  max_session_acu_limit?: number | null;
  max_cycle_acu_limit?: number | null;
  git_permissions?: Doc[];
  tags?: TagsDraft;
  secrets?: SecretDraft[];
  idpGroups?: PickRole[];
  suRoles?: PickRole[];
  orgSus: { name: string; role: string; ttl?: number }[];
}
export interface DesiredDraft {
  orgs: string[];
  rename: number;
  perOrg: OrgDraft[];
  entGroups: { name: string; role: 'hands-off' | 'Admin' | 'Member' | null }[] | null;
  entSus: { name: string; ttl?: number }[] | null;
  limits: { name: string; cap: number | null; orgs: string[] }[] | null;
}

const pickRole: fc.Arbitrary<PickRole> = fc.record({ pick: fc.nat(), role: fc.constantFrom('Admin', 'Member') });
const orgDraftArb: fc.Arbitrary<OrgDraft> = fc.record({
  max_session_acu_limit: maybe(limit(500)),
  max_cycle_acu_limit: maybe(limit(5000)),
  git_permissions: maybe(gitPermissions),
  tags: maybe(tagsArb),
  secrets: maybe(secretsArb),
  idpGroups: maybe(fc.array(pickRole, { maxLength: 2 })),
  suRoles: maybe(fc.array(pickRole, { maxLength: 2 })),
  orgSus: fc.array(fc.record({ name: fc.constantFrom(...ORG_SU_POOL), role: fc.constantFrom('Admin', 'Member'), ttl: maybe(fc.constantFrom(30, 365)) }), { maxLength: 1 }),
});

/** Raw choices of a desired state, built into a document by `build` against live facts. */
export const draftArb: fc.Arbitrary<DesiredDraft> = fc.record({
  orgs: fc.subarray([...ORG_POOL], { minLength: 1, maxLength: 3 }),
  rename: fc.integer({ min: 0, max: 9 }),
  perOrg: fc.tuple(orgDraftArb, orgDraftArb, orgDraftArb, orgDraftArb),
  entGroups: fc.option(
    fc.uniqueArray(fc.record({ name: fc.constantFrom(...GROUP_POOL), role: fc.constantFrom<'hands-off' | 'Admin' | 'Member' | null>('hands-off', 'Admin', 'Member', 'Member', null) }), {
      maxLength: 4,
      selector: (g) => g.name,
    }),
    { freq: 2 },
  ),
  entSus: fc.option(fc.uniqueArray(fc.record({ name: fc.constantFrom(...ENT_SU_POOL), ttl: maybe(fc.constantFrom(30, 90, 365)) }), { maxLength: 3, selector: (s) => s.name }), { freq: 2 }),
  limits: fc.option(
    fc.array(fc.record({ name: fc.constantFrom(...LIMIT_GROUP_POOL), cap: limit(9000), orgs: fc.subarray([...ORG_POOL], { minLength: 1, maxLength: 2 }) }), { maxLength: 2 }),
    { freq: 2 },
  ),
});

export function build(r: DesiredDraft, live: LiveFacts): DesiredCase {
  const env: Record<string, string> = {};
  const organizations: Record<string, Doc> = {};
  // one state in ten renames alpha through its id pin (when the seed's alpha still exists)
  const pinAlpha = r.orgs.includes('alpha') && r.rename === 0 && live.orgs.some((o) => o.id === ORG.alpha);
  const keyOf = (org: string) => (org === 'alpha' && pinAlpha ? RENAMED_ALPHA : org);
  const desiredKeys = new Set(r.orgs.map(keyOf));
  /** The key a live org has under this document, and whether the document keeps it. */
  const liveKey = (id: string) => (pinAlpha && id === ORG.alpha ? RENAMED_ALPHA : live.orgs.find((o) => o.id === id)?.name ?? id);
  const idOfKey = (key: string) => live.orgs.find((o) => liveKey(o.id) === key)?.id;
  const keptId = (id: string) => desiredKeys.has(liveKey(id));

  // enterprise IdP groups and the enterprise role each ends with
  const finalGroupRole = new Map<string, string | null>(Object.entries(live.groupRole));
  let entGroups: Doc | undefined;
  if (r.entGroups) {
    entGroups = {};
    const named = new Set(r.entGroups.map((g) => g.name));
    for (const g of Object.keys(live.groupRole)) if (!named.has(g)) finalGroupRole.delete(g);
    for (const g of r.entGroups) {
      entGroups[g.name] = g.role === 'hands-off' ? {} : { role: g.role };
      if (g.role !== 'hands-off') finalGroupRole.set(g.name, g.role);
      else if (!finalGroupRole.has(g.name)) finalGroupRole.set(g.name, null);
    }
  }
  // an org role needs an enterprise role (the plan refuses otherwise)
  const withEntRole = [...finalGroupRole].filter(([, role]) => role !== null).map(([g]) => g).sort();

  // enterprise service users that exist at the end: org roles may only name those
  const entSus = r.entSus ? Object.fromEntries(r.entSus.map((s) => [s.name, defined({ role: 'Member', ttl_days: s.ttl })])) : undefined;
  const finalSus = entSus ? Object.keys(entSus) : [...live.entSus].sort();

  const orgScopedUsed = new Set<string>();
  for (const org of r.orgs) {
    const o = r.perOrg[ORG_POOL.indexOf(org as (typeof ORG_POOL)[number])];
    const key = keyOf(org);
    const liveId = pinAlpha && org === 'alpha' ? ORG.alpha : idOfKey(key);
    const doc: Doc = {};
    if (pinAlpha && org === 'alpha') doc.id = ORG.alpha;
    if (o.max_session_acu_limit !== undefined) doc.max_session_acu_limit = o.max_session_acu_limit;
    if (o.max_cycle_acu_limit !== undefined) doc.max_cycle_acu_limit = o.max_cycle_acu_limit;
    if (o.git_permissions !== undefined) doc.git_permissions = o.git_permissions;
    if (o.tags === null) doc.tags = null;
    else if (o.tags !== undefined) {
      const allowed = [...o.tags.allowed];
      if (o.tags.default === 'hands-off') {
        // D9: with the default hands-off, the live default must stay allowed
        const liveDefault = liveId ? live.defaultTag[liveId] : undefined;
        if (liveDefault && !allowed.includes(liveDefault)) allowed.push(liveDefault);
        doc.tags = { allowed };
      } else if (o.tags.default === null || allowed.length === 0) doc.tags = { allowed, default: null };
      else doc.tags = { allowed, default: allowed[o.tags.default % allowed.length] };
    }
    if (o.secrets !== undefined) {
      doc.secrets = {};
      for (const s of o.secrets) {
        const v = `PROP_${key.replace(/\W/g, '_').toUpperCase()}_${s.key}`;
        env[v] = `${s.value}-${key}-${s.key}`;
        doc.secrets[s.key] = defined({ value: `\${${v}}`, type: s.type, note: s.note, sensitive: s.sensitive });
      }
    }
    if (o.idpGroups !== undefined) {
      doc.idp_groups = {};
      for (const g of o.idpGroups) if (withEntRole.length) doc.idp_groups[withEntRole[g.pick % withEntRole.length]] = g.role;
    }
    if (o.suRoles !== undefined || o.orgSus.length) {
      doc.service_users = {};
      for (const s of o.suRoles ?? []) if (finalSus.length) doc.service_users[finalSus[s.pick % finalSus.length]] = s.role;
      for (const s of o.orgSus) {
        if (orgScopedUsed.has(s.name)) continue; // a name is org-scoped in one org only (D4)
        orgScopedUsed.add(s.name);
        doc.service_users[s.name] = defined({ role: s.role, ttl_days: s.ttl });
      }
    }
    organizations[key] = doc;
  }

  // a group the enterprise drops must lose its org roles first: in an organization that is deleted
  // too, or whose idp_groups this file manages (else the plan refuses: the API would answer 409)
  if (entGroups) {
    for (const [g, ids] of Object.entries(live.groupOrgs)) {
      if (finalGroupRole.has(g)) continue;
      for (const id of ids) {
        const doc = organizations[liveKey(id)];
        if (keptId(id) && doc.idp_groups === undefined) doc.idp_groups = {};
        else if (keptId(id) && g in doc.idp_groups) delete doc.idp_groups[g];
      }
    }
  }

  const enterprise: Doc = {};
  if (entGroups) enterprise.idp_groups = entGroups;
  if (entSus) enterprise.service_users = entSus;
  if (r.limits) {
    // an organization is in one group at most; groups name organizations of the file
    const taken = new Set<string>();
    const limits: Doc = {};
    for (const l of r.limits) {
      const orgs = l.orgs.map(keyOf).filter((k) => desiredKeys.has(k) && !taken.has(k));
      if (!orgs.length || limits[l.name]) continue;
      orgs.forEach((k) => taken.add(k));
      limits[l.name] = { max_cycle_acus: l.cap, organizations: orgs };
    }
    enterprise.org_group_limits = limits;
  } else if (live.groupedOrgs.some((id) => !keptId(id))) {
    // D18: a hands-off org group naming an organization being deleted is a plan error
    enterprise.org_group_limits = {};
  }

  const doc: Doc = { version: 1, settings: { ignore: IGNORE, max_delete_percent: 25 } };
  if (Object.keys(enterprise).length) doc.enterprise = enterprise;
  doc.organizations = organizations;
  return { doc, yaml: stringify(doc), env };
}

export interface FaultMix extends FaultConfig {
  parallelism: number;
}

const rate = (maxPerMille: number) => fc.integer({ min: 0, max: maxPerMille }).map((n) => n / 1000);
const MAIN_RATES = ['rate429', 'rate500', 'rate502', 'rate503', 'dropBefore', 'dropAfter', 'ignoreWrite'] as const;

/** A mix of every fault kind; the request-level rates add up to at least 10%. */
export const faultArb: fc.Arbitrary<FaultMix> = fc
  .record({
    rate429: rate(60),
    rate500: rate(20),
    rate502: rate(20),
    rate503: rate(20),
    dropBefore: rate(40),
    dropAfter: rate(80),
    ignoreWrite: rate(50),
    pageNoCursor: rate(4),
    pageRepeatCursor: rate(30),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    parallelism: fc.integer({ min: 1, max: 4 }),
  })
  .map((f) => {
    const total = MAIN_RATES.reduce((s, k) => s + f[k], 0);
    if (total < 0.1) {
      for (const k of MAIN_RATES) f[k] = total === 0 ? 0.1 / MAIN_RATES.length : Math.ceil((f[k] * 0.1 * 1000) / total) / 1000;
    }
    return { ...f, retryAfterSeconds: 0.01 };
  });

/** The mix in parseFaults form (as `devinctl emulator --faults` takes it), for failure reports. */
export function faultSpec(f: FaultMix): string {
  const parts: [string, number | undefined][] = [
    ['429', f.rate429], ['500', f.rate500], ['502', f.rate502], ['503', f.rate503], ['drop-before', f.dropBefore],
    ['drop-after', f.dropAfter], ['ignore-write', f.ignoreWrite], ['page-no-cursor', f.pageNoCursor],
    ['page-repeat-cursor', f.pageRepeatCursor], ['retry-after', f.retryAfterSeconds], ['seed', f.seed],
  ];
  return parts.filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(',') + ` (--parallelism ${f.parallelism})`;
}
