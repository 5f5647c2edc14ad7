import { describe, expect, it } from 'vitest';
import { applyRules } from '../../src/config/index.js';
import { applyRulesInPlace } from '../../src/config/rules.js';
import type { DesiredDoc } from '../../src/config/types.js';
import { lines, load } from './helpers.js';

const org = (body: string) => `version: 1\norganizations:\n  web:\n${body}`;

describe('git permissions', () => {
  it('a git permission with two path fields is an error at the entry', async () => {
    expect(await lines(org('    git_permissions:\n      - { connection: gh, repo_path: a, group_prefix: b }\n'))).toEqual([
      'f.yaml:5:9: error: git permission sets repo_path and group_prefix: set exactly one of repo_path, group_prefix or prefix_path',
    ]);
  });

  it('a git permission with no path field is an error at the entry', async () => {
    expect(await lines(org('    git_permissions:\n      - connection: gh\n        read_only: true\n'))).toEqual([
      'f.yaml:5:9: error: git permission needs one of repo_path, group_prefix or prefix_path',
    ]);
  });

  it('duplicate entries (same connection, field and canonical path) name both lines', async () => {
    const src = org('    git_permissions:\n      - { connection: gh, prefix_path: acme/x }\n      - { connection: gh, repo_path: acme/x }\n      - { connection: gh, prefix_path: acme/x// }\n');
    expect(await lines(src)).toEqual([
      "f.yaml:7:9: error: duplicate git permission: gh prefix_path 'acme/x' is also at 5:9",
      "f.yaml:7:40: warning: trailing '/' removed from prefix_path 'acme/x//': prefixes are compared without it",
    ]);
  });

  it('the same path in different orgs or connections is not a duplicate', async () => {
    const src = 'version: 1\norganizations:\n  a: { git_permissions: [{ connection: gh, repo_path: r }, { connection: gl, repo_path: r }] }\n  b: { git_permissions: [{ connection: gh, repo_path: r }] }\n';
    expect(await lines(src)).toEqual([]);
  });

  it('connection and path are compared apart: gh/x + y is not gh + x/y, nor a:1 + 2 the same as a + :12', async () => {
    const src = org('    git_permissions:\n      - { connection: gh/x, repo_path: y }\n      - { connection: gh, repo_path: x/y }\n      - { connection: "a:1", repo_path: "2" }\n      - { connection: a, repo_path: ":12" }\n      - { connection: "1:a", repo_path: "" }\n      - { connection: "1", repo_path: ":a" }\n');
    expect(await lines(src)).toEqual(["f.yaml:9:41: error: repo_path: must not be empty"]);
  });

  it('a trailing / on group_prefix is stripped with a warning and the doc holds the canonical value', async () => {
    const r = await load({ 'f.yaml': org('    git_permissions:\n      - { connection: gh, group_prefix: acme/web/ }\n      - { connection: gh, repo_path: acme/repo/ }\n') });
    expect(r.diagnostics.map((d) => `${d.line}:${d.col}: ${d.severity}`)).toEqual(['5:41: warning']);
    expect(r.config!.doc.organizations!.web.git_permissions).toEqual([
      { connection: 'gh', group_prefix: 'acme/web' },
      { connection: 'gh', repo_path: 'acme/repo/' }, // D10 is about prefixes only
    ]);
  });

  it('a prefix that is only slashes is empty after stripping: an error', async () => {
    expect(await lines(org('    git_permissions:\n      - { connection: gh, group_prefix: "//" }\n'))).toEqual(['f.yaml:5:41: error: group_prefix must not be empty']);
  });
});

