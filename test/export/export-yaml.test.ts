// exportYaml: the exported document as YAML text that loads back, with zero diagnostics, into
// the same document.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { exportDoc } from '../../src/engine/export.js';
import { buildLookups } from '../../src/engine/lookups.js';
import { exportYaml, type ExportHeader, type ExportNote } from '../../src/cli/export-yaml.js';
import { loadConfig } from '../../src/config/load.js';
import type { DesiredDoc } from '../../src/config/types.js';
import type { LiveOrganization, ResourceObject } from '../../src/engine/types.js';

const header: ExportHeader = {
  version: '9.9.9',
  baseUrl: 'https://api.devin.ai',
  date: new Date('2026-01-02T03:04:05.678Z'),
  schema: './node_modules/devinctl/schemas/devin.schema.json',
};

async function load(text: string) {
  const bytes = new TextEncoder().encode(text);
  return loadConfig(['/virtual/exported.yaml'], {
    readFile: async () => bytes,
    stat: async () => ({ isFile: () => true, isDirectory: () => false, size: bytes.length }),
    readdir: async () => [],
  });
}

const doc: DesiredDoc = {
  version: 1,
  settings: { ignore: { service_users: ['devinctl-admin'] } },
  enterprise: {
    idp_groups: { engineering: { role: 'Member' }, 'Ops: on-call #1': { role: null } },
    service_users: { 'ci-reporter': { role: 'Member' } },
    org_group_limits: { product: { max_cycle_acus: 5000, organizations: ['backend', 'frontend'] } },
  },
  organizations: {
    frontend: {
      max_session_acu_limit: 200,
      max_cycle_acu_limit: null,
      git_permissions: [{ connection: 'github', repo_path: 'acme/shared', read_only: true }],
      tags: { allowed: ['frontend', 'true', '123'], default: 'true' },
      secrets: { NPM_TOKEN: { type: 'key-value', note: 'say "hi": #1\nsecond line', sensitive: true } },
      idp_groups: { engineering: 'Admin' },
      service_users: { 'ci-reporter': 'Member', deployer: { role: 'Admin' } },
    },
    backend: { max_session_acu_limit: null, max_cycle_acu_limit: null, git_permissions: [], secrets: {}, idp_groups: {}, service_users: {} },
  },
};
const notes: ExportNote[] = [
  { path: ['organizations', 'frontend', 'secrets', 'NPM_TOKEN'], comment: ' value is not exported: add value: "${NPM_TOKEN}" to manage it', where: 'before' },
  { path: ['settings', 'ignore', 'service_users', 0], comment: ' the caller devinctl runs as: never deleted or re-roled (D5)', where: 'after' },
  { path: ['enterprise', 'service_users', 'ci-reporter'], comment: ' expires 2027-01-31', where: 'after' },
];

