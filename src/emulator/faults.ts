// Fault injection: the FaultConfig type, its command-line form (parseFaults) and a seeded
// decision engine. Each request draws from one PRNG in a fixed order, so a given seed and request
// sequence always injects the same faults. Faults never apply to requests that fail auth.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const HTTP_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface FaultConfig {
  rate429?: number;
  rate500?: number;
  rate502?: number;
  rate503?: number;
  /** Destroy the socket before handling: the change is not applied. */
  dropBefore?: number;
  /** Apply the change, then destroy the socket without a response. */
  dropAfter?: number;
  /** POST/PUT/PATCH/DELETE: answer as if done but change nothing (D21). */
  ignoreWrite?: number;
  /** A list answers has_next_page true with end_cursor null. */
  pageNoCursor?: number;
  /** A list answers with the request's own `after` as end_cursor. */
  pageRepeatCursor?: number;
  /** Retry-After on 429, in seconds (default 0.05, sent as a decimal string). */
  retryAfterSeconds?: number;
  /** PRNG seed for reproducibility. */
  seed?: number;
  /** Methods faults apply to (default all). */
  methods?: HttpMethod[];
}

export type FaultName =
  | '429' | '500' | '502' | '503' | 'drop-before' | 'drop-after' | 'ignore-write' | 'page-no-cursor' | 'page-repeat-cursor';

const RATE_KEYS: Record<string, keyof FaultConfig> = {
  '429': 'rate429',
  '500': 'rate500',
  '502': 'rate502',
  '503': 'rate503',
  'drop-before': 'dropBefore',
  'drop-after': 'dropAfter',
  'ignore-write': 'ignoreWrite',
  'page-no-cursor': 'pageNoCursor',
  'page-repeat-cursor': 'pageRepeatCursor',
};
const OTHER_KEYS = ['retry-after', 'seed', 'methods'];

/**
 * Parses "429=0.1,500=0.05,drop-after=0.05,retry-after=0.05,seed=42,methods=GET|PUT".
 * Rates are probabilities in [0, 1]. Throws an Error naming the bad part.
 */
export function parseFaults(spec: string): FaultConfig {
  const out: FaultConfig = {};
  const seen = new Set<string>();
  for (const rawPart of spec.split(',')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`invalid fault "${part}": expected NAME=VALUE (e.g. 429=0.1)`);
    const name = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (seen.has(name)) throw new Error(`fault "${name}" is given twice`);
    seen.add(name);
    const rateKey = RATE_KEYS[name];
    if (rateKey) {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n) || n < 0 || n > 1) {
        throw new Error(`invalid rate for fault "${name}": "${value}" (expected a number from 0 to 1)`);
      }
      (out as Record<string, number>)[rateKey] = n;
    } else if (name === 'retry-after') {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n) || n < 0) throw new Error(`invalid retry-after "${value}" (expected seconds >= 0, e.g. 0.05)`);
      out.retryAfterSeconds = n;
    } else if (name === 'seed') {
      if (!/^-?\d+$/.test(value)) throw new Error(`invalid seed "${value}" (expected an integer)`);
      out.seed = Number(value);
    } else if (name === 'methods') {
      const methods = value.split(/[|+]/).map((m) => m.trim().toUpperCase()).filter(Boolean);
      const bad = methods.filter((m) => !(HTTP_METHODS as readonly string[]).includes(m));
      if (methods.length === 0 || bad.length) throw new Error(`invalid methods "${value}" (expected e.g. GET|PUT from ${HTTP_METHODS.join(', ')})`);
      out.methods = methods as HttpMethod[];
    } else {
      throw new Error(`unknown fault "${name}" (expected one of ${[...Object.keys(RATE_KEYS), ...OTHER_KEYS].join(', ')})`);
    }
  }
  return out;
}

/** mulberry32: small, fast, good enough for reproducible fault draws. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEFAULT_RETRY_AFTER = 0.05;

export type PreFault = '429' | '500' | '502' | '503' | 'drop-before';

/** Per-request fault decisions, drawn lazily in a fixed order. */
export class FaultEngine {
  private random: () => number;

  constructor(readonly config: FaultConfig) {
    this.random = prng(config.seed ?? 0x5eed);
  }

  applies(method: string): boolean {
    const methods = this.config.methods ?? HTTP_METHODS;
    return (methods as readonly string[]).includes(method);
  }

  private hit(rate: number | undefined): boolean {
    if (!rate || rate <= 0) return false;
    return this.random() < rate;
  }

  /** A fault that replaces handling altogether, if any. */
  before(): PreFault | undefined {
    const c = this.config;
    if (this.hit(c.rate429)) return '429';
    if (this.hit(c.rate500)) return '500';
    if (this.hit(c.rate502)) return '502';
    if (this.hit(c.rate503)) return '503';
    if (this.hit(c.dropBefore)) return 'drop-before';
    return undefined;
  }

  ignoreWrite(): boolean {
    return this.hit(this.config.ignoreWrite);
  }

  dropAfter(): boolean {
    return this.hit(this.config.dropAfter);
  }

  /** For a list response: which page fault, if any. */
  page(hasAfter: boolean): 'page-no-cursor' | 'page-repeat-cursor' | undefined {
    if (this.hit(this.config.pageNoCursor)) return 'page-no-cursor';
    if (hasAfter && this.hit(this.config.pageRepeatCursor)) return 'page-repeat-cursor';
    return undefined;
  }

  retryAfter(): string {
    return String(this.config.retryAfterSeconds ?? DEFAULT_RETRY_AFTER);
  }
}
