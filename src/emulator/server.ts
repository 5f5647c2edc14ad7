// The node:http request pipeline: read the body, match the route, count it, wait the configured
// latency, authenticate (401), inject faults (never for a request that failed auth), check the
// feature switch and the permission (404/403), run the handler, persist applied writes, apply
// page / drop-after faults, and answer JSON. Handlers are synchronous, so each one sees and
// changes the state atomically.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authenticate, authorize } from './auth.js';
import { HttpError, errorBody, invalid } from './errors.js';
import { HTTP_METHODS, type FaultEngine } from './faults.js';
import { nowSeconds } from './ids.js';
import type { Page } from './pagination.js';
import type { Reply, Router } from './router.js';
import type { StatsCounter } from './stats.js';
import type { EmulatorState } from './types.js';

export type Latency = number | { min: number; max: number } | undefined;

export interface Pipeline {
  state(): EmulatorState;
  router: Router;
  faults(): FaultEngine | undefined;
  latency(): Latency;
  stats: StatsCounter;
  /** Called after every applied write; throws if the state could not be saved. */
  persist(): void;
}

const MAX_BODY = 10 * 1024 * 1024;

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new BodyTooLarge());
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    throw invalid([{ type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: message } }]);
  }
}

function delayMs(latency: Latency): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return Math.max(0, latency);
  const { min, max } = latency;
  return Math.max(0, min + Math.random() * Math.max(0, max - min));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, err: HttpError): void {
  send(res, err.status, errorBody(err), err.headers);
}

/** Bodies of injected 5xx answers: 500/503 JSON like the API, 502 an HTML page like a proxy would. */
function sendInjected(res: ServerResponse, fault: '500' | '502' | '503'): void {
  if (fault === '502') {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
    res.writeHead(502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
    res.end(html);
    return;
  }
  send(res, Number(fault), { detail: fault === '500' ? 'Internal Server Error' : 'Service Unavailable' });
}

function drop(req: IncomingMessage): void {
  req.socket.destroy();
}

export async function handleRequest(p: Pipeline, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLarge) send(res, 413, { detail: 'Request body too large' }, { connection: 'close' });
    else drop(req);
    return;
  }
  const found = p.router.match(method, url.pathname);
  p.stats.request(method, found.kind === 'found' ? `${method} ${found.match.route.path}` : `${method} <unmatched>`);
  const wait = delayMs(p.latency());
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));

  if (found.kind === 'not-found') return send(res, 404, { detail: 'Not Found' });
  if (found.kind === 'method-not-allowed' || !(HTTP_METHODS as readonly string[]).includes(method)) {
    return send(res, 405, { detail: 'Method Not Allowed' }, { allow: found.kind === 'method-not-allowed' ? found.allowed.join(', ') : '' });
  }
  const { route, params } = found.match;
  const state = p.state();
  const now = nowSeconds();
  let caller;
  try {
    caller = authenticate(state, req.headers.authorization, now);
  } catch (err) {
    return sendError(res, err as HttpError);
  }

  const engine = p.faults();
  const faults = engine?.applies(method) ? engine : undefined;
  const pre = faults?.before();
  if (pre) {
    p.stats.fault(pre);
    if (pre === 'drop-before') return drop(req);
    if (pre === '429') return send(res, 429, { detail: 'Rate limit exceeded' }, { 'retry-after': faults!.retryAfter() });
    return sendInjected(res, pre);
  }
  const isWrite = method !== 'GET';
  const ignore = isWrite && faults?.ignoreWrite() === true;
  if (ignore) p.stats.fault('ignore-write');
  const target = ignore ? structuredClone(state) : state;

  let status: number;
  let body: unknown;
  try {
    route.feature?.(target);
    authorize(caller, route.permission, params);
    const reply: Reply = route.handle({ state: target, params, query: url.searchParams, body: parseJson(raw), caller, now });
    status = reply.status ?? 200;
    body = reply.body;
    if (isWrite && !ignore && status < 300) p.persist();
  } catch (err) {
    if (!(err instanceof HttpError)) {
      process.stderr.write(`devinctl emulator: internal error on ${method} ${url.pathname}: ${(err as Error)?.stack ?? String(err)}\n`);
      return send(res, 500, { detail: 'Internal Server Error' });
    }
    return sendError(res, err);
  }

  if (route.paged && faults && status === 200) {
    const after = url.searchParams.get('after');
    const pageFault = faults.page(after !== null && after !== '');
    if (pageFault) {
      p.stats.fault(pageFault);
      const page = body as Page<unknown>;
      body = { ...page, has_next_page: true, end_cursor: pageFault === 'page-no-cursor' ? null : after };
    }
  }
  if (faults?.dropAfter()) {
    p.stats.fault('drop-after');
    return drop(req);
  }
  send(res, status, body);
}

export function createEmulatorServer(p: Pipeline): Server {
  const server = createServer((req, res) => {
    handleRequest(p, req, res).catch((err: unknown) => {
      process.stderr.write(`devinctl emulator: ${(err as Error)?.stack ?? String(err)}\n`);
      if (!res.headersSent) send(res, 500, { detail: 'Internal Server Error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}
