import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diff, type DiffInput } from '../../src/engine/diff.js';
import type { ResourceObject } from '../../src/engine/types.js';

const obj = (kind: string, key: string, spec: Record<string, unknown>, parent = ''): ResourceObject =>
  ({ kind, key, parent, spec }) as ResourceObject;

const input = (over: Partial<DiffInput>): DiffInput => ({
  traits: () => ({}),
  desired: [],
  live: [],
  owned: new Map(),
  cascade: new Set(),
  ...over,
});

describe('diff', () => {
  it('plans a create for an object that is only desired', () => {
    const changes = diff(input({ desired: [obj('organization', 'a', { name: 'a' })] }));
    expect(changes.map((c) => [c.address, c.action])).toEqual([['organization:a', 'create']]);
  });

  it('compares only the fields the desired object sets, so absent fields are hands-off', () => {
    const changes = diff(input({
      desired: [obj('organization', 'a', { name: 'a' })],
      live: [obj('organization', 'a', { name: 'a', max_cycle_acu_limit: 5 })],
    }));
    expect(changes).toEqual([]);
  });

  it('plans an update with field-level before and after', () => {
    const [c] = diff(input({
      desired: [obj('organization', 'a', { name: 'a', max_cycle_acu_limit: 10 })],
      live: [obj('organization', 'a', { name: 'a', max_cycle_acu_limit: 5 })],
    }));
    expect(c.action).toBe('update');
    expect(c.fields).toEqual([{ field: 'max_cycle_acu_limit', before: 5, after: 10 }]);
    expect(c.after).toEqual({ name: 'a', max_cycle_acu_limit: 10 });
  });

  it('plans a replace when an immutable field changes', () => {
    const [c] = diff(input({
      traits: () => ({ immutable: ['type'] }),
      desired: [obj('secret', 'o/K', { type: 'cookie' }, 'o')],
      live: [obj('secret', 'o/K', { type: 'key-value' }, 'o')],
    }));
    expect(c.action).toBe('replace');
    expect(c.reason).toContain('type');
  });

  it('deletes live objects only in scopes where the collection is authoritative', () => {
    const live = [obj('git-permission', 'a/x', {}, 'a'), obj('git-permission', 'b/y', {}, 'b')];
    const changes = diff(input({ live, owned: new Map([['git-permission', new Set(['a'])]]) }));
    expect(changes.map((c) => c.address)).toEqual(['git-permission:a/x']);
  });

  it('marks the children of a deleted organization as deleted with it', () => {
    const changes = diff(input({ live: [obj('tags', 'gone', { allowed: [] }, 'gone')], cascade: new Set(['gone']) }));
    expect(changes[0]).toMatchObject({ action: 'delete', cascade: true });
  });

  it('never throws and never plans a change for identical sides, whatever the specs', () => {
    const spec = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ maxLength: 5 }), spec), { maxLength: 20, selector: (e) => e[0] }), (entries) => {
        const objects = entries.map(([k, s]) => obj('k', k, s as Record<string, unknown>));
        const same = diff(input({ desired: objects, live: objects.map((o) => ({ ...o, spec: JSON.parse(JSON.stringify(o.spec)) })) }));
        expect(same.filter((c) => c.action !== 'create')).toEqual([]);
      }),
    );
  });
});
