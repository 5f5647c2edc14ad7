import { describe, expect, it } from 'vitest';
import { computeDeps, topoOrder } from '../../src/engine/order.js';
import type { Change, ResourceObject } from '../../src/engine/types.js';

const change = (address: string, action: Change['action'], parent = '', extra: Partial<Change> = {}): Change => {
  const [kind, key] = [address.slice(0, address.indexOf(':')), address.slice(address.indexOf(':') + 1)];
  return { address, kind, key, parent, action, fields: [], deps: [], ...(action === 'create' ? { after: {} } : { before: {} }), ...extra };
};
const refs = (o: ResourceObject) => (o.kind === 'organization' ? [] : [`organization:${o.parent}`]);
const order = (cs: Change[]) => topoOrder(computeDeps(cs, refs), () => 0).map((c) => c.address);

describe('order', () => {
  it('creates a parent before its children', () => {
    expect(order([change('tags:a', 'create', 'a'), change('organization:a', 'create')])).toEqual(['organization:a', 'tags:a']);
  });

  it('deletes children before their parent', () => {
    expect(order([change('organization:a', 'delete'), change('git-permission:a/x', 'delete', 'a')])).toEqual([
      'git-permission:a/x',
      'organization:a',
    ]);
  });

  it('lets a cascaded delete wait for its organization and makes the organization wait for nothing', () => {
    const cs = computeDeps([change('organization:a', 'delete'), change('tags:a', 'delete', 'a', { cascade: true })], refs);
    expect(cs.find((c) => c.address === 'organization:a')!.deps).toEqual([]);
    expect(cs.find((c) => c.address === 'tags:a')!.deps).toEqual(['organization:a']);
  });

  it('waits for an update of what the change references', () => {
    const cs = computeDeps([change('organization:a', 'update', '', { after: {} }), change('tags:a', 'create', 'a')], refs);
    expect(cs.find((c) => c.address === 'tags:a')!.deps).toEqual(['organization:a']);
  });

  it('reports a dependency cycle as an internal error', () => {
    const a = { ...change('x:a', 'create'), deps: ['x:b'] };
    const b = { ...change('x:b', 'create'), deps: ['x:a'] };
    expect(() => topoOrder([a, b], () => 0)).toThrow(/cycle/);
  });
});
