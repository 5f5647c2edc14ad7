// Masking of sensitive fields for every renderer: a sensitive field's value never leaves here.
// A field is sensitive when the kind says so, on the change (`sensitive`) or on the field diff.
import type { Change, FieldDiff, JsonValue, Spec } from '../engine/types.js';
import { MASK } from './symbols.js';

export function maskSpec(spec: Spec | undefined, sensitive: readonly string[] | undefined): Spec | undefined {
  if (!spec || !sensitive?.length) return spec;
  const out: Spec = {};
  for (const [k, v] of Object.entries(spec)) out[k] = sensitive.includes(k) && v !== null && v !== undefined ? MASK : v;
  return out;
}

export function maskValue(v: JsonValue | undefined, sensitive: boolean | undefined): JsonValue | undefined {
  return sensitive && v !== undefined && v !== null ? MASK : v;
}

export function maskedChange(c: Change): { before?: Spec; after?: Spec } {
  const sensitive = [...(c.sensitive ?? []), ...c.fields.filter((f) => f.sensitive).map((f) => f.field)];
  return { before: maskSpec(c.before, sensitive), after: maskSpec(c.after, sensitive) };
}

/** A field is masked when the kind marks it sensitive, on the field diff or on the change. */
export function isSensitive(c: Pick<Change, 'sensitive'>, f: Pick<FieldDiff, 'field' | 'sensitive'>): boolean {
  return f.sensitive === true || (c.sensitive?.includes(f.field) ?? false);
}

/**
 * The fields a renderer shows for a change, values already masked: the field diffs, or for a
 * delete every field of `before` (sorted). `sensitive` is set on every masked field.
 */
export function shownFields(c: Change): FieldDiff[] {
  const raw: FieldDiff[] =
    c.action === 'delete' ? Object.keys(c.before ?? {}).sort().map((field) => ({ field, before: c.before?.[field], after: undefined })) : c.fields;
  return raw.map((f) => {
    const s = isSensitive(c, f);
    return { field: f.field, before: maskValue(f.before, s), after: maskValue(f.after, s), ...(s ? { sensitive: true } : {}) };
  });
}

// C0/C1 controls (minus tab and newline), and the invisible bidi and line-separator characters.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const hex = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Names and messages from live data as visible `\uXXXX` escapes where they hold control or bidi
 * characters, so none reaches a terminal or a comment raw; with `inline`, tabs and newlines too.
 */
export function printable(s: string, inline = true): string {
  const out = s.replace(CONTROLS, hex);
  return inline ? out.replace(/\n/g, '\\n').replace(/\t/g, '\\t') : out;
}
