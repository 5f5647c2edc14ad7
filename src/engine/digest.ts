// Digests of a saved plan (D24): SHA-256 over canonical JSON of the normalised live objects the
// plan touches (absence recorded for creates), plus the desired-state digest. Per-address
// digests let `apply FILE` name exactly the objects that moved.
import { canonicalJson, sha256Hex } from '../config/digest.js';
import type { Plan, ResourceObject } from './types.js';

export function liveDigests(plan: Plan, live: ResourceObject[]): Record<string, string> {
  const byAddress = new Map(live.map((l) => [`${l.kind}:${l.key}`, l]));
  const out: Record<string, string> = {};
  for (const c of plan.changes) {
    const l = byAddress.get(c.address);
    out[c.address] = sha256Hex(canonicalJson(l ? { spec: l.spec, meta: l.meta ?? null } : { absent: true }));
  }
  return out;
}

export function planDigest(desiredDigest: string, perAddress: Record<string, string>): string {
  return sha256Hex(canonicalJson({ desired: desiredDigest, live: perAddress }));
}

/** Addresses whose live digest differs between the saved plan and now. */
export function movedObjects(saved: Record<string, string>, now: Record<string, string>): string[] {
  return Object.keys(saved).filter((a) => saved[a] !== now[a]).sort();
}
