// The apply executor: runs a plan's changes as API calls in dependency order, at most
// `parallelism` at a time, batching changes that share a kind's batch key (bulk endpoints).
// Independent changes continue after a failure; dependents of a failure are skipped.
import { ApiError } from '../api/types.js';
import type { ApiClient } from '../api/types.js';
import type { Change, ExecContext, Plan, ResourceKind } from './types.js';
import type { PlanRun } from './pipeline.js';

export type Outcome = 'done' | 'failed' | 'skipped';

export interface ChangeResult {
  address: string;
  kind: string;
  action: Change['action'];
  status: Outcome;
  created: string[];
  error?: { status?: number; detail: string; uncertain?: boolean };
  /** For skipped changes: the failed or skipped change it waited for. */
  because?: string;
  cascade?: boolean;
}

export interface ExecuteOptions {
  parallelism: number;
  /** When aborted, no new change starts; those not started are skipped as 'interrupted'. */
  signal?: AbortSignal;
  onResult?: (r: ChangeResult) => void | Promise<void>;
}

export type BaseExecContext = Omit<ExecContext, 'created'>;

/** The writers' context for applying a plan run: lookups, live ids and the desired objects. */
export function execContextFor(
  api: ApiClient,
  run: PlanRun,
  extras: Pick<ExecContext, 'secretValues' | 'fingerprinter' | 'tokenSink'>,
): BaseExecContext {
  return {
    api,
    lookups: run.lookups,
    desired: new Map(run.desired.map((d) => [`${d.kind}:${d.key}`, d])),
    liveIds: new Map(run.live.filter((l) => typeof l.meta?.id === 'string').map((l) => [`${l.kind}:${l.key}`, l.meta!.id as string])),
    ...extras,
    orgId(key) {
      const id = run.lookups.orgIdByKey.get(key);
      if (!id) throw new Error(`organization ${key} has no id (was its create skipped?)`);
      return id;
    },
    roleId(type, name) {
      const role = run.lookups.roles.find((r) => r.role_type === type && r.role_name === name);
      if (!role) throw new Error(`unknown ${type} role ${name}`);
      return role.role_id;
    },
  };
}

function errorOf(e: unknown): ChangeResult['error'] {
  if (e instanceof ApiError) return { status: e.status, detail: `${e.method} ${e.path}: ${e.status === 0 ? 'connection error' : `HTTP ${e.status}`}: ${e.detail}`, ...(e.uncertain ? { uncertain: true } : {}) };
  return { detail: e instanceof Error ? e.message : String(e) };
}

export async function executePlan(plan: Plan, kinds: readonly ResourceKind[], base: BaseExecContext, opts: ExecuteOptions): Promise<ChangeResult[]> {
  const kindOf = new Map(kinds.map((k) => [k.name, k]));
  const byAddress = new Map(plan.changes.map((c) => [c.address, c]));
  const results = new Map<string, ChangeResult>();
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const c of plan.changes) {
    const deps = c.deps.filter((d) => byAddress.has(d));
    waiting.set(c.address, deps.length);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(c.address);
      else dependents.set(d, [c.address]);
    }
  }
  let ready = plan.changes.filter((c) => waiting.get(c.address) === 0);
  const running = new Set<Promise<void>>();

  const finish = async (r: ChangeResult): Promise<void> => {
    results.set(r.address, r);
    await opts.onResult?.(r);
    for (const d of dependents.get(r.address) ?? []) {
      if (results.has(d)) continue;
      const c = byAddress.get(d)!;
      if (r.status !== 'done') {
        await finish({ address: c.address, kind: c.kind, action: c.action, status: 'skipped', created: [], because: r.address, ...(c.cascade ? { cascade: true } : {}) });
        continue;
      }
      const n = waiting.get(d)! - 1;
      waiting.set(d, n);
      if (n === 0) ready.push(c);
    }
  };

  const runGroup = async (group: Change[]): Promise<void> => {
    const kind = kindOf.get(group[0].kind)!;
    const ids: string[] = [];
    const ec: ExecContext = { ...base, created: (id) => void ids.push(id) };
    let error: ChangeResult['error'];
    try {
      if (kind.batch && kind.batch.key(group[0]) !== undefined) await kind.batch.apply(group, ec);
      else await kind.apply(group[0], ec);
    } catch (e) {
      error = errorOf(e);
    }
    for (let i = 0; i < group.length; i++) {
      const c = group[i];
      const created = error ? [] : ids.length === group.length ? [ids[i]] : group.length === 1 ? ids : [];
      await finish({ address: c.address, kind: c.kind, action: c.action, status: error ? 'failed' : 'done', created, ...(error ? { error } : {}) });
    }
  };

  // Pending groups in plan order, kept across iterations (regrouping every ready change on each
  // pass was O(changes x groups)); `open` is the last pending group of each batch key.
  const queue: Change[][] = [];
  let head = 0;
  const open = new Map<string, Change[]>();
  const enqueue = (c: Change): void => {
    const kind = kindOf.get(c.kind)!;
    const key = kind.batch?.key(c);
    if (key === undefined) {
      queue.push([c]);
      return;
    }
    let g = open.get(key);
    if (!g || g.length >= kind.batch!.limit) {
      g = [];
      open.set(key, g);
      queue.push(g);
    }
    g.push(c);
  };

  for (;;) {
    // cascaded deletes need no call; the rest join the queue in the order they became ready
    while (ready.length > 0) {
      const now = ready;
      ready = [];
      for (const c of now) {
        if (results.has(c.address)) continue;
        if (c.cascade) await finish({ address: c.address, kind: c.kind, action: c.action, status: 'done', created: [], cascade: true });
        else enqueue(c);
      }
    }
    if (opts.signal?.aborted) {
      // interrupted: start nothing new; what was not started is skipped (and so its dependents)
      while (head < queue.length) {
        for (const c of queue[head++]) {
          if (!results.has(c.address)) await finish({ address: c.address, kind: c.kind, action: c.action, status: 'skipped', created: [], because: 'interrupted' });
        }
      }
      open.clear();
      if (ready.length > 0) continue;
    }
    while (head < queue.length && running.size < opts.parallelism) {
      const group = queue[head++];
      const key = kindOf.get(group[0].kind)!.batch?.key(group[0]);
      if (key !== undefined && open.get(key) === group) open.delete(key);
      const p: Promise<void> = runGroup(group).finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size > 0) await Promise.race(running);
    else if (ready.length === 0 && head >= queue.length) break;
  }
  const missing = plan.changes.filter((c) => !results.has(c.address));
  if (missing.length) throw new Error(`internal error: apply never reached ${missing.map((c) => c.address).join(', ')}`);
  return plan.changes.map((c) => results.get(c.address)!);
}
