// The text of an exported desired-state file: a header, `version: 1`, then settings, enterprise
// and organizations. Maps keyed by names (organizations, secrets, groups, service users...) are
// sorted in code-unit order and each object's fields come in one fixed order (the order of
// DESIGN.md "The file"), so two exports of the same live state are byte-identical except for the
// header's date. Short maps
// (git permission entries, secrets, service users, IdP group registrations, limits, tags) are
// written in flow style, like examples/devin.yaml. Comments come from exportDoc's notes.
import { Document, isMap, isScalar, isSeq, visit, type Node as YamlNode, type Pair } from 'yaml';
import type { DesiredDoc, DocPath } from '../config/types.js';

export interface ExportHeader {
  version: string;
  baseUrl: string;
  date: Date;
  /** Path or URL of devin.schema.json for the yaml-language-server comment. */
  schema: string;
  /** The --orgs selection, when given. */
  orgs?: string[];
}

export interface ExportNote {
  path: DocPath;
  comment: string;
  where: 'before' | 'after';
}

const TOP = ['version', 'settings', 'enterprise', 'organizations'] as const;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Field order of each object the file holds (DESIGN.md "The file"); maps keyed by names are sorted instead. */
const FIELDS = {
  settings: ['ignore', 'max_delete_percent', 'rate_limit'],
  enterprise: ['idp_groups', 'service_users', 'org_group_limits'],
  organization: ['id', 'max_session_acu_limit', 'max_cycle_acu_limit', 'git_permissions', 'tags', 'secrets', 'idp_groups', 'service_users'],
  gitPermission: ['connection', 'repo_path', 'group_prefix', 'prefix_path', 'read_only'],
  tags: ['allowed', 'default'],
  secret: ['value', 'type', 'note', 'sensitive'],
  role: ['role', 'ttl_days'],
  limit: ['max_cycle_acus', 'organizations'],
} as const;

type Shape = readonly string[] | 'names';

/** A copy of `v` with its keys in `order` (unknown keys after, sorted) or, for 'names', sorted; `inner` shapes the values. */
function ordered(v: unknown, order: Shape, inner?: (key: string, value: unknown) => unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const rank = (k: string) => (order === 'names' ? -1 : order.indexOf(k));
  const keys = Object.keys(v).sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    if (ra !== rb) return ra === -1 ? 1 : rb === -1 ? -1 : ra - rb;
    return byCodeUnits(a, b);
  });
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = inner ? inner(k, x) : x;
  }
  return out;
}

const each = (shape: Shape) => (_k: string, x: unknown) => ordered(x, shape);

function shapeDoc(doc: DesiredDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of TOP) {
    const v = doc[k];
    if (v === undefined) continue;
    if (k === 'version') out[k] = v;
    else if (k === 'settings') out[k] = ordered(v, FIELDS.settings, (f, x) => (f === 'ignore' ? ordered(x, 'names') : x));
    else if (k === 'enterprise') {
      out[k] = ordered(v, FIELDS.enterprise, (f, x) => ordered(x, 'names', each(f === 'org_group_limits' ? FIELDS.limit : FIELDS.role)));
    } else {
      out[k] = ordered(v, 'names', (_org, o) =>
        ordered(o, FIELDS.organization, (f, x) => {
          if (f === 'git_permissions' && Array.isArray(x)) return x.map((e) => ordered(e, FIELDS.gitPermission));
          if (f === 'tags') return ordered(x, FIELDS.tags);
          if (f === 'secrets') return ordered(x, 'names', each(FIELDS.secret));
          if (f === 'idp_groups') return ordered(x, 'names');
          if (f === 'service_users') return ordered(x, 'names', each(FIELDS.role));
          return x;
        }),
      );
    }
  }
  return out;
}

export function exportYaml(doc: DesiredDoc, header: ExportHeader, notes: readonly ExportNote[] = []): string {
  const y = new Document(shapeDoc(doc));

  const lines = [
    `Exported by devinctl ${header.version} from ${header.baseUrl} on ${header.date.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    `yaml-language-server: $schema=${header.schema}`,
  ];
  if (header.orgs) lines.push(`Organizations: ${header.orgs.join(', ')} (--orgs); the other live organizations are in settings.ignore`);
  lines.push('Secret values are not exported (the API never returns them): each secret says how to manage its value.');
  y.commentBefore = lines.map((l) => ` ${l}`).join('\n');

  const at = (path: DocPath): unknown => y.getIn(path, true);
  // flow style for short, one-line maps only: a multi-line note stays readable in block style
  const short = (n: YamlNode) => {
    const json = JSON.stringify(n.toJSON());
    return json.length <= 160 && !json.includes('\\n');
  };
  const flow = (n: unknown) => {
    if ((isMap(n) || isSeq(n)) && short(n)) n.flow = true;
  };
  const flowValues = (path: DocPath) => {
    const m = at(path);
    if (isMap(m)) for (const p of m.items) flow(p.value);
  };
  const top = y.contents;
  if (isMap(top)) top.items.forEach((p, i) => i > 0 && isScalar(p.key) && (p.key.spaceBefore = true));

  for (const c of ['idp_groups', 'service_users', 'org_group_limits']) flowValues(['enterprise', c]);
  const orgs = at(['organizations']);
  if (isMap(orgs)) {
    orgs.items.forEach((p, i) => {
      if (i > 0 && isScalar(p.key)) p.key.spaceBefore = true;
      const org = String(isScalar(p.key) ? p.key.value : '');
      const perms = at(['organizations', org, 'git_permissions']);
      if (isSeq(perms)) perms.items.forEach(flow);
      flow(at(['organizations', org, 'tags']));
      flowValues(['organizations', org, 'secrets']);
      flowValues(['organizations', org, 'service_users']);
    });
  }

  for (const n of notes) {
    const parent = n.path.length > 1 ? at(n.path.slice(0, -1)) : top;
    const last = n.path[n.path.length - 1];
    let target: YamlNode | undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === String(last));
      if (pair && isScalar(pair.key)) target = n.where === 'before' ? pair.key : (pair.value as YamlNode | undefined);
    } else if (isSeq(parent) && typeof last === 'number') {
      target = parent.items[last] as YamlNode | undefined;
    }
    if (!target) continue;
    if (n.where === 'before') target.commentBefore = target.commentBefore ? `${target.commentBefore}\n${n.comment}` : n.comment;
    else target.comment = target.comment ? `${target.comment};${n.comment}` : n.comment;
  }
  // the yaml library leaves some indicator characters plain inside flow collections ("[!]" reads
  // back as a tag): quote every string that is not a plain word, path or name
  visit(y, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !SAFE_PLAIN.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return y.toString({ lineWidth: 0 });
}

const SAFE_PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_./@+-]*$/;
