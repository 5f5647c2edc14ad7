// Offline semantic rules: what the schema cannot say. Each rule is a small function over the
// merged document; together they return the canonical document (trailing `/` stripped from
// prefixes, `value_var` set on secrets) and their diagnostics. Rules are defensive: they run
// on documents that failed the schema too, and skip whatever is not shaped as they expect,
// so every problem is reported in one run.
import { refPosition } from './format.js';
import { displayPath, type Locate } from './paths.js';
import type { DesiredDoc, Diagnostic, DocPath } from './types.js';
import { isRecord } from './util.js';

export const SECRET_REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
export const LITERAL_SECRET_MESSAGE = 'secret values must come from the environment: write value: "${VARIABLE}"';

const PATH_FIELDS = ['repo_path', 'group_prefix', 'prefix_path'] as const;

interface Ctx {
  doc: Record<string, unknown>;
  locate: Locate;
  out: Diagnostic[];
}

type Rule = (ctx: Ctx) => void;

const report = (ctx: Ctx, path: DocPath, message: string, severity: Diagnostic['severity'] = 'error') =>
  ctx.out.push({ ...ctx.locate(path), severity, message });

const entries = (v: unknown): [string, unknown][] => (isRecord(v) ? Object.entries(v) : []);

function orgs(ctx: Ctx): [string, Record<string, unknown>][] {
  return entries(ctx.doc.organizations).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]));
}

/** Map keys the user chooses (names) must not be blank. */
const names: Rule = (ctx) => {
  const check = (path: DocPath, map: unknown) => {
    for (const [k] of entries(map)) if (k.trim() === '') report(ctx, [...path, k], 'a name must not be empty');
  };
  const ent = isRecord(ctx.doc.enterprise) ? ctx.doc.enterprise : {};
  for (const c of ['idp_groups', 'service_users', 'org_group_limits']) check(['enterprise', c], ent[c]);
  check(['organizations'], ctx.doc.organizations);
  for (const [name, org] of orgs(ctx)) {
    for (const c of ['secrets', 'idp_groups', 'service_users']) check(['organizations', name, c], org[c]);
  }
};

/** Two organizations cannot pin the same id. */
const orgIds: Rule = (ctx) => {
  const seen = new Map<string, string>();
  for (const [name, org] of orgs(ctx)) {
    if (typeof org.id !== 'string') continue;
    const first = seen.get(org.id);
    if (first === undefined) seen.set(org.id, name);
    else {
      const here = ctx.locate(['organizations', name, 'id']);
      const there = ctx.locate(['organizations', first, 'id']);
      report(ctx, ['organizations', name, 'id'], `organizations '${first}' (${refPosition(there, here)}) and '${name}' pin the same id: an id belongs to one organization`);
    }
  }
};

