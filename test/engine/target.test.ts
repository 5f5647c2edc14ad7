import { describe, expect, it } from 'vitest';
import { targetPlan } from '../../src/engine/target.js';
import type { Change, Plan } from '../../src/engine/types.js';

const c = (address: string, action: Change['action'], deps: string[] = [], extra: Partial<Change> = {}): Change => ({
  address, kind: address.split(':')[0], key: address.split(':')[1], parent: extra.parent ?? '', action, fields: [], deps, ...extra,
});
const plan = (changes: Change[]): Plan => ({ changes, warnings: [], summary: { create: 0, update: 0, replace: 0, delete: 0 } });

describe('--target', () => {
  it('keeps matching changes and the creates they depend on', () => {
    const p = targetPlan(plan([c('organization:a', 'create'), c('tags:a', 'create', ['organization:a'], { parent: 'a' }), c('organization:b', 'create')]), ['tags:*']);
    expect(p.changes.map((x) => x.address)).toEqual(['organization:a', 'tags:a']);
    expect(p.summary.create).toBe(2);
  });

  it('keeps the children that must be deleted before a targeted delete', () => {
    const p = targetPlan(plan([
      c('git-permission:a/x', 'delete', [], { parent: 'a' }),
      c('organization:a', 'delete', ['git-permission:a/x']),
      c('tags:a', 'delete', ['organization:a'], { parent: 'a', cascade: true }),
      c('organization:b', 'update'),
    ]), ['organization:a']);
    expect(p.changes.map((x) => x.address)).toEqual(['git-permission:a/x', 'organization:a', 'tags:a']);
  });

  it('matches globs across segments with **', () => {
    const p = targetPlan(plan([c('git-permission:a/github/repo_path:x/y', 'create'), c('tags:a', 'create')]), ['git-permission:**']);
    expect(p.changes.map((x) => x.address)).toEqual(['git-permission:a/github/repo_path:x/y']);
  });

  it('returns the plan unchanged without targets', () => {
    const p0 = plan([c('tags:a', 'create')]);
    expect(targetPlan(p0, [])).toBe(p0);
  });
});
