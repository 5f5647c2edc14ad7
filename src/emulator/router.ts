// Route table types and matching. A route is a method, a path template exactly as in the spec
// ("/v3/enterprise/organizations/{org_id}/tags"), a permission rule and a synchronous handler.
// Literal segments win over parameters, so "/tags/default" is never taken for "/tags/{tag}".
import type { Caller, PermissionRule } from './auth.js';
import type { HttpMethod } from './faults.js';
import type { EmulatorState } from './types.js';

export interface Ctx {
  /** The state to read and change (a throw-away copy under the ignore-write fault). */
  state: EmulatorState;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  caller: Caller;
  now: number;
}

export interface Reply {
  status?: number;
  body: unknown;
}

export interface Route {
  method: HttpMethod;
  path: string;
  permission: PermissionRule;
  /** The response is a v3 page ({items, end_cursor, has_next_page, total}); page faults apply. */
  paged?: boolean;
  /** A feature switch that must be on, checked before the permission. */
  feature?: (state: EmulatorState) => void;
  handle(ctx: Ctx): Reply;
}

interface Compiled {
  route: Route;
  segments: string[];
  literalCount: number;
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export type MatchResult = { kind: 'found'; match: Match } | { kind: 'method-not-allowed'; allowed: string[] } | { kind: 'not-found' };

export class Router {
  private compiled: Compiled[];

  constructor(readonly routes: Route[]) {
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) throw new Error(`duplicate emulator route ${key}`);
      seen.add(key);
    }
    this.compiled = routes
      .map((route) => {
        const segments = route.path.split('/').slice(1);
        return { route, segments, literalCount: segments.filter((s) => !s.startsWith('{')).length };
      })
      .sort((a, b) => b.literalCount - a.literalCount);
  }

  match(method: string, pathname: string): MatchResult {
    const parts = pathname.split('/').slice(1);
    const allowed: string[] = [];
    let best: { c: Compiled; params: Record<string, string> } | undefined;
    for (const c of this.compiled) {
      if (c.segments.length !== parts.length) continue;
      const params = matchSegments(c.segments, parts);
      if (!params) continue;
      if (c.route.method !== method) {
        allowed.push(c.route.method);
        continue;
      }
      if (!best || c.literalCount > best.c.literalCount) best = { c, params };
    }
    if (best) return { kind: 'found', match: { route: best.c.route, params: best.params } };
    if (allowed.length) return { kind: 'method-not-allowed', allowed: [...new Set(allowed)] };
    return { kind: 'not-found' };
  }
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i];
    const raw = parts[i];
    if (t.startsWith('{')) {
      if (raw === '') return undefined;
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
      params[t.slice(1, -1)] = value;
    } else if (t !== raw) {
      return undefined;
    }
  }
  return params;
}
