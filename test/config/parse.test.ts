import { describe, expect, it } from 'vitest';
import { loadConfig, pointer } from '../../src/config/index.js';
import { parseYamlFile } from '../../src/config/parse.js';
import { LocIndex, naturalPosition, type NodeLoc } from '../../src/config/paths.js';
import { memFs } from './helpers.js';

const parse = (text: string) => parseYamlFile('f.yaml', new TextEncoder().encode(text));

describe('map keys become own properties, never the prototype', () => {
  it('__proto__ at any depth, in block maps, flow maps and flow pairs, is an own data property', () => {
    const r = parse(
      [
        '__proto__: { polluted: 1 }',
        'a:',
        '  __proto__: { polluted: 2 }',
        '  b: { __proto__: { polluted: 3 } }',
        '  c: [__proto__: { polluted: 4 }]',
        '  d: { __proto__: null }',
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    const v = r.value as Record<string, Record<string, unknown>>;
    const a = v.a as Record<string, Record<string, unknown>>;
    const maps = [v, a, a.b, (a.c as unknown as Record<string, unknown>[])[0], a.d];
    for (const m of maps) {
      expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(m, '__proto__')).toMatchObject({ enumerable: true, writable: true, configurable: true });
      expect(Object.keys(m)).toContain('__proto__');
    }
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(Object.getOwnPropertyDescriptor(a.c[0], '__proto__')?.value).toEqual({ polluted: 4 });
    expect(Object.getOwnPropertyDescriptor(a.d, '__proto__')?.value).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it("names of Object.prototype's members (constructor, toString, hasOwnProperty) are ordinary keys", () => {
    const r = parse('constructor: 1\ntoString: { x: 1 }\nhasOwnProperty: [1]\nvalueOf: null\n');
    expect(r.diagnostics).toEqual([]);
    const v = r.value as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['constructor', 'toString', 'hasOwnProperty', 'valueOf']);
    expect(v).toEqual({ constructor: 1, toString: { x: 1 }, hasOwnProperty: [1], valueOf: null });
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.prototype.toString).toBeTypeOf('function');
  });

  it('a duplicate __proto__ key is a duplicate, reported at the second one', () => {
    const r = parse('a:\n  __proto__: 1\n  __proto__: 2\n');
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual(["3:3 duplicate key '__proto__' (first at 2:3)"]);
  });

  it('through loadConfig (one file and two), __proto__ stays an unknown key and pollutes nothing', async () => {
    const files = { 'a.yaml': 'version: 1\norganizations:\n  x:\n    __proto__: { polluted: true }\n', 'b.yaml': 'version: 1\norganizations:\n  y: { __proto__: 1 }\n' };
    for (const paths of [['a.yaml'], ['a.yaml', 'b.yaml']]) {
      const r = await loadConfig(paths, memFs(files));
      const org = r.partial!.doc.organizations!.x as unknown as Record<string, unknown>;
      expect(Object.getPrototypeOf(org)).toBe(Object.prototype);
      expect(Object.hasOwn(org, '__proto__')).toBe(true);
      expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}`)).toEqual(paths.map((p) => (p === 'a.yaml' ? 'a.yaml:4:5' : 'b.yaml:3:8')));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('pointers and positions', () => {
  it('pointer() escapes ~ and / (and only them) like ajv', () => {
    expect(pointer([])).toBe('');
    expect(pointer(['organizations', 'plain-name', 0, 'x'])).toBe('/organizations/plain-name/0/x');
    expect(pointer(['a/b', 'c~d', '~1', '/~', ''])).toBe('/a~1b/c~0d/~01/~1~0/');
  });

  it('keys holding ~ and / are located where they were written', async () => {
    const text = 'version: 1\norganizations:\n  "a/b":\n    tags: { allowed: [x] }\n  "c~1":\n    bogus: 1\n';
    const r = await loadConfig(['f.yaml'], memFs({ 'f.yaml': text }));
    expect(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`)).toEqual([expect.stringMatching(/^6:5 unknown key 'bogus'/)]);
    const { locate } = r.partial!;
    expect(locate(['organizations', 'a/b'])).toEqual({ file: 'f.yaml', line: 3, col: 3 });
    expect(locate(['organizations', 'a/b', 'tags', 'allowed', 0])).toEqual({ file: 'f.yaml', line: 4, col: 23 });
    expect(locate(['organizations', 'c~1', 'bogus'])).toEqual({ file: 'f.yaml', line: 6, col: 12 });
    // not confused with a key that the escaped form would spell
    expect(locate(['organizations', 'a', 'b'])).toEqual({ file: 'f.yaml', line: 2, col: 1 });
  });

  it('locate gives a fresh position each time: changing one changes nothing later', async () => {
    const r = await loadConfig(['f.yaml'], memFs({ 'f.yaml': 'version: 1\norganizations:\n  web: {}\n' }));
    const { locate } = r.config!;
    const p = locate(['organizations', 'web']);
    p.line = 99;
    expect(locate(['organizations', 'web'])).toEqual({ file: 'f.yaml', line: 3, col: 3 });
  });
});

