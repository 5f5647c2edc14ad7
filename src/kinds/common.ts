// Helpers shared by the kinds: positions and diagnostics, role and connection resolution,
// duplicate detection on live reads (D17), and per-org fan-out.
import type { Diagnostic, DocPath, OrganizationDoc } from '../config/types.js';
import { closeMatches } from '../config/suggest.js';
import type { DesiredContext, GitConnection, Lookups, Role } from '../engine/types.js';

export function diag(ctx: DesiredContext, path: DocPath, message: string, severity: 'error' | 'warning' = 'error'): Diagnostic {
  return { ...ctx.locate(path), severity, message };
}

/** Organizations of the document that set `field` (the collection is then authoritative there). */
export function orgsWith<K extends keyof OrganizationDoc>(
  ctx: DesiredContext,
  field: K,
): [string, NonNullable<OrganizationDoc[K]> | null][] {
  const out: [string, NonNullable<OrganizationDoc[K]> | null][] = [];
  for (const [name, org] of Object.entries(ctx.doc.organizations ?? {})) {
    if (org && Object.prototype.hasOwnProperty.call(org, field)) out.push([name, (org[field] ?? null) as never]);
  }
  return out;
}

/** Resolve a role by name within its type (D2); a diagnostic lists close matches or the ambiguous ids. */
export function resolveRole(
  ctx: DesiredContext,
  type: Role['role_type'],
  name: string,
  path: DocPath,
  out: Diagnostic[],
): Role | undefined {
  const ofType = ctx.lookups.roles.filter((r) => r.role_type === type);
  const hits = ofType.filter((r) => r.role_name === name);
  if (hits.length === 1) return hits[0];
  if (hits.length > 1) {
    out.push(diag(ctx, path, `role '${name}' is ambiguous among ${type} roles: ${hits.map((r) => r.role_id).join(', ')}`));
    return undefined;
  }
  const near = closeMatches(name, ofType.map((r) => r.role_name));
  out.push(diag(ctx, path, `unknown ${type} role '${name}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}`));
  return undefined;
}

/** Label of a connection in addresses: its name when set and unique, else its id (D1). */
export function connectionLabel(lookups: Lookups, conn: GitConnection): string {
  if (conn.name && lookups.connections.filter((c) => c.name === conn.name).length === 1) return conn.name;
  return conn.git_connection_id;
}

/** A connection by id, name or host. */
export function resolveConnection(
  ctx: DesiredContext,
  ref: string,
  path: DocPath,
  out: Diagnostic[],
): GitConnection | undefined {
  const all = ctx.lookups.connections;
  for (const pick of [(c: GitConnection) => c.git_connection_id === ref, (c: GitConnection) => c.name === ref, (c: GitConnection) => c.host === ref]) {
    const hits = all.filter(pick);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) {
      out.push(diag(ctx, path, `git connection '${ref}' is ambiguous: ${hits.map((c) => c.git_connection_id).join(', ')}; use the id`));
      return undefined;
    }
  }
  const candidates = all.flatMap((c) => [c.name ?? '', c.host, c.git_connection_id]).filter(Boolean);
  const near = closeMatches(ref, [...new Set(candidates)]);
  out.push(diag(ctx, path, `unknown git connection '${ref}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}`));
  return undefined;
}

/** Live org ids of the scopes to read (organizations to be created have none yet). */
export function liveScopes(lookups: Lookups, scopes: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const key of scopes) {
    const id = lookups.orgIdByKey.get(key);
    if (id) out.push([key, id]);
  }
  return out;
}

export const enc = encodeURIComponent;
