import { describe, expect, it } from 'vitest';
import { closeMatches, didYouMean } from '../../src/config/index.js';
import { editDistance } from '../../src/config/suggest.js';

describe('closeMatches', () => {
  it('finds transpositions, insertions and deletions', () => {
    expect(closeMatches('tgas', ['tags', 'secrets'])).toEqual(['tags']);
    expect(closeMatches('organisations', ['organizations', 'enterprise'])).toEqual(['organizations']);
    expect(closeMatches('git_permission', ['git_permissions'])).toEqual(['git_permissions']);
  });

  it('ignores case, and prefers the closest', () => {
    expect(closeMatches('member', ['Member', 'Admin'])).toEqual(['Member']);
    expect(closeMatches('Admn', ['Admins', 'Admin'])).toEqual(['Admin', 'Admins']);
  });

  it('treats an abbreviation of 3 or more characters as close, after real typos', () => {
    expect(closeMatches('ttl', ['ttl_days', 'role'])).toEqual(['ttl_days']);
    expect(closeMatches('ro', ['role'])).toEqual([]);
  });

  it('returns at most max matches and nothing for far names', () => {
    expect(closeMatches('ab', ['aa', 'ab1', 'ac', 'ad', 'ae'], 2)).toHaveLength(2);
    expect(closeMatches('frontend', ['backend-api', 'data'])).toEqual([]);
    expect(closeMatches('x', [])).toEqual([]);
  });

  it('never suggests the name itself', () => {
    expect(closeMatches('tags', ['tags'])).toEqual([]);
  });
});

describe('didYouMean and editDistance', () => {
  it('phrases one or several suggestions', () => {
    expect(didYouMean('tgas', ['tags'])).toBe(" (did you mean 'tags'?)");
    expect(didYouMean('organisation', ['organization', 'organizations'])).toBe(" (did you mean 'organization' or 'organizations'?)");
    expect(didYouMean('zzz', ['tags'])).toBe('');
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