describe('tags', () => {
  it('the default tag must be one of the allowed tags', async () => {
    expect(await lines(org('    tags:\n      allowed: [a, b]\n      default: c\n'))).toEqual(["f.yaml:6:16: error: default tag 'c' is not in allowed: [a, b]"]);
  });

  it('a default of null or absent needs nothing from allowed', async () => {
    expect(await lines(org('    tags: { allowed: [], default: null }\n'))).toEqual([]);
    expect(await lines(org('    tags: null\n'))).toEqual([]);
  });

  it('a duplicate allowed tag names both places', async () => {
    expect(await lines(org('    tags:\n      allowed:\n        - a\n        - b\n        - a\n'))).toEqual(["f.yaml:8:11: error: duplicate tag 'a' in allowed (first at 6:11)"]);
  });
});

describe('secrets', () => {
  it('a literal value is an error whose message never repeats the value', async () => {
    const out = await lines(org('    secrets:\n      TOKEN: { value: "ghp_literalSecret" }\n      N: { value: 12345 }\n'));
    expect(out).toEqual([
      'f.yaml:5:23: error: secret values must come from the environment: write value: "${VARIABLE}"',
      'f.yaml:6:19: error: value: expected string, got integer',
    ]);
    expect(out.join('\n')).not.toMatch(/ghp_literalSecret|12345/);
  });

  it('near misses of ${VAR} are literals too', async () => {
    for (const v of ['$TOKEN', '${ TOKEN }', '${TOKEN}x', '${1TOKEN}', '${TOKEN']) {
      expect(await lines(org(`    secrets:\n      K: { value: ${JSON.stringify(v)} }\n`))).toEqual([
        'f.yaml:5:19: error: secret values must come from the environment: write value: "${VARIABLE}"',
      ]);
    }
  });

  it('${VAR} sets value_var and leaves type, note and sensitive absent unless written', async () => {
    const r = await load({ 'f.yaml': org('    secrets:\n      K: { value: "${MY_VAR}" }\n      C: { type: cookie, sensitive: false, note: n }\n') });
    expect(r.config!.doc.organizations!.web.secrets).toEqual({ K: { value: '${MY_VAR}', value_var: 'MY_VAR' }, C: { type: 'cookie', sensitive: false, note: 'n' } });
  });

  it('value_var cannot be written by the user', async () => {
    expect(await lines(org('    secrets:\n      K: { value_var: X }\n'))).toEqual(["f.yaml:5:12: error: unknown key 'value_var' (expected one of: value, type, note, sensitive)"]);
  });
});

describe('org-group limits', () => {
  const ent = (body: string) => `version: 1\nenterprise:\n  org_group_limits:\n${body}`;

  it('an organization named in two groups is an error naming both', async () => {
    expect(await lines(ent('    g1: { max_cycle_acus: 1, organizations: [a, b] }\n    g2: { max_cycle_acus: 2, organizations: [c, b] }\n'))).toEqual([
      "f.yaml:5:49: error: organization 'b' is in org groups 'g1' (4:49) and 'g2': an organization belongs to one group only",
    ]);
  });

  it('the same organization twice in one group is an error naming both', async () => {
    expect(await lines(ent('    g1: { max_cycle_acus: null, organizations: [a, a] }\n'))).toEqual([
      "f.yaml:4:52: error: organization 'a' is listed twice in org group 'g1' (first at 4:49)",
    ]);
  });

  it('organizations not in the file are fine offline (D8: they may be live)', async () => {
    expect(await lines(ent('    g1: { max_cycle_acus: 10, organizations: [not-in-file] }\n'))).toEqual([]);
  });
});

