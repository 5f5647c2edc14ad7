// A tiny pydantic-alike for request bodies and query parameters: checks a value against a small
// schema and reports every problem as a FastAPI ValidationItem (type, loc, msg, input, ctx), with
// pydantic's wording. Omitted optional fields stay `undefined` so merge-patch can tell omitted
// from null.
import { invalid, missing, type Loc, type ValidationItem } from './errors.js';

export type Schema =
  | { type: 'string'; nullable?: boolean; minLength?: number; maxLength?: number; pattern?: string; enum?: readonly string[] }
  | { type: 'integer'; nullable?: boolean; minimum?: number; maximum?: number }
  | { type: 'boolean'; nullable?: boolean }
  | { type: 'array'; nullable?: boolean; items: Schema; minItems?: number; maxItems?: number; unique?: boolean }
  | { type: 'object'; nullable?: boolean; properties: Record<string, Field> }
  | { type: 'map'; nullable?: boolean; values: Schema };

export interface Field {
  schema: Schema;
  required?: boolean;
  default?: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function expectedList(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

function check(value: unknown, schema: Schema, loc: Loc, errors: ValidationItem[]): unknown {
  if (value === null && schema.nullable) return null;
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') {
        errors.push({ type: 'string_type', loc, msg: 'Input should be a valid string', input: value });
        return undefined;
      }
      if (schema.enum && !schema.enum.includes(value)) {
        const expected = expectedList(schema.enum);
        errors.push({ type: 'enum', loc, msg: `Input should be ${expected}`, input: value, ctx: { expected } });
        return undefined;
      }
      const len = [...value].length;
      if (schema.minLength !== undefined && len < schema.minLength) {
        errors.push({ type: 'string_too_short', loc, msg: `String should have at least ${plural(schema.minLength, 'character')}`, input: value, ctx: { min_length: schema.minLength } });
      } else if (schema.maxLength !== undefined && len > schema.maxLength) {
        errors.push({ type: 'string_too_long', loc, msg: `String should have at most ${plural(schema.maxLength, 'character')}`, input: value, ctx: { max_length: schema.maxLength } });
      } else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
        errors.push({ type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${schema.pattern}'`, input: value, ctx: { pattern: schema.pattern } });
      }
      return value;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        errors.push({ type: 'int_type', loc, msg: 'Input should be a valid integer', input: value });
        return undefined;
      }
      if (!Number.isInteger(value)) {
        errors.push({ type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input: value });
        return undefined;
      }
      if (schema.minimum !== undefined && value < schema.minimum) {
        errors.push({ type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${schema.minimum}`, input: value, ctx: { ge: schema.minimum } });
      } else if (schema.maximum !== undefined && value > schema.maximum) {
        errors.push({ type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${schema.maximum}`, input: value, ctx: { le: schema.maximum } });
      }
      return value;
    }
    case 'boolean':
      if (typeof value !== 'boolean') {
        errors.push({ type: 'bool_type', loc, msg: 'Input should be a valid boolean', input: value });
        return undefined;
      }
      return value;
    case 'array': {
      if (!Array.isArray(value)) {
        errors.push({ type: 'list_type', loc, msg: 'Input should be a valid list', input: value });
        return undefined;
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        errors.push({ type: 'too_long', loc, msg: `List should have at most ${plural(schema.maxItems, 'item')} after validation, not ${value.length}`, input: value, ctx: { field_type: 'List', max_length: schema.maxItems, actual_length: value.length } });
        return undefined;
      }
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        errors.push({ type: 'too_short', loc, msg: `List should have at least ${plural(schema.minItems, 'item')} after validation, not ${value.length}`, input: value, ctx: { field_type: 'List', min_length: schema.minItems, actual_length: value.length } });
        return undefined;
      }
      const out = value.map((item, i) => check(item, schema.items, [...loc, i], errors));
      // uniqueItems in the spec comes from a pydantic set: duplicates are dropped silently.
      return schema.unique ? [...new Set(out)] : out;
    }
    case 'object': {
      if (!isPlainObject(value)) {
        errors.push({ type: 'model_attributes_type', loc, msg: 'Input should be a valid dictionary or object to extract fields from', input: value });
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(schema.properties)) {
        if (!(name in value) || value[name] === undefined) {
          if (field.required) errors.push(missing([...loc, name], value));
          else if (field.default !== undefined) out[name] = field.default;
          continue;
        }
        out[name] = check(value[name], field.schema, [...loc, name], errors);
      }
      return out;
    }
    case 'map': {
      if (!isPlainObject(value)) {
        errors.push({ type: 'dict_type', loc, msg: 'Input should be a valid dictionary', input: value });
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = check(v, schema.values, [...loc, k], errors);
      return out;
    }
  }
}

/** Validates a JSON request body (already parsed; `undefined` = no body) and throws a 422 on any problem. */
export function validateBody<T>(body: unknown, schema: Schema): T {
  if (body === undefined) throw invalid([missing(['body'], null)]);
  const errors: ValidationItem[] = [];
  const out = check(body, schema, ['body'], errors);
  if (errors.length) throw invalid(errors);
  return out as T;
}

// ---- query parameters (strings, as FastAPI sees them) ------------------------------------

export function queryInt(raw: string | null, name: string, dflt: number, min: number, max: number, errors: ValidationItem[]): number {
  if (raw === null) return dflt;
  const loc: Loc = ['query', name];
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    errors.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: raw });
    return dflt;
  }
  const n = Number(raw);
  if (n < min) errors.push({ type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${min}`, input: raw, ctx: { ge: min } });
  else if (n > max) errors.push({ type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${max}`, input: raw, ctx: { le: max } });
  return n;
}

const TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'on']);
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', 'off']);

export function queryBool(raw: string | null, name: string, dflt: boolean, errors: ValidationItem[]): boolean {
  if (raw === null) return dflt;
  const v = raw.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  errors.push({ type: 'bool_parsing', loc: ['query', name], msg: 'Input should be a valid boolean, unable to interpret input', input: raw });
  return dflt;
}

export function queryEnum<T extends string>(raw: string | null, name: string, values: readonly T[], dflt: T, errors: ValidationItem[]): T {
  if (raw === null) return dflt;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  const expected = expectedList(values);
  errors.push({ type: 'enum', loc: ['query', name], msg: `Input should be ${expected}`, input: raw, ctx: { expected } });
  return dflt;
}

// ---- shorthands for route schemas ---------------------------------------------------------

export const str = (extra: Omit<Extract<Schema, { type: 'string' }>, 'type'> = {}): Schema => ({ type: 'string', ...extra });
export const int = (extra: Omit<Extract<Schema, { type: 'integer' }>, 'type'> = {}): Schema => ({ type: 'integer', ...extra });
export const bool = (extra: Omit<Extract<Schema, { type: 'boolean' }>, 'type'> = {}): Schema => ({ type: 'boolean', ...extra });
export const arr = (items: Schema, extra: Omit<Extract<Schema, { type: 'array' }>, 'type' | 'items'> = {}): Schema => ({ type: 'array', items, ...extra });
export const obj = (properties: Record<string, Field>): Schema => ({ type: 'object', properties });
export const req = (schema: Schema): Field => ({ schema, required: true });
export const opt = (schema: Schema, dflt?: unknown): Field => ({ schema, default: dflt });
