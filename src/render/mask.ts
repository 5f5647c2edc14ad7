// Masking of sensitive fields for every renderer: a sensitive field's value never leaves here.
import type { Change, JsonValue, Spec } from '../engine/types.js';
import { MASK } from './symbols.js';

export function maskSpec(spec: Spec | undefined, sensitive: readonly string[] | undefined): Spec | undefined {
  if (!spec || !sensitive?.length) return spec;
  const out: Spec = {};
  for (const [k, v] of Object.entries(spec)) out[k] = sensitive.includes(k) && v !== null ? MASK : v;
  return out;
}

export function maskValue(v: JsonValue | undefined, sensitive: boolean | undefined): JsonValue | undefined {
  return sensitive && v !== undefined && v !== null ? MASK : v;
}

export function maskedChange(c: Change): { before?: Spec; after?: Spec } {
  return { before: maskSpec(c.before, c.sensitive), after: maskSpec(c.after, c.sensitive) };
}
