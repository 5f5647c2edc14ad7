// What must hold in the emulator's state after a run, whatever faults it met:
// - no object exists twice (the emulator allows duplicates on purpose, D21, so a create sent
//   twice shows up here);
// - nothing outside the desired state was deleted or changed: ignored objects, hands-off
//   collections and fields of the seed are still there as they were.
import type { EmulatorState, StateRoleAssignment } from '../../src/emulator/index.js';

type Doc = Record<string, any>;

const trimSlash = (p: string | null) => (p ?? '').replace(/\/+$/, '');
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function dupes(label: string, keys: string[]): string[] {
  const seen = new Map<string, number>();
  for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${label} ${k} exists ${n} times`);
}

/** Objects that exist twice: organizations by name, secrets by key per org, live service users by name, git permissions per org. */
export function duplicates(s: EmulatorState): string[] {
  const orgName = (id: string) => s.organizations.find((o) => o.org_id === id)?.name ?? id;
  return [
    ...dupes('organization', s.organizations.map((o) => o.name)),
    ...dupes('secret', s.secrets.filter((x) => x.key !== null).map((x) => `${orgName(x.org_id)}/${x.key}`)),
    ...dupes('service user', s.service_users.filter((u) => u.deleted_at === null).map((u) => u.name)),
    ...dupes(
      'git permission',
      s.git_permissions.map((p) => {
        const field = p.repo_path !== null ? 'repo_path' : p.group_prefix !== null ? 'group_prefix' : 'prefix_path';
        return `${orgName(p.org_id)}/${p.git_connection_id}/${field}:${trimSlash(p.repo_path ?? p.group_prefix ?? p.prefix_path)}`;
      }),
    ),
    ...dupes('IdP group', s.idp_groups.map((g) => g.idp_group_name)),
    ...s.idp_groups.flatMap((g) => dupes(`role assignment of IdP group ${g.idp_group_name} at`, g.role_assignments.map((a) => a.org_id ?? 'enterprise'))),
    ...s.service_users.flatMap((u) => dupes(`role assignment of service user ${u.name} at`, u.role_assignments.map((a) => a.org_id ?? 'enterprise'))),
  ];
}

const IGNORED_ORG = /^sandbox-/;
const IGNORED_SECRET = /^KEEP_/;
const IGNORED_PATH = /^keep\//;

/** The desired document of a seed organization, when the file keeps it (by name or by id pin). */
function desiredOrg(doc: Doc, seedOrg: { org_id: string; name: string }): Doc | undefined {
  const orgs: Record<string, Doc> = doc.organizations ?? {};
  const pinned = Object.values(orgs).find((o) => o?.id === seedOrg.org_id);
  if (pinned) return pinned;
  const byName = orgs[seedOrg.name];
  return byName && !byName.id ? byName : undefined;
}

const hasAssignment = (list: StateRoleAssignment[], a: StateRoleAssignment) => list.some((x) => x.org_id === a.org_id && x.role_id === a.role_id);

/** Seed objects that the desired state does not own but that are gone or changed at the end. */
export function unwantedChanges(seed: EmulatorState, end: EmulatorState, doc: Doc): string[] {
  const out: string[] = [];
  const ent: Doc = doc.enterprise ?? {};
  const orgById = (s: EmulatorState, id: string) => s.organizations.find((o) => o.org_id === id);
  const mentioned = new Set<string>([
    ...Object.keys(ent.service_users ?? {}),
    ...Object.values<Doc>(doc.organizations ?? {}).flatMap((o) => Object.keys(o?.service_users ?? {})),
  ]);

  for (const so of seed.organizations) {
    const ignored = IGNORED_ORG.test(so.name);
    const want = desiredOrg(doc, so);
    if (!ignored && !want) continue; // deleted on purpose (organizations is authoritative)
    const eo = orgById(end, so.org_id);
    if (!eo) {
      out.push(`organization ${so.name} (${so.org_id}) was deleted`);
      continue;
    }
    const handsOff = (field: string) => ignored || !(field in want!);
    if (ignored && eo.name !== so.name) out.push(`ignored organization ${so.name} was renamed to ${eo.name}`);
    for (const f of ['max_session_acu_limit', 'max_cycle_acu_limit'] as const) {
      if (handsOff(f) && eo[f] !== so[f]) out.push(`${so.name}.${f} is hands-off but changed from ${so[f]} to ${eo[f]}`);
    }
    for (const p of seed.git_permissions.filter((x) => x.org_id === so.org_id)) {
      if (!handsOff('git_permissions') && !IGNORED_PATH.test(trimSlash(p.repo_path ?? p.group_prefix ?? p.prefix_path))) continue;
      const now = end.git_permissions.find((x) => x.git_permission_id === p.git_permission_id);
      if (!now) out.push(`git permission ${p.git_permission_id} of ${so.name} was deleted`);
      else if (!sameJson({ ...now, created_at: 0 }, { ...p, created_at: 0 })) out.push(`git permission ${p.git_permission_id} of ${so.name} was changed`);
    }
    if (handsOff('tags') && !sameJson(end.tags[so.org_id], seed.tags[so.org_id])) {
      out.push(`tags of ${so.name} are hands-off but changed from ${JSON.stringify(seed.tags[so.org_id])} to ${JSON.stringify(end.tags[so.org_id])}`);
    }
    for (const x of seed.secrets.filter((y) => y.org_id === so.org_id)) {
      if (!handsOff('secrets') && !IGNORED_SECRET.test(x.key ?? '')) continue;
      if (!end.secrets.some((y) => y.secret_id === x.secret_id)) out.push(`secret ${so.name}/${x.key} (${x.secret_id}) was deleted`);
    }
    if (handsOff('idp_groups')) {
      for (const g of seed.idp_groups) {
        const eg = end.idp_groups.find((y) => y.idp_group_name === g.idp_group_name);
        for (const a of g.role_assignments.filter((y) => y.org_id === so.org_id)) {
          if (!eg || !hasAssignment(eg.role_assignments, a)) out.push(`org role of IdP group ${g.idp_group_name} in ${so.name} was removed`);
        }
      }
    }
    if (handsOff('service_users')) {
      for (const u of seed.service_users.filter((y) => y.deleted_at === null)) {
        if (u.org_id === so.org_id) {
          if (mentioned.has(u.name) && !ignored) continue; // moved to another organization on purpose
          const eu = end.service_users.find((y) => y.service_user_id === u.service_user_id);
          if (!eu || eu.deleted_at !== null) out.push(`org-scoped service user ${u.name} of ${so.name} was deleted`);
          continue;
        }
        // an enterprise service user's role here is hands-off: whoever holds that name at the end holds it
        const eu = end.service_users.find((y) => y.name === u.name && y.deleted_at === null);
        for (const a of u.role_assignments.filter((y) => y.org_id === so.org_id)) {
          if (eu && !hasAssignment(eu.role_assignments, a)) out.push(`org role of service user ${u.name} in ${so.name} (hands-off) was lost${eu.service_user_id !== u.service_user_id ? ' when it was replaced' : ''}`);
        }
      }
    }
  }

  // enterprise collections
  for (const g of seed.idp_groups) {
    const wanted = ent.idp_groups?.[g.idp_group_name];
    if (ent.idp_groups && wanted === undefined) continue;
    const eg = end.idp_groups.find((y) => y.idp_group_name === g.idp_group_name);
    if (!eg) {
      out.push(`IdP group ${g.idp_group_name} was deleted`);
      continue;
    }
    if (wanted && 'role' in wanted) continue;
    const before = g.role_assignments.find((a) => a.org_id === null);
    const after = eg.role_assignments.find((a) => a.org_id === null);
    if (!sameJson(before, after)) out.push(`enterprise role of IdP group ${g.idp_group_name} is hands-off but changed`);
  }
  for (const u of seed.service_users.filter((y) => y.org_id === null && y.deleted_at === null)) {
    const ignored = u.name.startsWith('devinctl-');
    if (!ignored && ent.service_users) continue;
    const eu = end.service_users.find((y) => y.service_user_id === u.service_user_id);
    if (!eu || eu.deleted_at !== null) out.push(`service user ${u.name} (${u.service_user_id}) was deleted`);
    else if (ignored && !sameJson(eu.role_assignments, u.role_assignments)) out.push(`ignored service user ${u.name} was re-roled`);
  }
  const groups = end.org_group_limits.groups;
  for (const [name, g] of Object.entries(seed.org_group_limits.groups)) {
    if (ent.org_group_limits && !name.startsWith('sandbox-')) continue;
    if (!sameJson(groups[name], g)) out.push(`org-group limit ${name} is ${ent.org_group_limits ? 'ignored' : 'hands-off'} but changed from ${JSON.stringify(g)} to ${JSON.stringify(groups[name])}`);
  }
  return out;
}
