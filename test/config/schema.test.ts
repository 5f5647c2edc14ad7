import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { devinSchema } from '../../src/config/index.js';
import { lines } from './helpers.js';

type S = Record<string, unknown>;

/** Every subschema, with its JSON pointer. */
function walk(s: unknown, at = '#', out: [string, S][] = []): [string, S][] {
  if (s === null || typeof s !== 'object') return out;
  if (Array.isArray(s)) {
    s.forEach((x, i) => walk(x, `${at}/${i}`, out));
    return out;
  }
  const o = s as S;
  out.push([at, o]);
  for (const key of ['properties', '$defs']) for (const [k, v] of Object.entries((o[key] ?? {}) as S)) walk(v, `${at}/${key}/${k}`, out);
  for (const key of ['items', 'additionalProperties', 'propertyNames']) if (o[key] && typeof o[key] === 'object') walk(o[key], `${at}/${key}`, out);
  return out;
}

describe('schemas/devin.schema.json', () => {
  const schema = devinSchema();

  it('compiles under ajv strict mode (JSON Schema 2020-12)', () => {
    const ajv = new Ajv2020.default({ strict: true, allowUnionTypes: true });
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('rejects unknown keys in every object (additionalProperties: false or a schema for map values)', () => {
    for (const [at, s] of walk(schema)) {
      const isObject = s.type === 'object' || (Array.isArray(s.type) && s.type.includes('object'));
      if (isObject) expect(s.additionalProperties, at).toBeDefined();
      if (isObject && s.additionalProperties === undefined) throw new Error(at);
    }
  });

  it('describes every property (editors show it on hover)', () => {
    for (const [at, s] of walk(schema)) {
      for (const [k, v] of Object.entries((s.properties ?? {}) as S)) expect((v as S).description, `${at}/properties/${k}`).toBeTruthy();
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        const a = s.additionalProperties as S;
        expect(a.description ?? a.$ref, `${at}/additionalProperties`).toBeTruthy();
      }
    }
  });

  it('accepts examples/devin.yaml as plain data', () => {
    const ajv = new Ajv2020.default({ strict: true, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    expect(validate(parse(readFileSync('examples/devin.yaml', 'utf8')))).toBe(true);
  });

  it('the example file points editors at the schema', () => {
    expect(readFileSync('examples/devin.yaml', 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../schemas/devin.schema.json');
  });
});

describe('schema messages', () => {
  const one = async (body: string) => (await lines(`version: 1\n${body}`)).map((l) => l.replace(/^f\.yaml:/, ''));

  it('wrong types say what was expected and what was found', async () => {
    expect(await one('organizations:\n  a:\n    max_cycle_acu_limit: "10"\n')).toEqual(['4:26: error: max_cycle_acu_limit: expected integer or null, got string']);
    expect(await one('organizations:\n  a: []\n')).toEqual(['3:3: error: a: expected map, got list']);
    expect(await one('organizations:\n  a: { git_permissions: [{ connection: c, repo_path: r, read_only: 1 }] }\n')).toEqual([
      '3:68: error: read_only: expected boolean (true or false), got integer',
    ]);
    expect(await one('organizations:\n  a: { tags: { allowed: [1] } }\n')).toEqual(['3:26: error: allowed[0]: expected string, got integer']);
  });

  it('enums list their values', async () => {
    expect(await one('organizations: { a: { secrets: { K: { type: kv } } } }\n')).toEqual(['2:45: error: type: must be one of: key-value, cookie, totp']);
  });

  it('unknown keys suggest close names, or list the allowed keys', async () => {
    expect(await one('enterprise:\n  idp_group: {}\n')).toEqual(["3:3: error: unknown key 'idp_group' (did you mean 'idp_groups'?)"]);
    expect(await one('enterprise:\n  zzz: {}\n')).toEqual(["3:3: error: unknown key 'zzz' (expected one of: idp_groups, service_users, org_group_limits)"]);
  });

  it('a typo of a required key is reported once, as the unknown key', async () => {
    expect(await one('enterprise: { service_users: { bot: { rol: Member } } }\n')).toEqual(["2:39: error: unknown key 'rol' (did you mean 'role'?)"]);
  });

  it('a missing required key is reported at the object', async () => {
    expect(await one('enterprise:\n  org_group_limits:\n    g:\n      max_cycle_acus: 5\n')).toEqual(["4:5: error: g: missing required key 'organizations'"]);
  });

  it('ranges name both ends and the number found', async () => {
    expect(await one('settings: { max_delete_percent: -5 }\n')).toEqual(['2:33: error: max_delete_percent: must be between 0 and 100, got -5']);
    expect(await one('settings: { rate_limit: { rps: -1 } }\n')).toEqual(['2:32: error: rps: must be greater than 0, got -1']);
  });

  it('a wrong type is one message, not a cascade', async () => {
    expect(await one('organizations: { a: { max_session_acu_limit: -1.5 } }\n')).toEqual(['2:46: error: max_session_acu_limit: expected integer or null, got number']);
  });
});
