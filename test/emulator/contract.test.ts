// Contract: drive every emulator route over loopback HTTP and validate each 2xx body (and each
// request body we send) against contract/devin-v3.contract.json, or for routes outside the spec
// against contract/emulator-extra.schema.json; validate error bodies against the extra schema;
// and, when ../shared/api/devin-v3-openapi.json exists, against the spec itself too.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { listRoutes } from '../../src/emulator/index.js';
import { IDS, call, emulator, tokenFor, type CallOptions } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC_PATH = resolve(ROOT, '../shared/api/devin-v3-openapi.json');
const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const contract = readJson(resolve(ROOT, 'contract/devin-v3.contract.json'));
const extra = readJson(resolve(ROOT, 'contract/emulator-extra.schema.json'));
const spec = existsSync(SPEC_PATH) ? readJson(SPEC_PATH) : undefined;
const xRoutes: Record<string, { request?: string; response: string }> = extra['x-routes'];

const CONTRACT_ID = 'https://devinctl.invalid/contract/devin-v3.contract.json';
const SPEC_ID = 'https://devinctl.invalid/spec/devin-v3-openapi.json';
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: CONTRACT_ID, components: contract.components });
ajv.addSchema(extra);
if (spec) ajv.addSchema({ $id: SPEC_ID, components: spec.components });

