// Organization (allowed session) tags and the default tag (ManageEnterpriseSettings), behind
// the session_tags feature switch. Tags are stored and returned sorted. PUT and the deletes clear
// a default that is no longer allowed; the default must be one of the allowed tags.
import { enterprise } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import type { Route } from '../router.js';
import type { EmulatorState, StateOrgTags } from '../types.js';
import { arr, obj, req, str, validateBody } from '../validate.js';
import { findOrg } from '../views.js';

const BASE = '/v3/enterprise/organizations/{org_id}/tags';
const perm = enterprise('ManageEnterpriseSettings');
const tagsSchema = obj({ tags: req(arr(str({ minLength: 1 }))) });

function requireSessionTags(state: EmulatorState): void {
  if (!state.features.session_tags) throw notFound('Session tags are not enabled for this enterprise');
}

/** The org's tags; stored into the state only when `forWrite` (a read never changes the state). */
function tagsOf(state: EmulatorState, orgId: string, forWrite = false): StateOrgTags {
  findOrg(state, orgId);
  const t = state.tags[orgId] ?? { tags: [], default_tag: null };
  if (forWrite) state.tags[orgId] = t;
  return t;
}

function setTags(t: StateOrgTags, tags: Iterable<string>): void {
  t.tags = [...new Set(tags)].sort();
  if (t.default_tag !== null && !t.tags.includes(t.default_tag)) t.default_tag = null;
}

const tagsBody = (t: StateOrgTags) => ({ tags: [...t.tags] });
const defaultBody = (t: StateOrgTags) => ({ default_tag: t.default_tag });

function route(method: Route['method'], path: string, handle: Route['handle']): Route {
  return { method, path, permission: perm, feature: requireSessionTags, handle };
}

export const tagRoutes: Route[] = [
  route('GET', BASE, ({ state, params }) => ({ body: tagsBody(tagsOf(state, params.org_id)) })),
  route('PUT', BASE, ({ state, params, body }) => {
    const b = validateBody<{ tags: string[] }>(body, tagsSchema);
    const t = tagsOf(state, params.org_id, true);
    setTags(t, b.tags);
    return { body: tagsBody(t) };
  }),
  route('POST', BASE, ({ state, params, body }) => {
    const b = validateBody<{ tags: string[] }>(body, tagsSchema);
    const t = tagsOf(state, params.org_id, true);
    setTags(t, [...t.tags, ...b.tags]);
    return { body: tagsBody(t) };
  }),
  route('DELETE', BASE, ({ state, params }) => {
    const t = tagsOf(state, params.org_id, true);
    setTags(t, []);
    return { body: tagsBody(t) };
  }),
  route('DELETE', `${BASE}/{tag}`, ({ state, params }) => {
    const t = tagsOf(state, params.org_id, true);
    if (!t.tags.includes(params.tag)) throw notFound(`Tag '${params.tag}' is not an allowed tag of organization ${params.org_id}`);
    setTags(t, t.tags.filter((x) => x !== params.tag));
    return { body: tagsBody(t) };
  }),
  route('GET', `${BASE}/default`, ({ state, params }) => ({ body: defaultBody(tagsOf(state, params.org_id)) })),
  route('PUT', `${BASE}/default`, ({ state, params, body }) => {
    const b = validateBody<{ tag: string }>(body, obj({ tag: req(str()) }));
    const t = tagsOf(state, params.org_id, true);
    if (!t.tags.includes(b.tag)) throw badRequest(`Tag '${b.tag}' is not in the allowed tags of organization ${params.org_id}`);
    t.default_tag = b.tag;
    return { body: defaultBody(t) };
  }),
  route('DELETE', `${BASE}/default`, ({ state, params }) => {
    const t = tagsOf(state, params.org_id, true);
    t.default_tag = null;
    return { body: defaultBody(t) };
  }),
];
