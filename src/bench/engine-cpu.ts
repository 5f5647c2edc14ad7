// The engine's pure middle at scale: `total` desired and `total` live ResourceObjects built in
// memory (no YAML, no HTTP), 10% of them different, through makePlan (ignore → kind checks →
// diff → dependencies → order → summary). Measures process CPU time, which is what a CI runner
// pays, not wall time.
import { pathToFileURL } from 'node:url';
import { makePlan } from '../engine/plan.js';
import { ignoreMatcher } from '../engine/ignore.js';
import type { DesiredContext, DesiredResult, Lookups, ResourceObject, Spec } from '../engine/types.js';
import { kinds } from '../kinds/index.js';

export interface EngineCpuResult {
  objects: { desired: number; live: number };
  changes: number;
  summary: { create: number; update: number; replace: number; delete: number };
  /** Median of `runs` makePlan calls over the same workload (process CPU: GC threads included). */
  cpuMs: number;
  /** The first call, cold JIT (what a one-off CLI run pays). */
  coldCpuMs: number;
  runs: number;
}

const PER_ORG = { git: 35, secrets: 8, idp: 3, su: 2 }; // + the org itself + its tags = 50 objects
const OBJECTS_PER_ORG = 2 + PER_ORG.git + PER_ORG.secrets + PER_ORG.idp + PER_ORG.su;

export interface Workload {
  desired: Map<string, DesiredResult>;
  live: ResourceObject[];
  ctx: DesiredContext;
  counts: { desired: number; live: number };
}

export function buildWorkload(total: number): Workload {
  const orgs = Math.max(1, Math.floor((total * 0.98) / OBJECTS_PER_ORG));
  const groupsOfLimits = Math.ceil(orgs / 50);
  const rest = Math.max(0, total - orgs * OBJECTS_PER_ORG - groupsOfLimits);
  const idpGroups = Math.max(1, Math.ceil(rest / 2));
  const serviceUsers = Math.max(1, rest - idpGroups);

  const desired = new Map<string, DesiredResult>(kinds.map((k) => [k.name, { objects: [], owned: [], diagnostics: [] }]));
  const live: ResourceObject[] = [];
  const pos = { file: 'bench.yaml', line: 1, col: 1 };
  let n = 0; // global object index: every tenth differs between desired and live
  const add = (kind: string, key: string, parent: string, d: Spec, l: Spec | undefined, meta?: ResourceObject['meta'], liveKey = key) => {
    desired.get(kind)!.objects.push({ kind, key, parent, spec: d, pos });
    if (l) live.push({ kind, key: liveKey, parent, spec: l, ...(meta ? { meta } : {}) });
  };
  const differs = () => n++ % 10 === 0;

  const orgNames: string[] = [];
  for (let i = 0; i < orgs; i++) {
    const org = `team-${String(i).padStart(5, '0')}`;
    orgNames.push(org);
    for (const k of ['git-permission', 'tags', 'secret', 'idp-group-org-role', 'service-user-org-role']) desired.get(k)!.owned.push(org);
    const d = differs();
    add('organization', org, '', { name: org, max_session_acu_limit: 100, max_cycle_acu_limit: 10000 },
      { name: org, max_session_acu_limit: d ? 150 : 100, max_cycle_acu_limit: 10000 }, { id: `org-${i}` });
    for (let k = 0; k < PER_ORG.git; k++) {
      const path = `acme/${org}/repo-${k}`;
      const spec = { connection_id: 'git-connection-1', field: 'repo_path', path, read_only: k % 4 === 0 };
      if (!differs()) add('git-permission', `${org}/github/repo_path:${path}`, org, spec, { ...spec }, { id: `gp-${i}-${k}` });
      else if (k % 2 === 0) add('git-permission', `${org}/github/repo_path:${path}`, org, spec, { ...spec, read_only: !spec.read_only }, { id: `gp-${i}-${k}` });
      else {
        // a moved permission: created at its new path, deleted at its old one
        const old = `${path}-old`;
        add('git-permission', `${org}/github/repo_path:${path}`, org, spec, { ...spec, path: old }, { id: `gp-${i}-${k}` }, `${org}/github/repo_path:${old}`);
      }
    }
    const allowed = ['a', 'b', 'c', 'd'];
    add('tags', org, org, { allowed, default: 'a' }, { allowed: differs() ? ['a', 'b', 'x'] : [...allowed], default: 'a' });
    for (let k = 0; k < PER_ORG.secrets; k++) {
      const value = `hmac:kid00000:fp-${i}-${k}`;
      add('secret', `${org}/SECRET_${k}`, org, { note: `secret ${k}`, value },
        { type: 'key-value', note: `secret ${k}`, sensitive: true, value: differs() ? `${value}-rotated` : value }, { id: `secret-${i}-${k}` });
    }
    for (let k = 0; k < PER_ORG.idp; k++) {
      const group = `grp-${(i * PER_ORG.idp + k) % idpGroups}`;
      add('idp-group-org-role', `${org}/${group}`, org, { role: 'Member' }, { role: differs() ? 'Admin' : 'Member' });
    }
    for (let k = 0; k < PER_ORG.su; k++) {
      const su = `su-${(i * PER_ORG.su + k) % serviceUsers}`;
      add('service-user-org-role', `${org}/${su}`, org, { role: 'Member' }, { role: differs() ? 'Admin' : 'Member' }, { id: su });
    }
  }
  const idpDoc: Record<string, { role: string }> = {};
  desired.get('idp-group')!.owned.push('');
  for (let j = 0; j < idpGroups; j++) {
    idpDoc[`grp-${j}`] = { role: 'Member' };
    add('idp-group', `grp-${j}`, '', { role: 'Member' }, { role: differs() ? 'Admin' : 'Member' });
  }
  desired.get('service-user')!.owned.push('');
  for (let j = 0; j < serviceUsers; j++) {
    add('service-user', `su-${j}`, '', { role: 'Member', scope: '', expired: false, ttl_days: 365 },
      { role: differs() ? 'Admin' : 'Member', scope: '', expired: false }, { id: `su-${j}`, expires_at: null });
  }
  desired.get('org-group-limit')!.owned.push('');
  desired.get('organization')!.owned.push('');
  for (let g = 0; g < groupsOfLimits; g++) {
    const members = orgNames.slice(g * 50, g * 50 + 50);
    add('org-group-limit', `limit-${g}`, '', { max_cycle_acus: 5000, organizations: members }, { max_cycle_acus: differs() ? 4000 : 5000, organizations: [...members] });
  }

  const lookups: Lookups = {
    roles: [
      { role_id: 'r1', role_name: 'Admin', role_type: 'enterprise' },
      { role_id: 'r2', role_name: 'Member', role_type: 'enterprise' },
      { role_id: 'r3', role_name: 'Admin', role_type: 'org' },
      { role_id: 'r4', role_name: 'Member', role_type: 'org' },
    ],
    connections: [{ git_connection_id: 'git-connection-1', name: 'github', host: 'github.com' }],
    organizations: [],
    caller: { service_user_id: 'bench-caller', service_user_name: 'bench-caller', org_id: null },
    orgKeyById: new Map(orgNames.map((o, i) => [`org-${i}`, o])),
    orgIdByKey: new Map(orgNames.map((o, i) => [o, `org-${i}`])),
  };
  const ctx: DesiredContext = {
    doc: {
      version: 1,
      settings: { ignore: { organizations: ['sandbox-*'] } },
      enterprise: { idp_groups: idpDoc, org_group_limits: {} },
    },
    locate: () => pos,
    lookups,
    secretValues: new Map(),
    cascade: new Set(),
  };
  const counts = { desired: [...desired.values()].reduce((a, r) => a + r.objects.length, 0), live: live.length };
  return { desired, live, ctx, counts };
}

