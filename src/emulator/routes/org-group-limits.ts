// Org-group limits: GET/PUT /v3/enterprise/org-group-limits (ManageOrganizations), behind the
// org_group_limits feature switch (off → 404 {"detail": "Not Found"}). PUT replaces the whole
// config; every org id must exist and belong to at most one group (400 otherwise).
import { enterprise } from '../auth.js';
import { HttpError, badRequest } from '../errors.js';
import type { Route } from '../router.js';
import type { EmulatorState, StateOrgGroup } from '../types.js';
import { arr, int, obj, opt, req, str, validateBody, type Schema } from '../validate.js';

const PATH = '/v3/enterprise/org-group-limits';
const perm = enterprise('ManageOrganizations');

function requireFeature(state: EmulatorState): void {
  if (!state.features.org_group_limits) throw new HttpError(404, 'Not Found');
}

const configSchema: Schema = obj({
  groups: req({
    type: 'map',
    values: obj({
      org_ids: req(arr(str(), { unique: true })),
      max_cycle_acus: opt(int({ nullable: true, minimum: 0 }), null),
    }),
  }),
});

const view = (state: EmulatorState) => ({
  groups: Object.fromEntries(
    Object.entries(state.org_group_limits.groups).map(([name, g]) => [name, { org_ids: [...g.org_ids], max_cycle_acus: g.max_cycle_acus }]),
  ),
});

export const orgGroupLimitRoutes: Route[] = [
  { method: 'GET', path: PATH, permission: perm, feature: requireFeature, handle: ({ state }) => ({ body: view(state) }) },
  {
    method: 'PUT',
    path: PATH,
    permission: perm,
    feature: requireFeature,
    handle: ({ state, body }) => {
      const b = validateBody<{ groups: Record<string, StateOrgGroup> }>(body, configSchema);
      const owner = new Map<string, string>();
      for (const [name, g] of Object.entries(b.groups)) {
        for (const id of g.org_ids) {
          if (!state.organizations.some((o) => o.org_id === id)) throw badRequest(`Organization ${id} (group '${name}') not found`);
          const other = owner.get(id);
          if (other !== undefined) throw badRequest(`Organization ${id} is in more than one group: '${other}' and '${name}'`);
          owner.set(id, name);
        }
      }
      state.org_group_limits = { groups: b.groups };
      return { body: view(state) };
    },
  },
];