/** Points a document-local "#/components/…" $ref at the registered document. */
function rebase(schema: unknown, id: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rebase(s, id));
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${id}${v}` : rebase(v, id)]),
  );
}

const cache = new Map<string, ValidateFunction>();
function compiled(key: string, schema: () => unknown): ValidateFunction {
  let v = cache.get(key);
  if (!v) cache.set(key, (v = ajv.compile(schema() as object)));
  return v;
}

function expectValid(v: ValidateFunction, data: unknown, what: string): void {
  const ok = v(data);
  expect(ok, `${what}: ${ajv.errorsText(v.errors, { separator: '\n' })}\n${JSON.stringify(data).slice(0, 600)}`).toBe(true);
}

/** The validators for one route's 200 body (and request body): contract, spec, or extra schema. */
function validatorsFor(method: string, template: string, part: 'response' | 'request'): ValidateFunction[] {
  const key = `${method} ${template}`;
  const m = method.toLowerCase();
  const op = contract.paths[template]?.[m];
  if (op) {
    const out: ValidateFunction[] = [];
    const fromContract = part === 'response' ? op.responses['200'] : op.requestBody?.schema;
    if (fromContract) out.push(compiled(`contract ${part} ${key}`, () => rebase(fromContract, CONTRACT_ID)));
    const sop = spec?.paths[template]?.[m];
    const fromSpec = part === 'response' ? sop?.responses['200']?.content?.['application/json']?.schema : sop?.requestBody?.content?.['application/json']?.schema;
    if (fromSpec) out.push(compiled(`spec ${part} ${key}`, () => rebase(fromSpec, SPEC_ID)));
    return out;
  }
  const x = xRoutes[key];
  if (!x) throw new Error(`${key} is neither in the spec nor in emulator-extra x-routes`);
  const ref = part === 'response' ? x.response : x.request;
  return ref ? [compiled(`extra ${part} ${key}`, () => ({ $ref: `${extra.$id}${ref}` }))] : [];
}

const routes = listRoutes();
function templateOf(method: string, path: string): string {
  const parts = path.split('?')[0].split('/');
  const candidates = routes.filter((r) => {
    const t = r.path.split('/');
    return r.method === method && t.length === parts.length && t.every((s, i) => s.startsWith('{') || s === parts[i]);
  });
  candidates.sort((a, b) => b.path.split('/').filter((s) => !s.startsWith('{')).length - a.path.split('/').filter((s) => !s.startsWith('{')).length);
  if (!candidates[0]) throw new Error(`no emulator route for ${method} ${path}`);
  return candidates[0].path;
}

describe('the emulator contract', () => {
  it('serves no /v3/ route that the spec lacks, except the documented x-routes, and no stale x-route', () => {
    const specPaths = spec ? spec.paths : contract.paths;
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      const inSpec = Boolean(specPaths[r.path]?.[r.method.toLowerCase()]);
      if (!inSpec) expect(xRoutes[key], `${key} is served but missing from the spec and from x-routes`).toBeDefined();
      else expect(xRoutes[key], `${key} is in the spec now; remove it from x-routes`).toBeUndefined();
    }
    for (const key of Object.keys(xRoutes)) {
      expect(routes.some((r) => `${r.method} ${r.path}` === key), `x-route ${key} is not served`).toBe(true);
    }
  });

  it.runIf(spec !== undefined)('is derived from the current OpenAPI file (re-run scripts/derive-contract.mjs when this fails)', () => {
    const fresh = execFileSync(process.execPath, [resolve(ROOT, 'scripts/derive-contract.mjs'), SPEC_PATH, '--stdout'], { encoding: 'utf8' });
    expect(fresh === readFileSync(resolve(ROOT, 'contract/devin-v3.contract.json'), 'utf8')).toBe(true);
  });

  it('has validators that reject a body the spec forbids (so a passing contract means something)', () => {
    const validators = validatorsFor('GET', '/v3/enterprise/organizations/{org_id}', 'response');
    expect(validators.length).toBe(spec ? 2 : 1);
    const good = { org_id: 'org-x', name: 'x', max_session_acu_limit: null, max_cycle_acu_limit: 1, created_at: 1, updated_at: 1 };
    for (const v of validators) {
      expect(v(good)).toBe(true);
      expect(v({ ...good, created_at: undefined })).toBe(false);
      expect(v({ ...good, max_cycle_acu_limit: 'many' })).toBe(false);
    }
    const page = validatorsFor('GET', '/v3/enterprise/roles', 'response')[0];
    expect(page({ items: [{ role_id: 'r', role_name: 'n', role_type: 'team' }], end_cursor: null, has_next_page: false })).toBe(false);
  });

  describe('every route answers spec-shaped bodies', () => {
    const covered = new Set<string>();
    let emu: Awaited<ReturnType<typeof emulator>>;

    async function hit(method: string, path: string, opts: CallOptions = {}): Promise<any> {
      const template = templateOf(method, path);
      if (opts.body !== undefined) {
        for (const v of validatorsFor(method, template, 'request')) expectValid(v, opts.body, `request ${method} ${template}`);
      }
      const res = await call(emu, method, path, opts);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(200);
      const validators = validatorsFor(method, template, 'response');
      expect(validators.length, `no response schema for ${method} ${template}`).toBeGreaterThan(0);
      for (const v of validators) expectValid(v, res.body, `response ${method} ${template}`);
      covered.add(`${method} ${template}`);
      return res.body;
    }


    it('drives every route with a valid call and validates the reply', async () => {
      emu = await emulator();
      const { frontend, backend, legacy } = IDS.orgs;
      const R = IDS.roles;
      // organizations
      await hit('GET', '/v3/enterprise/organizations', { query: { first: 2 } });
      const org = await hit('POST', '/v3/enterprise/organizations', { body: { name: 'contract-org' } });
      await hit('GET', `/v3/enterprise/organizations/${org.org_id}`);
      await hit('PATCH', `/v3/enterprise/organizations/${org.org_id}`, { body: { max_cycle_acu_limit: null, name: 'contract-org-2' } });
      // git
      await hit('GET', '/v3/enterprise/git-providers/connections');
      const gp = `/v3/enterprise/organizations/${org.org_id}/git-providers/permissions`;
      await hit('POST', gp, { body: { permissions: [{ git_connection_id: IDS.connections.github, repo_path: 'acme/a' }] } });
      const replaced = await hit('PUT', gp, { body: { permissions: [{ git_connection_id: IDS.connections.gitlab, group_prefix: 'acme', read_only: true }, { git_connection_id: IDS.connections.github, prefix_path: 'acme/x' }] } });
      await hit('GET', gp);
      await hit('PATCH', `${gp}/${replaced[0].git_permission_id}`, { body: { read_only: false } });
      await hit('DELETE', `${gp}/${replaced[0].git_permission_id}`);
      await hit('DELETE', gp);
      // tags
      const tags = `/v3/enterprise/organizations/${org.org_id}/tags`;
      await hit('PUT', tags, { body: { tags: ['b', 'a'] } });
      await hit('POST', tags, { body: { tags: ['c'] } });
      await hit('GET', tags);
      await hit('PUT', `${tags}/default`, { body: { tag: 'a' } });
      await hit('GET', `${tags}/default`);
      await hit('DELETE', `${tags}/default`);
      await hit('DELETE', `${tags}/c`);
      await hit('DELETE', tags);
      // roles
      await hit('GET', '/v3/enterprise/roles');
      // IdP groups
      await hit('GET', '/v3/enterprise/idp-groups');
      await hit('POST', '/v3/enterprise/idp-groups', { body: { idp_group_names: ['contract-group', 'engineering'] } });
      await hit('GET', '/v3/enterprise/members/idp-groups');
      await hit('POST', '/v3/enterprise/members/idp-groups/contract-group', { body: { role_id: R.enterpriseMember } });
      await hit('PATCH', '/v3/enterprise/members/idp-groups/contract-group', { body: { role_id: R.enterpriseAdmin } });
      await hit('GET', '/v3/enterprise/members/idp-groups/contract-group');
      const orgIdp = `/v3/enterprise/organizations/${backend}/members/idp-groups`;
      await hit('POST', `${orgIdp}/contract-group`, { body: { role_id: R.orgMember } });
      await hit('PATCH', `${orgIdp}/contract-group`, { body: { role_id: R.orgAdmin } });
      await hit('GET', orgIdp);
      await hit('GET', `${orgIdp}/contract-group`);
      await hit('DELETE', `${orgIdp}/contract-group`);
      await hit('DELETE', '/v3/enterprise/members/idp-groups/contract-group');
      await hit('DELETE', '/v3/enterprise/idp-groups/contract-group');
      // provisioning, API keys, self
      const ent = await hit('POST', '/v3beta1/enterprise/service-users', { body: { name: 'contract-su', role_id: R.enterpriseMember, ttl_seconds: 3600 } });
      const scoped = await hit('POST', `/v3beta1/organizations/${frontend}/service-users`, { body: { name: 'contract-org-su', role_id: R.orgAdmin, ttl_seconds: 3600 } });
      const keys = `/v3beta1/enterprise/service-users/${ent.service_user.service_user_id}/api-keys`;
      const key = await hit('POST', keys, { body: { name: 'contract-key' } });
      await hit('GET', keys, { query: { status: 'active' } });
      await hit('DELETE', `${keys}/${key.api_key_id}`);
      await hit('GET', '/v3beta1/enterprise/self');
      await hit('GET', '/v3/enterprise/self', { token: scoped.token });
      // service-user membership
      const sus = '/v3/enterprise/members/service-users';
      const scopedId = scoped.service_user.service_user_id;
      await hit('GET', sus, { query: { include_inactive: true } });
      await hit('GET', `${sus}/${scopedId}`);
      await hit('POST', `${sus}/${scopedId}`, { body: { role_id: R.enterpriseMember } });
      await hit('PATCH', `${sus}/${scopedId}`, { body: { role_id: R.enterpriseAdmin } });
      const orgSus = `/v3/enterprise/organizations/${legacy}/members/service-users`;
      await hit('POST', `${orgSus}/${IDS.serviceUsers.ciReporter}`, { body: { role_id: R.orgMember } });
      await hit('PATCH', `${orgSus}/${IDS.serviceUsers.ciReporter}`, { body: { role_id: R.orgAdmin } });
      await hit('GET', orgSus);
      await hit('DELETE', `${orgSus}/${IDS.serviceUsers.ciReporter}`);
      await hit('DELETE', `${sus}/${ent.service_user.service_user_id}`);
      // secrets
      const secrets = `/v3/organizations/${frontend}/secrets`;
      const secret = await hit('POST', secrets, { body: { type: 'key-value', key: 'CONTRACT_KEY', value: 'v', note: 'n' } });
      await hit('GET', secrets);
      await hit('DELETE', `${secrets}/${secret.secret_id}`);
      // org-group limits
      await hit('GET', '/v3/enterprise/org-group-limits');
      await hit('PUT', '/v3/enterprise/org-group-limits', { body: { groups: { g1: { org_ids: [frontend, backend], max_cycle_acus: 10 }, g2: { org_ids: [] } } } });
      // and finally the org delete
      await hit('DELETE', `/v3/enterprise/organizations/${org.org_id}`);

      const missing = routes.map((r) => `${r.method} ${r.path}`).filter((k) => !covered.has(k));
      expect(missing, 'routes the contract scenario never exercised').toEqual([]);
    });

    it('answers 401, 403, 404, 409 and 422 with FastAPI-style error bodies', async () => {
      const e = await emulator();
      const body = compiled('ErrorBody', () => ({ $ref: `${extra.$id}#/$defs/ErrorBody` }));
      const detail = compiled('ErrorDetail', () => ({ $ref: `${extra.$id}#/$defs/ErrorDetail` }));
      const validation = compiled('HTTPValidationError', () => ({ $ref: `${extra.$id}#/$defs/HTTPValidationError` }));
      const member = tokenFor(e, IDS.serviceUsers.ciReporter);
      const samples: [number, ValidateFunction, Promise<{ status: number; body: unknown }>][] = [
        [401, detail, call(e, 'GET', '/v3/enterprise/organizations', { token: 'nope' })],
        [401, detail, call(e, 'GET', '/v3/enterprise/roles', { token: null })],
        [403, detail, call(e, 'GET', '/v3/enterprise/organizations', { token: member })],
        [404, detail, call(e, 'GET', '/v3/enterprise/organizations/org-missing')],
        [404, detail, call(e, 'GET', '/v3/enterprise/no-such-route')],
        [409, detail, call(e, 'DELETE', '/v3/enterprise/idp-groups/engineering')],
        [422, validation, call(e, 'GET', '/v3/enterprise/roles', { query: { first: 0 } })],
        [422, validation, call(e, 'POST', '/v3/enterprise/organizations', { body: {} })],
        [422, validation, call(e, 'POST', '/v3/enterprise/organizations', { rawBody: '{not json' })],
      ];
      for (const [status, v, pending] of samples) {
        const res = await pending;
        expect(res.status).toBe(status);
        expectValid(body, res.body, `error body ${status}`);
        expectValid(v, res.body, `error body ${status}`);
      }
    });
  });
});
