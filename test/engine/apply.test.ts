import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/engine/apply.js';
import type { Change, ExecContext, Plan, ResourceKind } from '../../src/engine/types.js';

const change = (address: string, deps: string[] = []): Change => ({
  address, kind: 'fake', key: address.split(':')[1], parent: '', action: 'create', after: {}, fields: [], deps,
});

function fakeKind(fail: Set<string>, calls: string[][], batch = false): ResourceKind {
  return {
    name: 'fake',
    collection: 'fakes',
    desired: () => ({ objects: [], owned: [], diagnostics: [] }),
    read: async () => [],
    async apply(c: Change, ec: ExecContext) {
      calls.push([c.address]);
      if (fail.has(c.address)) throw new Error(`boom ${c.address}`);
      ec.created(`id-${c.key}`);
    },
    ...(batch
      ? { batch: { key: () => 'all', limit: 2, async apply(cs: Change[]) { calls.push(cs.map((c) => c.address)); } } }
      : {}),
  };
}

const base = {} as Omit<ExecContext, 'created'>;
const plan = (changes: Change[]): Plan => ({ changes, warnings: [], summary: { create: changes.length, update: 0, replace: 0, delete: 0 } });

describe('apply executor', () => {
  it('continues independent changes after a failure and skips the dependents', async () => {
    const calls: string[][] = [];
    const res = await executePlan(plan([change('fake:a'), change('fake:b', ['fake:a']), change('fake:c', ['fake:b']), change('fake:d')]),
      [fakeKind(new Set(['fake:a']), calls)], base, { parallelism: 2 });
    expect(res.map((r) => [r.address, r.status])).toEqual([
      ['fake:a', 'failed'], ['fake:b', 'skipped'], ['fake:c', 'skipped'], ['fake:d', 'done'],
    ]);
    expect(res[1].because).toBe('fake:a');
    expect(res[3].created).toEqual(['id-d']);
  });

  it('runs a change only after everything it depends on is done', async () => {
    const calls: string[][] = [];
    await executePlan(plan([change('fake:b', ['fake:a']), change('fake:a')]), [fakeKind(new Set(), calls)], base, { parallelism: 4 });
    expect(calls).toEqual([['fake:a'], ['fake:b']]);
  });

  it('groups ready changes that share a batch key into calls of at most the batch limit', async () => {
    const calls: string[][] = [];
    await executePlan(plan([change('fake:a'), change('fake:b'), change('fake:c')]), [fakeKind(new Set(), calls, true)], base, { parallelism: 4 });
    expect(calls).toEqual([['fake:a', 'fake:b'], ['fake:c']]);
  });

  it('never has more changes in flight than the parallelism', async () => {
    let inFlight = 0;
    let peak = 0;
    const kind: ResourceKind = {
      ...fakeKind(new Set(), []),
      async apply() {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
      },
    };
    await executePlan(plan(Array.from({ length: 12 }, (_, i) => change(`fake:${i}`))), [kind], base, { parallelism: 3 });
    expect(peak).toBe(3);
  });
});

describe('apply executor when interrupted', () => {
  it('starts nothing new once the signal is aborted, finishes what is in flight and skips the rest', async () => {
    const ac = new AbortController();
    const calls: string[] = [];
    const kind: ResourceKind = {
      ...fakeKind(new Set(), []),
      async apply(c: Change) {
        calls.push(c.address);
        ac.abort();
        await new Promise((r) => setTimeout(r, 5));
      },
    };
    const res = await executePlan(plan([change('fake:a'), change('fake:b'), change('fake:c', ['fake:b'])]), [kind], base, { parallelism: 1, signal: ac.signal });
    expect(calls).toEqual(['fake:a']);
    expect(res.map((r) => [r.address, r.status, r.because])).toEqual([
      ['fake:a', 'done', undefined], ['fake:b', 'skipped', 'interrupted'], ['fake:c', 'skipped', 'fake:b'],
    ]);
  });
});
