// Kind `org-group-limit` (address org-group-limit:<group>): a group of organizations sharing a
// cycle ACU cap. The API replaces the whole config in one PUT, so every change of this kind runs
// as that one call, after the orgs it names exist and before any org it names is deleted.
import { ApiError } from '../api/types.js';
import type { ApiClient } from '../api/types.js';
import type { Diagnostic } from '../config/types.js';
import type { ExecContext, ResourceKind, ResourceObject, Spec } from '../engine/types.js';
import { PlanError } from '../engine/errors.js';
import { closeMatches } from '../config/suggest.js';
import { diag } from './common.js';

interface LimitSpec extends Spec {
  max_cycle_acus: number | null;
  organizations: string[];
}

interface OrgGroupsConfig {
  groups: Record<string, { org_ids: string[]; max_cycle_acus: number | null }>;
}

const PATH = '/v3/enterprise/org-group-limits';
export const NOT_ENABLED = 'org-group limits are not enabled for this enterprise';

async function readConfig(api: ApiClient): Promise<OrgGroupsConfig> {
  try {
    return await api.get<OrgGroupsConfig>(PATH);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw new PlanError([NOT_ENABLED]);
    throw e;
  }
}

export const orgGroupLimit: ResourceKind<LimitSpec> = {
  name: 'org-group-limit',
  collection: 'org-group limits',

  desired(ctx) {
    const groups = ctx.doc.enterprise?.org_group_limits;
    if (!groups) return { objects: [], owned: [], diagnostics: [] };
    const diagnostics: Diagnostic[] = [];
    const inFile = Object.keys(ctx.doc.organizations ?? {});
    const liveKeys = [...ctx.lookups.orgIdByKey.keys()];
    const objects = Object.entries(groups).map(([name, g]): ResourceObject<LimitSpec> => {
      // D8: organizations named in the file first, then live ones
      g.organizations.forEach((org, i) => {
        if (inFile.includes(org) || ctx.lookups.orgIdByKey.has(org)) return;
        const near = closeMatches(org, [...new Set([...inFile, ...liveKeys])]);
        diagnostics.push(diag(ctx, ['enterprise', 'org_group_limits', name, 'organizations', i],
          `unknown organization '${org}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}`));
      });
      return {
        kind: 'org-group-limit',
        key: name,
        parent: '',
        spec: { max_cycle_acus: g.max_cycle_acus, organizations: [...g.organizations].sort() },
        pos: ctx.locate(['enterprise', 'org_group_limits', name]),
      };
    });
    return { objects, owned: [''], diagnostics };
  },

  async read(api, ctx) {
    // D8: no read when the key is absent, unless an org being deleted might be named (D18)
    if (!ctx.scopes.includes('') && ctx.cascade.size === 0) return [];
    let config: OrgGroupsConfig;
    try {
      config = await readConfig(api);
    } catch (e) {
      if (!ctx.scopes.includes('') && e instanceof PlanError) return [];
      throw e;
    }
    return Object.entries(config.groups ?? {}).map(([name, g]) => ({
      kind: 'org-group-limit',
      key: name,
      parent: '',
      spec: {
        max_cycle_acus: g.max_cycle_acus ?? null,
        organizations: g.org_ids.map((id) => ctx.lookups.orgKeyById.get(id) ?? id).sort(),
      },
    }));
  },

  references: (o) => (o.spec.organizations as string[]).map((org) => `organization:${org}`),

  check(desired, live, ctx) {
    const out: Diagnostic[] = [];
    if (ctx.doc.enterprise?.org_group_limits) {
      // a managed group cannot name an org this plan deletes
      for (const d of desired) {
        if (d.kind !== 'org-group-limit') continue;
        (d.spec.organizations as string[]).forEach((org) => {
          if (!ctx.cascade?.has(org)) return;
          const i = ctx.doc.enterprise!.org_group_limits![d.key]?.organizations.indexOf(org) ?? -1;
          out.push(diag(ctx, ['enterprise', 'org_group_limits', d.key, 'organizations', ...(i >= 0 ? [i] : [])], `org-group limit '${d.key}' names organization ${org}, which this plan deletes`));
        });
      }
      return out;
    }
    // D18: a hands-off group that names an org being deleted is a plan error
    for (const l of live) {
      if (l.kind !== 'org-group-limit') continue;
      for (const org of l.spec.organizations as string[]) {
        if (ctx.cascade?.has(org)) {
          out.push(diag(ctx, ['organizations'], `organization ${org} would be deleted, but the org-group limit '${l.key}' (not managed here) names it; manage enterprise.org_group_limits or keep the organization`));
        }
      }
    }
    void desired;
    return out;
  },

  batch: {
    key: () => 'org-group-limits',
    limit: Number.MAX_SAFE_INTEGER,
    together: true,
    async apply(_changes, ec) {
      await putAll(ec);
    },
  },

  async apply(_change, ec) {
    await putAll(ec);
  },
};

async function putAll(ec: ExecContext): Promise<void> {
  const groups: OrgGroupsConfig['groups'] = {};
  for (const o of ec.desired.values()) {
    if (o.kind !== 'org-group-limit') continue;
    groups[o.key] = {
      org_ids: (o.spec.organizations as string[]).map((org) => ec.orgId(org)),
      max_cycle_acus: (o.spec.max_cycle_acus as number | null) ?? null,
    };
  }
  try {
    await ec.api.put(PATH, { groups });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw new Error(NOT_ENABLED);
    throw e;
  }
}