describe('service users', () => {
  it('an org-scoped service user may appear in one organization only', async () => {
    const src = 'version: 1\norganizations:\n  a: { service_users: { bot: { role: Admin } } }\n  b: { service_users: { bot: { role: Admin } } }\n';
    expect(await lines(src)).toEqual([
      "f.yaml:4:25: error: service user 'bot' is org-scoped in both 'a' (3:25) and 'b': an org-scoped service user belongs to one organization",
    ]);
  });

  it('an org-scoped service user must not also be an enterprise service user', async () => {
    const src = 'version: 1\nenterprise:\n  service_users:\n    bot: { role: Member }\norganizations:\n  a: { service_users: { bot: { role: Admin } } }\n';
    expect(await lines(src)).toEqual([
      "f.yaml:6:25: error: service user 'bot' is both an enterprise service user (4:5) and org-scoped in organizations.a: define it in one place",
    ]);
  });

  it('a string entry refers to an enterprise service user, desired or live: no offline error when absent', async () => {
    const src = 'version: 1\nenterprise:\n  service_users:\n    bot: { role: Member }\norganizations:\n  a: { service_users: { bot: Member, live-only: Admin } }\n';
    expect(await lines(src)).toEqual([]);
  });

  it('a string entry cannot give a role to an org-scoped service user of another organization', async () => {
    const src = 'version: 1\norganizations:\n  a: { service_users: { bot: { role: Admin } } }\n  b: { service_users: { bot: Member } }\n';
    expect(await lines(src)).toEqual([
      "f.yaml:4:30: error: service user 'bot' is org-scoped in 'a' (3:25); only enterprise service users can be given roles by name in other organizations",
    ]);
  });
});

describe('idp groups and names', () => {
  it('an org assignment to a group not in enterprise.idp_groups is fine offline (it may exist live)', async () => {
    expect(await lines('version: 1\norganizations:\n  a: { idp_groups: { live-group: Member } }\n')).toEqual([]);
  });

  it('blank names are errors at the key', async () => {
    const src = 'version: 1\nenterprise:\n  service_users:\n    " ": { role: Member }\norganizations:\n  a:\n    idp_groups:\n      "": Member\n';
    expect(await lines(src)).toEqual(['f.yaml:4:5: error: a name must not be empty', 'f.yaml:8:11: error: a name must not be empty']);
  });

  it('an org key and an id pin together are fine; two orgs pinning one id are not', async () => {
    expect(await lines('version: 1\norganizations:\n  a: { id: org-1 }\n  b: { id: org-2 }\n')).toEqual([]);
    expect(await lines('version: 1\norganizations:\n  a: { id: org-1 }\n  b: { id: org-1 }\n')).toEqual([
      "f.yaml:4:12: error: organizations 'a' (3:12) and 'b' pin the same id: an id belongs to one organization",
    ]);
  });
});

describe('applyRules', () => {
  it('returns a canonical copy and leaves its input alone', () => {
    const doc: DesiredDoc = {
      version: 1,
      organizations: { o: { git_permissions: [{ connection: 'c', prefix_path: 'p/' }], secrets: { K: { value: '${V}' } } } },
    };
    const before = structuredClone(doc);
    const r = applyRules(doc, () => ({ file: 'x', line: 1, col: 1 }));
    expect(doc).toEqual(before);
    expect(r.doc.organizations!.o.git_permissions![0].prefix_path).toBe('p');
    expect(r.doc.organizations!.o.secrets!.K.value_var).toBe('V');
    expect(r.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('applyRulesInPlace (what loadConfig uses on its own merged doc) gives the same, in the doc itself', () => {
    const make = (): DesiredDoc => ({
      version: 1,
      organizations: { o: { git_permissions: [{ connection: 'c', prefix_path: 'p/' }, { connection: 'c', prefix_path: 'p' }], secrets: { K: { value: '${V}' }, L: { value: 'lit' } } } },
    });
    const at = () => ({ file: 'x', line: 1, col: 1 });
    const copied = applyRules(make(), at);
    const doc = make();
    const inPlace = applyRulesInPlace(doc, at);
    expect(inPlace.doc).toBe(doc);
    expect(inPlace.doc).toEqual(copied.doc);
    expect(inPlace.diagnostics).toEqual(copied.diagnostics);
  });

  it('tolerates a document of the wrong shape (rules run even when the schema failed)', () => {
    const junk = { version: 1, organizations: { o: { git_permissions: 'x', tags: [1], secrets: [], service_users: 5 } }, enterprise: { org_group_limits: { g: { organizations: 'a' } } } };
    expect(() => applyRules(junk as unknown as DesiredDoc, () => ({ file: 'x', line: 1, col: 1 }))).not.toThrow();
  });
});
