import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBodyForLog, redact, redactedStrings, scrubText } from '../../src/api/redact.js';

describe('redact', () => {
  it('replaces value and token at any depth, whatever their type', () => {
    const body = {
      key: 'NPM_TOKEN',
      value: 'hunter2',
      nested: [{ deeper: { Token: 'cog_abc', value: { any: 'thing' } } }],
    };
    expect(redact(body)).toEqual({
      key: 'NPM_TOKEN',
      value: '(redacted)',
      nested: [{ deeper: { Token: '(redacted)', value: '(redacted)' } }],
    });
    expect(body.value).toBe('hunter2'); // the original is untouched
  });

  it('also replaces the fields the caller names', () => {
    expect(redact({ api_key: 'k', note: 'n' }, ['api_key'])).toEqual({ api_key: '(redacted)', note: 'n' });
  });

  it('formats one compact line and shortens long bodies', () => {
    expect(formatBodyForLog({ a: 1, value: 'x' })).toBe('{"a":1,"value":"(redacted)"}');
    const long = formatBodyForLog({ items: Array.from({ length: 500 }, (_, i) => ({ i, value: 's' })) });
    expect(long).toMatch(/… \(\d+ chars\)$/);
    expect(long).not.toContain('"s"');
  });
});

describe('redact, for any body', () => {
  it('never lets a value or token field through, at any depth', () => {
    const SECRET = 'S3CR3T-canary';
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant(SECRET),
        fc.string(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'value', 'token', 'Value'), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (body) => {
        const text = formatBodyForLog({ value: body, token: body, nested: [{ value: body }] });
        expect(text).not.toContain(SECRET);
      }),
    );
  });
});

describe('redactedStrings and scrubText (echoes of what a request sent)', () => {
  it('collects the strings under redacted names at any depth, skipping very short ones', () => {
    const body = { key: 'NPM_TOKEN', value: 'hunter22', nested: [{ token: 'cog_abcd', value: { any: 'deep-value' } }], note: 'not secret', short: { value: 'abc' } };
    expect(redactedStrings(body).sort()).toEqual(['cog_abcd', 'deep-value', 'hunter22']);
    expect(redactedStrings({ password: 'p4ssword' }, ['password'])).toEqual(['p4ssword']);
  });

  it('cuts every occurrence out of a text, longest first', () => {
    expect(scrubText("'hunter22' is not base32 (hunter22)", ['hunter22'])).toBe("'(redacted)' is not base32 ((redacted))");
    expect(scrubText('abc-long and abc', ['abc', 'abc-long'])).toBe('(redacted) and abc');
  });
});