describe('the position index', () => {
  const pos = (loc: NodeLoc | undefined) => (loc ? naturalPosition(loc) : undefined);
  const at = (line: number, col: number, file = 'f.yaml') => ({ file, line, col });

  it('get() is exact, lookup() falls back to the nearest ancestor, for any pointer string', () => {
    const { index } = parse('a:\n  - x\n  - { "b/c": 1, "": 2, "01": 3 }\nd: null\n');
    expect(pos(index.get(''))).toEqual(at(1, 1));
    expect(pos(index.get('/a'))).toEqual(at(1, 1));
    expect(pos(index.get('/a/0'))).toEqual(at(2, 5));
    expect(pos(index.get('/a/1/b~1c'))).toEqual(at(3, 14));
    expect(pos(index.get('/a/1/'))).toEqual(at(3, 21));
    expect(pos(index.get('/a/1/01'))).toEqual(at(3, 30));
    expect(pos(index.get('/d'))).toEqual(at(4, 4));
    for (const missing of ['/a/01', '/a/2', '/a/1/b/c', '/a/1/b~1c/x', '/x', 'a', '//', '/a/0/']) expect(index.get(missing)).toBeUndefined();
    expect(pos(index.lookup('/a/01'))).toEqual(at(1, 1));
    expect(pos(index.lookup('/a/1/b/c'))).toEqual(at(3, 5));
    expect(pos(index.lookup('/a/1/b~1c/x/y'))).toEqual(at(3, 14));
    expect(pos(index.lookup('/a/0/'))).toEqual(at(2, 5));
    expect(pos(index.lookup('not-a-pointer'))).toEqual(at(1, 1));
    expect(new LocIndex().lookup('/a')).toBeUndefined();
  });

  it('lookupPath(path) is lookup(pointer(path)), ~ / numbers and missing segments included', () => {
    const { index } = parse('a:\n  - x\n  - { "b/c": 1, "~": 2, "": 3, "1": { z: 4 } }\n');
    const paths: (string | number)[][] = [[], ['a'], ['a', 0], ['a', 1, 'b/c'], ['a', 1, '~'], ['a', 1, ''], ['a', 1, 1, 'z'], ['a', 1, '1', 'z'], ['a', '1', 'b/c'], ['a', 1, 'b', 'c'], ['a', 2], ['a', -0], ['a', 0.5], ['x', 'y'], ['a', 0, 'deeper']];
    for (const path of paths) expect(index.lookupPath(path)).toBe(index.lookup(pointer(path)));
  });

  it('addMissing keeps the entries it has and adds copies of the others (first file wins, as mergeTrees did with a Map)', () => {
    const one = parseYamlFile('1.yaml', new TextEncoder().encode('a: 1\nb: { c: 1 }\n')).index;
    const two = parseYamlFile('2.yaml', new TextEncoder().encode('a: { x: 1 }\nb: { c: 2, d: 2 }\ne: [1]\n')).index;
    const merged = new LocIndex();
    merged.addMissing(one);
    merged.addMissing(two);
    expect(pos(merged.get('/a'))).toEqual(at(1, 4, '1.yaml'));
    expect(pos(merged.get('/a/x'))).toEqual(at(1, 9, '2.yaml'));
    expect(pos(merged.get('/b/c'))).toEqual(at(2, 9, '1.yaml'));
    expect(pos(merged.get('/b/d'))).toEqual(at(2, 15, '2.yaml'));
    expect(pos(merged.get('/e/0'))).toEqual(at(3, 5, '2.yaml'));
    // the files' own indexes are unchanged
    expect(one.get('/a/x')).toBeUndefined();
    expect(one.get('/b/d')).toBeUndefined();
    expect(two.get('/e/0')).not.toBe(merged.get('/e/0'));
  });
});
