// Secret value fingerprints (D11): a keyed HMAC when DEVINCTL_FINGERPRINT_KEY is set, else a
// salted scrypt (slow on purpose: never a plain hash). The marker at the end of a secret's note
// records the fingerprint devinctl wrote: [devinctl:v1:<scheme>:<kid>:<b64url>].
import { createHash, createHmac, scryptSync } from 'node:crypto';

export interface Marker {
  scheme: string;
  kid: string;
  fp: string;
}

export interface Fingerprinter {
  scheme: 'hmac' | 'scrypt';
  kid: string;
  /** Fingerprint of a value for one secret (salted with the org id and key). */
  fp(orgId: string, key: string, value: string): string;
  marker(orgId: string, key: string, value: string): string;
  /** Can this run check a marker written with `m`? */
  canCheck(m: Marker): boolean;
}

const MARKER_RE = /\s*\[devinctl:v1:([a-z0-9]+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)\]\s*$/;

export function parseMarker(note: string | null | undefined): { note: string; marker?: Marker } {
  const text = note ?? '';
  const m = MARKER_RE.exec(text);
  if (!m) return { note: text };
  return { note: text.slice(0, m.index), marker: { scheme: m[1], kid: m[2], fp: m[3] } };
}

export function withMarker(note: string, marker: string): string {
  return note ? `${note} ${marker}` : marker;
}

export function makeFingerprinter(env: Record<string, string | undefined>): Fingerprinter {
  const key = env.DEVINCTL_FINGERPRINT_KEY;
  const cache = new Map<string, string>();
  const scheme: Fingerprinter['scheme'] = key ? 'hmac' : 'scrypt';
  const kid = key ? createHash('sha256').update(key).digest('hex').slice(0, 8) : 's1';
  const fp = (orgId: string, k: string, value: string): string => {
    const id = `${orgId}\u0000${k}\u0000${value}`;
    let out = cache.get(id);
    if (out) return out;
    out = key
      ? createHmac('sha256', key).update(id).digest('base64url').slice(0, 32)
      : scryptSync(value, `devinctl:${orgId}:${k}`, 24, { N: 1 << 14, r: 8, p: 1 }).toString('base64url');
    cache.set(id, out);
    return out;
  };
  return {
    scheme,
    kid,
    fp,
    marker: (orgId, k, value) => `[devinctl:v1:${scheme}:${kid}:${fp(orgId, k, value)}]`,
    canCheck: (m) => m.scheme === scheme && m.kid === kid,
  };
}
