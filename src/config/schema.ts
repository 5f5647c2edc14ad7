// Schema validation (schemas/devin.schema.json, ajv, all errors) with ajv's findings turned into
// one human sentence each, at the position of the offending key or value.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { childPointer, inSecret, keyOrValuePosition, lookup, naturalPosition, parsePointer, pathFromPointer, SECRET_FIELDS, SECRET_HIDDEN, type LocIndex } from './paths.js';
import { closeMatches, didYouMean } from './suggest.js';
import type { Diagnostic, Position } from './types.js';
import { typeName } from './util.js';

export const SCHEMA_URL = new URL('../../schemas/devin.schema.json', import.meta.url);

/** The secret value pattern; a mismatch is reported by rules.ts, which never echoes the value. */
const SECRET_VALUE_PATTERN = '^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$';
const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

let compiled: ValidateFunction | undefined;

export function devinSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020.default({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    compiled = ajv.compile(devinSchema());
  }
  return compiled;
}

const TYPE_WORDS: Record<string, string> = { object: 'map', array: 'list', integer: 'integer', number: 'number', string: 'string', boolean: 'boolean (true or false)', null: 'null' };

function orList(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** `name: ` for the node an error is about, from its last path segment. */
function label(path: (string | number)[]): string {
  if (path.length === 0) return '';
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const parent = path[path.length - 2];
    return `${parent === undefined ? '' : String(parent)}[${last}]: `;
  }
  return `${last}: `;
}

interface Found {
  d: Diagnostic;
  ptr: string;
  keyword: string;
  suggestions?: string[];
  missing?: string;
}

/**
 * Validates the merged document. `reported` holds pointers that earlier stages already reported
 * (nothing more is said at or below them); `fallback` is used for nodes without a position.
 */
export function validateSchema(doc: unknown, index: LocIndex, fallback: Position, reported: ReadonlySet<string> = new Set()): Diagnostic[] {
  const validate = validator();
  if (validate(doc)) return [];
  const errors = (validate.errors ?? []) as (ErrorObject & { propertyName?: string })[];

  const natural = (ptr: string): Position => {
    const loc = lookup(index, ptr);
    return loc ? naturalPosition(loc) : fallback;
  };
  const keyAt = (ptr: string): Position => {
    const loc = lookup(index, ptr);
    return loc ? keyOrValuePosition(loc) : fallback;
  };
  const under = (ptr: string) => {
    for (const r of reported) if (ptr === r || ptr.startsWith(`${r}/`)) return true;
    return false;
  };
  const typeFailed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));

  const found: Found[] = [];
  const push = (f: Found) => found.push(f);
  for (const e of errors) {
    const ptr = e.instancePath;
    // version is checked per file (load.ts); uniqueness, blank names and secret values by rules.ts
    if (ptr === '/version' || (ptr === '' && e.keyword === 'required' && e.params.missingProperty === 'version')) continue;
    if (e.keyword === 'uniqueItems' || e.keyword === 'propertyNames') continue;
    if (e.keyword === 'pattern' && e.params.pattern === SECRET_VALUE_PATTERN) continue;
    if (under(ptr)) continue;
    if (e.keyword !== 'type' && typeFailed.has(ptr) && e.propertyName === undefined) continue; // one message per value

    if (e.propertyName !== undefined) {
      // an error inside propertyNames: about a map key
      const name = e.propertyName;
      if (name.trim() === '') continue;
      const kptr = childPointer(ptr, name);
      if (under(kptr)) continue;
      const why = e.keyword === 'pattern' && e.params.pattern === ENV_NAME_PATTERN
        ? 'use letters, digits and _, not starting with a digit'
        : plainMessage(e);
      const what = e.params.pattern === ENV_NAME_PATTERN ? 'secret key' : 'key';
      push({ d: diag(keyAt(kptr), `invalid ${what} '${name}': ${why}`), ptr: kptr, keyword: e.keyword });
      continue;
    }

    const path = pathFromPointer(doc, ptr);
    switch (e.keyword) {
      case 'additionalProperties': {
        const name = String(e.params.additionalProperty);
        const kptr = childPointer(ptr, name);
        if (under(kptr)) break;
        const props = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
        const near = closeMatches(name, props);
        if (inSecret(kptr) && near.length === 0 && !SECRET_FIELDS.has(name)) {
          // not a typo of a field: it could be a literal value written as a key ({ npm_abc123 })
          push({ d: diag(keyAt(kptr), `unknown key (${SECRET_HIDDEN}); expected one of: ${props.join(', ')}`), ptr, keyword: e.keyword });
          break;
        }
        const hint = near.length > 0 ? didYouMean(name, props) : props.length > 0 ? ` (expected one of: ${props.join(', ')})` : '';
        push({ d: diag(keyAt(kptr), `unknown key '${name}'${hint}`), ptr, keyword: e.keyword, suggestions: near });
        break;
      }
      case 'required': {
        const missing = String(e.params.missingProperty);
        push({ d: diag(natural(ptr), `${label(path)}missing required key '${missing}'`), ptr, keyword: e.keyword, missing });
        break;
      }
      default:
        push({ d: diag(natural(ptr), `${label(path)}${plainMessage(e)}`), ptr, keyword: e.keyword });
    }
  }

  // an unknown key that is a typo of a missing required key is one problem, not two
  const typos = new Set(found.filter((f) => f.suggestions).flatMap((f) => f.suggestions!.map((s) => `${f.ptr}\u0000${s}`)));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const f of found) {
    if (f.missing !== undefined && typos.has(`${f.ptr}\u0000${f.missing}`)) continue;
    const k = `${f.d.file}:${f.d.line}:${f.d.col}:${f.d.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f.d);
  }
  return out;
}

function diag(p: Position, message: string): Diagnostic {
  return { file: p.file, line: p.line, col: p.col, severity: 'error', message };
}

/** A sentence for one ajv error about a value. Never echoes a string value (it could be a secret). */
function plainMessage(e: ErrorObject): string {
  const ps = (e.parentSchema ?? {}) as Record<string, unknown>;
  const got = (e as { data?: unknown }).data;
  const num = typeof got === 'number' ? `, got ${got}` : '';
  switch (e.keyword) {
    case 'type': {
      const t = e.params.type as string | string[];
      const want = (Array.isArray(t) ? t : [t]).map((x) => TYPE_WORDS[x] ?? x);
      return `expected ${orList(want)}, got ${typeName(got)}`;
    }
    case 'enum':
      return `must be one of: ${(e.params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(e.params.allowedValue)}`;
    case 'minimum':
    case 'maximum':
      if (typeof ps.minimum === 'number' && typeof ps.maximum === 'number') return `must be between ${ps.minimum} and ${ps.maximum}${num}`;
      return `must be at ${e.keyword === 'minimum' ? 'least' : 'most'} ${e.params.limit}${num}`;
    case 'exclusiveMinimum':
      return `must be greater than ${e.params.limit}${num}`;
    case 'exclusiveMaximum':
      return `must be less than ${e.params.limit}${num}`;
    case 'minLength':
      return e.params.limit === 1 ? 'must not be empty' : `must be at least ${e.params.limit} characters long`;
    case 'maxLength':
      return `must be at most ${e.params.limit} characters long`;
    case 'pattern':
      if (e.params.pattern === '\\S') return 'must not be empty';
      if (e.params.pattern === '^org-') return "must be an organization id starting with 'org-'";
      return `must match ${e.params.pattern}`;
    case 'minItems':
      return `must have at least ${e.params.limit} entries`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}