/** Exactly one path field; canonical prefixes (D10); no duplicate (connection, field, path). */
const gitPermissions: Rule = (ctx) => {
  for (const [name, org] of orgs(ctx)) {
    const list = org.git_permissions;
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    list.forEach((entry, i) => {
      if (!isRecord(entry)) return;
      const at: DocPath = ['organizations', name, 'git_permissions', i];
      const set = PATH_FIELDS.filter((f) => entry[f] !== undefined);
      if (set.length === 0) {
        report(ctx, at, 'git permission needs one of repo_path, group_prefix or prefix_path');
        return;
      }
      if (set.length > 1) {
        report(ctx, at, `git permission sets ${set.join(' and ')}: set exactly one of repo_path, group_prefix or prefix_path`);
        return;
      }
      const field = set[0];
      let path = entry[field];
      if (typeof path !== 'string') return;
      if (field !== 'repo_path' && path.endsWith('/')) {
        const stripped = path.replace(/\/+$/, '');
        if (stripped === '') {
          report(ctx, [...at, field], `${field} must not be empty`);
          return;
        }
        report(ctx, [...at, field], `trailing '/' removed from ${field} '${path}': prefixes are compared without it`, 'warning');
        entry[field] = stripped;
        path = stripped;
      }
      if (typeof entry.connection !== 'string') return;
      // field is one of PATH_FIELDS (no ':'); the length prefix keeps connection and path apart
      const key = `${field}:${entry.connection.length}:${entry.connection}${path}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, i);
        return;
      }
      const there = ctx.locate(['organizations', name, 'git_permissions', first]);
      report(ctx, at, `duplicate git permission: ${entry.connection} ${field} '${path}' is also at ${refPosition(there, ctx.locate(at))}`);
    });
  }
};

/** Allowed tags are unique; the default is one of them. */
const tags: Rule = (ctx) => {
  for (const [name, org] of orgs(ctx)) {
    const t = org.tags;
    if (!isRecord(t) || !Array.isArray(t.allowed)) continue;
    const seen = new Map<string, number>();
    t.allowed.forEach((tag, i) => {
      if (typeof tag !== 'string') return;
      const first = seen.get(tag);
      if (first === undefined) seen.set(tag, i);
      else {
        const here = ctx.locate(['organizations', name, 'tags', 'allowed', i]);
        const there = ctx.locate(['organizations', name, 'tags', 'allowed', first]);
        report(ctx, ['organizations', name, 'tags', 'allowed', i], `duplicate tag '${tag}' in allowed (first at ${refPosition(there, here)})`);
      }
    });
    if (typeof t.default === 'string' && !t.allowed.includes(t.default)) {
      const allowed = t.allowed.filter((x) => typeof x === 'string').join(', ');
      report(ctx, ['organizations', name, 'tags', 'default'], `default tag '${t.default}' is not in allowed: [${allowed}]`);
    }
  }
};

/** A secret value is exactly ${VAR}; the literal is never repeated in the message. */
const secrets: Rule = (ctx) => {
  for (const [name, org] of orgs(ctx)) {
    for (const [key, secret] of entries(org.secrets)) {
      if (!isRecord(secret) || typeof secret.value !== 'string') continue;
      const m = SECRET_REF.exec(secret.value);
      if (m) secret.value_var = m[1];
      else report(ctx, ['organizations', name, 'secrets', key, 'value'], LITERAL_SECRET_MESSAGE);
    }
  }
};

/** An organization belongs to one org group, once. */
const orgGroupLimits: Rule = (ctx) => {
  const ent = isRecord(ctx.doc.enterprise) ? ctx.doc.enterprise : {};
  const owner = new Map<string, { group: string; i: number }>();
  for (const [group, limit] of entries(ent.org_group_limits)) {
    if (!isRecord(limit) || !Array.isArray(limit.organizations)) continue;
    limit.organizations.forEach((org, i) => {
      if (typeof org !== 'string') return;
      const path = ['enterprise', 'org_group_limits', group, 'organizations', i];
      const first = owner.get(org);
      if (first === undefined) {
        owner.set(org, { group, i });
        return;
      }
      const here = ctx.locate(path);
      const there = ctx.locate(['enterprise', 'org_group_limits', first.group, 'organizations', first.i]);
      if (first.group === group) report(ctx, path, `organization '${org}' is listed twice in org group '${group}' (first at ${refPosition(there, here)})`);
      else report(ctx, path, `organization '${org}' is in org groups '${first.group}' (${refPosition(there, here)}) and '${group}': an organization belongs to one group only`);
    });
  }
};

/**
 * D4: an org-scoped service user ({ role, ttl_days } in an org) is owned by one org and is not
 * also an enterprise service user; a string entry names an enterprise service user (desired or
 * live: absence from the file is checked by the planner), so it cannot name an org-scoped one.
 */
const serviceUsers: Rule = (ctx) => {
  const ent = isRecord(ctx.doc.enterprise) ? ctx.doc.enterprise : {};
  const enterprise = new Set(entries(ent.service_users).map(([n]) => n));
  const scoped = new Map<string, string>(); // name -> owning org
  for (const [org, o] of orgs(ctx)) {
    for (const [su, v] of entries(o.service_users)) {
      if (!isRecord(v)) continue;
      const path = ['organizations', org, 'service_users', su];
      const here = ctx.locate(path);
      if (enterprise.has(su)) {
        const there = ctx.locate(['enterprise', 'service_users', su]);
        report(ctx, path, `service user '${su}' is both an enterprise service user (${refPosition(there, here)}) and org-scoped in ${displayPath(['organizations', org])}: define it in one place`);
        continue;
      }
      const first = scoped.get(su);
      if (first === undefined) scoped.set(su, org);
      else {
        const there = ctx.locate(['organizations', first, 'service_users', su]);
        report(ctx, path, `service user '${su}' is org-scoped in both '${first}' (${refPosition(there, here)}) and '${org}': an org-scoped service user belongs to one organization`);
      }
    }
  }
  for (const [org, o] of orgs(ctx)) {
    for (const [su, v] of entries(o.service_users)) {
      if (typeof v !== 'string') continue;
      const owner = scoped.get(su);
      if (owner === undefined || owner === org) continue;
      const path = ['organizations', org, 'service_users', su];
      const there = ctx.locate(['organizations', owner, 'service_users', su]);
      report(ctx, path, `service user '${su}' is org-scoped in '${owner}' (${refPosition(there, ctx.locate(path))}); only enterprise service users can be given roles by name in other organizations`);
    }
  }
};

/** Registered in the order they run. */
export const RULES: Readonly<Record<string, Rule>> = { names, orgIds, gitPermissions, tags, secrets, orgGroupLimits, serviceUsers };

/**
 * Runs every rule. The input is not changed; the returned document is the canonical copy.
 * `locate` gives positions in the (uncanonicalised) source, e.g. LoadedConfig.locate.
 */
export function applyRules(doc: DesiredDoc, locate: Locate): { doc: DesiredDoc; diagnostics: Diagnostic[] } {
  return applyRulesInPlace(structuredClone(doc), locate);
}

/**
 * applyRules without the copy: `doc` itself becomes the canonical document. For a document
 * nothing else holds (loadConfig's freshly merged one), where a ~1 MB copy would only be garbage.
 */
export function applyRulesInPlace(doc: DesiredDoc, locate: Locate): { doc: DesiredDoc; diagnostics: Diagnostic[] } {
  const ctx: Ctx = { doc: doc as unknown as Record<string, unknown>, locate, out: [] };
  for (const rule of Object.values(RULES)) rule(ctx);
  return { doc, diagnostics: ctx.out };
}
