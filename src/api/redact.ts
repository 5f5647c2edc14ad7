// Redaction of JSON bodies for --debug logs. Fields named `value` or `token` (secret values,
// service-user tokens) are always replaced, plus any the caller names; matching is by field
// name, case-insensitive, at any depth, and the whole field value is replaced (objects too).
// Also the second line of defence of D13: the strings a request sent in those fields (and the
// bearer token) are cut out of any text the server answers with, wherever it echoes them.

export const REDACTED = '(redacted)';

/** Field names redacted in every logged body, whatever the caller asks for. */
export const ALWAYS_REDACTED: readonly string[] = ['value', 'token'];

/** Longest body shown in a log line; the rest is summarised by its length. */
const MAX_LOGGED_CHARS = 2000;

/** A deep copy of `body` with the named fields (and `value`, `token`) replaced by "(redacted)". */
export function redact(body: unknown, fields: readonly string[] = []): unknown {
  const names = new Set([...ALWAYS_REDACTED, ...fields].map((f) => f.toLowerCase()));
  return walk(body, names, 0);
}

function walk(node: unknown, names: ReadonlySet<string>, depth: number): unknown {
  if (depth > 100) return REDACTED; // absurdly deep: show nothing rather than risk it
  if (Array.isArray(node)) return node.map((item) => walk(item, names, depth + 1));
  if (typeof node === 'object' && node !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = names.has(key.toLowerCase()) ? REDACTED : walk(value, names, depth + 1);
    }
    return out;
  }
  return node;
}

/** A redacted body as one compact JSON string for a log line, shortened when long. */
export function formatBodyForLog(body: unknown, fields: readonly string[] = []): string {
  if (body === undefined) return '';
  let text: string;
  try {
    text = JSON.stringify(redact(body, fields)) ?? '';
  } catch {
    return '(unserialisable body)';
  }
  if (text.length <= MAX_LOGGED_CHARS) return text;
  return `${text.slice(0, MAX_LOGGED_CHARS)}… (${text.length} chars)`;
}

/** Shorter strings are not scrubbed from text (they would mangle ordinary words and numbers). */
export const MIN_SCRUBBED_CHARS = 4;

/** The string leaves under redacted field names (`value`, `token` and `fields`) anywhere in `body`. */
export function redactedStrings(body: unknown, fields: readonly string[] = []): string[] {
  const names = new Set([...ALWAYS_REDACTED, ...fields].map((f) => f.toLowerCase()));
  const out = new Set<string>();
  const collect = (node: unknown, inside: boolean, depth: number): void => {
    if (depth > 100) return;
    if (typeof node === 'string') {
      if (inside && node.length >= MIN_SCRUBBED_CHARS) out.add(node);
    } else if (Array.isArray(node)) {
      for (const item of node) collect(item, inside, depth + 1);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) collect(value, inside || names.has(key.toLowerCase()), depth + 1);
    }
  };
  collect(body, false, 0);
  return [...out];
}

/** `text` with every occurrence of each of `secrets` (at least MIN_SCRUBBED_CHARS long) replaced by "(redacted)". */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((x) => x.length >= MIN_SCRUBBED_CHARS).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(REDACTED);
  }
  return out;
}