export function measureEngineCpu(total: number, runs = 5): EngineCpuResult {
  const w = buildWorkload(total);
  const ignored = ignoreMatcher(w.ctx.doc.settings);
  const times: number[] = [];
  let out: ReturnType<typeof makePlan> | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    out = makePlan({ kinds, desired: w.desired, live: w.live, cascade: new Set(), ignored, ctx: w.ctx });
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  if (!out) throw new Error('measureEngineCpu needs at least one run');
  const errors = out.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`engine workload has plan errors: ${errors.slice(0, 3).map((d) => d.message).join('; ')}`);
  return {
    objects: w.counts,
    changes: out.plan.changes.length,
    summary: out.plan.summary,
    cpuMs: [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)],
    coldCpuMs: times[0],
    runs,
  };
}

/**
 * A fixed reference loop (100,000 Map inserts of fresh ~60-character string keys, and as many
 * small JSON.stringify calls), to read absolute CPU figures against the speed of the machine.
 */
export function calibrationCpuMs(): number {
  const start = process.cpuUsage();
  const m = new Map<string, number>();
  let len = 0;
  for (let i = 0; i < 100_000; i++) {
    m.set(`git-permission:team-${i % 2000}/github/repo_path:acme/team-${i}/repo`, i);
    len += JSON.stringify({ role: 'Member', i }).length;
  }
  const used = process.cpuUsage(start);
  if (m.size + len < 0) throw new Error('unreachable');
  return (used.user + used.system) / 1000;
}

// `node dist/bench/engine-cpu.js 100000`: the measurement in a fresh process (a clean heap: the
// other phases' garbage would make every GC, and so makePlan's CPU time, dearer); prints JSON.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const total = Number(process.argv[2] ?? 100_000);
  const engine = measureEngineCpu(total);
  const calibration = [calibrationCpuMs(), calibrationCpuMs(), calibrationCpuMs()].sort((a, b) => a - b)[1];
  process.stdout.write(JSON.stringify({ engine, calibration }) + '\n');
}
