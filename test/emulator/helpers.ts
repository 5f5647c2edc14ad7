// Test helpers: start an emulator on a loopback ephemeral port and call it over real HTTP with
// undici (never through src/api, so client and emulator cannot be wrong together).
import { request } from 'undici';
import { afterEach } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.js';

export const IDS = {
  roles: {
    enterpriseAdmin: 'role-de000000000000000000000000000001',
    enterpriseMember: 'role-de000000000000000000000000000002',
    orgAdmin: 'role-de000000000000000000000000000003',
    orgMember: 'role-de000000000000000000000000000004',
  },
  orgs: {
    frontend: 'org-de000000000000000000000000000001',
    backend: 'org-de000000000000000000000000000002',
    legacy: 'org-de000000000000000000000000000003',
    sandbox: 'org-de000000000000000000000000000004',
  },
  serviceUsers: {
    admin: 'service-user-de000000000000000000000000000001',
    ciReporter: 'service-user-de000000000000000000000000000002',
    oldBot: 'service-user-de000000000000000000000000000003',
  },
  connections: {
    github: 'git-connection-de000000000000000000000000000001',
    gitlab: 'git-connection-de000000000000000000000000000002',
  },
};

export interface CallOptions {
  body?: unknown;
  token?: string | null;
  query?: Record<string, string | number | boolean>;
  rawBody?: string;
}

export interface CallResult<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

const running: RunningEmulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** Starts an emulator (demo seed by default) that is closed after the current test. */
export async function emulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({ port: 0, ...opts });
  running.push(emu);
  return emu;
}

export async function call<T = any>(emu: RunningEmulator, method: string, path: string, opts: CallOptions = {}): Promise<CallResult<T>> {
  const url = new URL(path, emu.url);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? emu.adminToken : opts.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await request(url, { method: method as any, headers, body });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    /* not JSON (e.g. an injected 502 page) */
  }
  return { status: res.statusCode, headers: res.headers, body: parsed as T, text };
}

/** Adds a token for an existing service user (out of band) and returns it. */
export function tokenFor(emu: RunningEmulator, serviceUserId: string, token = `test-token-${serviceUserId}`): string {
  emu.state.tokens.push({ token, service_user_id: serviceUserId });
  return token;
}

/** Pages through a list with the given page size and returns every item. */
export async function listAll<T = any>(emu: RunningEmulator, path: string, first = 200, token?: string): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const query: Record<string, string | number> = { first };
    if (after) query.after = after;
    const res: CallResult = await call(emu, 'GET', path, { query, token });
    if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${res.text}`);
    out.push(...res.body.items);
    if (!res.body.has_next_page) return out;
    after = res.body.end_cursor;
  }
  throw new Error('pagination did not end');
}