describe('exportYaml', () => {
  it('starts with the export header and the schema comment, then version: 1', () => {
    const text = exportYaml(doc, header, notes);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# Exported by devinctl 9.9.9 from https://api.devin.ai on 2026-01-02T03:04:05Z');
    expect(lines[1]).toBe('# yaml-language-server: $schema=./node_modules/devinctl/schemas/devin.schema.json');
    expect(lines.find((l) => !l.startsWith('#') && l !== '')).toBe('version: 1');
  });

  it('says which organizations an --orgs export holds', () => {
    expect(exportYaml(doc, { ...header, orgs: ['frontend'] })).toContain('# Organizations: frontend (--orgs); the other live organizations are in settings.ignore');
  });

  it('comments each secret with how to take its value under management', () => {
    const text = exportYaml(doc, header, notes);
    expect(text).toMatch(/# value is not exported: add value: "\$\{NPM_TOKEN\}" to manage it\n\s+NPM_TOKEN:\n\s+type: key-value\n/);
    expect(text).toContain('- devinctl-admin # the caller devinctl runs as: never deleted or re-roled (D5)');
    expect(text).toContain("ci-reporter: { role: Member } # expires 2027-01-31");
  });

  it('writes sections in file order, names sorted and fields in one fixed order, git permissions in flow style', () => {
    const text = exportYaml(doc, header, notes);
    const at = (s: string) => text.indexOf(s);
    expect(at('\nsettings:')).toBeLessThan(at('\nenterprise:'));
    expect(at('\nenterprise:')).toBeLessThan(at('\norganizations:'));
    expect(at('  backend:')).toBeLessThan(at('  frontend:'));
    expect(at('\n  idp_groups:')).toBeLessThan(at('\n  service_users:'));
    expect(at('\n  service_users:')).toBeLessThan(at('\n  org_group_limits:'));
    expect(text).toContain('- { connection: github, repo_path: acme/shared, read_only: true }');
    expect(Object.keys(parse(text).organizations.frontend)).toEqual([
      'max_session_acu_limit', 'max_cycle_acu_limit', 'git_permissions', 'tags', 'secrets', 'idp_groups', 'service_users',
    ]);
  });

  it('is the same text for the same document, whatever order its keys came in', () => {
    const shuffled: DesiredDoc = JSON.parse(JSON.stringify({ organizations: { frontend: doc.organizations!.frontend, backend: doc.organizations!.backend }, enterprise: doc.enterprise, version: 1, settings: doc.settings }));
    expect(exportYaml(shuffled, header, notes)).toBe(exportYaml(doc, header, notes));
  });

  it('loads with zero diagnostics into the same document, quoting strings that look like other types', async () => {
    const text = exportYaml(doc, header, notes);
    const res = await load(text);
    expect(res.diagnostics).toEqual([]);
    expect(res.config!.doc).toEqual(doc);
    expect(text).toContain('"true"');
  });

  it('round-trips arbitrary names, notes and tags through exportDoc, YAML and loadConfig', async () => {
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /\S/.test(s) && !/[*?]/.test(s));
    const envKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(envKey, { maxLength: 3 }),
        fc.string({ maxLength: 40 }),
        fc.uniqueArray(name, { maxLength: 4 }),
        fc.uniqueArray(name, { maxLength: 3 }),
        fc.option(fc.integer({ min: 0, max: 1e9 })),
        async (orgNames, keys, note, tags, groups, limit) => {
          const orgs: LiveOrganization[] = orgNames.map((n, i) => ({ org_id: `org-${i}`, name: n, max_session_acu_limit: limit, max_cycle_acu_limit: null }));
          const lookups = buildLookups({ version: 1 }, {
            roles: [{ role_id: 'r1', role_name: 'Member', role_type: 'enterprise' }, { role_id: 'r2', role_name: 'Member', role_type: 'org' }],
            connections: [{ git_connection_id: 'gc-1', name: 'github', host: 'github.com' }],
            organizations: orgs,
            caller: null,
          });
          const org = orgNames[0];
          const live: ResourceObject[] = [
            ...orgs.map((o) => ({ kind: 'organization', key: o.name, parent: '', spec: { name: o.name, max_session_acu_limit: o.max_session_acu_limit, max_cycle_acu_limit: null }, meta: { id: o.org_id } })),
            ...keys.map((k) => ({ kind: 'secret', key: `${org}/${k}`, parent: org, spec: { type: 'key-value', note, sensitive: true, value: null } })),
            { kind: 'tags', key: org, parent: org, spec: { allowed: [...tags].sort(), default: tags[0] ?? null } },
            ...groups.map((g) => ({ kind: 'idp-group', key: g, parent: '', spec: { role: 'Member' } })),
            ...groups.map((g) => ({ kind: 'idp-group-org-role', key: `${org}/${g}`, parent: org, spec: { role: 'Member' } })),
            { kind: 'git-permission', key: `${org}/github/repo_path:${note || 'x'}`, parent: org, spec: { connection_id: 'gc-1', field: 'repo_path', path: (note.replace(/\/+$/, '') || 'x'), read_only: false } },
            { kind: 'org-group-limit', key: groups[0] ?? 'g', parent: '', spec: { max_cycle_acus: limit, organizations: [...orgNames] } },
          ];
          const exported = exportDoc(live, lookups);
          const res = await load(exportYaml(exported, header));
          expect(res.diagnostics).toEqual([]);
          expect(res.config!.doc).toEqual(exported);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('exportYaml quoting', () => {
  it('quotes strings that start with YAML indicators inside flow collections, so they read back as strings', async () => {
    const tricky: DesiredDoc = { version: 1, organizations: { '!': { tags: { allowed: ['!', '&a', '*b', '@x', '%y', '`z'], default: '!' } } } };
    const res = await load(exportYaml(tricky, header));
    expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(res.config!.doc.organizations!['!'].tags).toEqual({ allowed: ['!', '&a', '*b', '@x', '%y', '`z'], default: '!' });
  });
});
