import { describe, expect, it } from 'vitest';
import { canonicalJson, formatDiagnostic, sha256Hex, sortDiagnostics } from '../../src/config/index.js';
import type { Diagnostic } from '../../src/config/types.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('is the same for the same value whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('drops undefined members like JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined], c: 'x' })).toBe('{"b":[null],"c":"x"}');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('escapes strings and keys as JSON', () => {
    expect(canonicalJson({ 'a"b': 'line\nbreak' })).toBe('{"a\\"b":"line\\nbreak"}');
  });
});

describe('sha256Hex', () => {
  it('hashes UTF-8 text to lowercase hex', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('formatDiagnostic', () => {
  it('prints file:line:col: severity: message with the path as given', () => {
    const d: Diagnostic = { file: 'orgs/a.yaml', line: 3, col: 5, severity: 'error', message: 'boom' };
    expect(formatDiagnostic(d)).toBe('orgs/a.yaml:3:5: error: boom');
    expect(formatDiagnostic({ ...d, file: '../x.yml', severity: 'warning' })).toBe('../x.yml:3:5: warning: boom');
  });

  it('sortDiagnostics orders by the given file order, then line, then column', () => {
    const mk = (file: string, line: number, col: number): Diagnostic => ({ file, line, col, severity: 'error', message: '' });
    const sorted = sortDiagnostics([mk('a', 2, 1), mk('b', 1, 1), mk('a', 1, 9), mk('a', 1, 2), mk('zz', 1, 1)], ['b', 'a']);
    expect(sorted.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual(['b:1:1', 'a:1:2', 'a:1:9', 'a:2:1', 'zz:1:1']);
  });
});
