#!/usr/bin/env node
// Derives contract/devin-v3.contract.json from the published Devin v3 OpenAPI file: only the
// facts the emulator and its tests rely on (per path and method: parameters, request body schema,
// 2xx response schemas; plus components.schemas), with all prose (description, summary, title,
// example(s), operation tags, x-* extensions) stripped so the contract diffs only when facts change.
//
// Usage: node scripts/derive-contract.mjs [SPEC] [--out FILE | --stdout]
//   SPEC defaults to ../shared/api/devin-v3-openapi.json relative to the repo root,
//   FILE defaults to contract/devin-v3.contract.json.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROSE = new Set(['description', 'summary', 'title', 'example', 'examples', 'externalDocs']);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/** Strips prose from a JSON Schema, recursing only where the value is itself a schema. */
function schema(s) {
  if (Array.isArray(s)) return s.map(schema);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const key of Object.keys(s).sort()) {
    if (PROSE.has(key) || key.startsWith('x-')) continue;
    const v = s[key];
    if (key === 'properties' || key === 'patternProperties' || key === '$defs' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.keys(v).sort().map((k) => [k, schema(v[k])]));
    } else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf', 'contains', 'propertyNames'].includes(key)) {
      out[key] = typeof v === 'object' ? schema(v) : v;
    } else {
      out[key] = v; // a fact: type, enum, required, default, minimum, nullable, $ref, …
    }
  }
  return out;
}

function jsonSchemaOf(content) {
  if (!content) return null;
  const media = content['application/json'] ?? Object.values(content)[0];
  return media?.schema ? schema(media.schema) : null;
}

export function deriveContract(spec) {
  const paths = {};
  for (const p of Object.keys(spec.paths ?? {}).sort()) {
    const item = spec.paths[p];
    const ops = {};
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((x) => ({
        name: x.name,
        in: x.in,
        required: x.required === true,
        schema: schema(x.schema ?? {}),
      }));
      const responses = {};
      for (const code of Object.keys(op.responses ?? {}).sort()) {
        if (!/^2\d\d$/.test(code)) continue;
        responses[code] = jsonSchemaOf(op.responses[code].content);
      }
      ops[m] = {
        parameters: params,
        requestBody: op.requestBody ? { required: op.requestBody.required === true, schema: jsonSchemaOf(op.requestBody.content) } : null,
        responses,
      };
    }
    paths[p] = ops;
  }
  const schemas = spec.components?.schemas ?? {};
  return {
    $comment: 'Derived by scripts/derive-contract.mjs from the Devin v3 OpenAPI file. Do not edit by hand.',
    source: {
      openapi: spec.openapi,
      version: spec.info?.version ?? null,
      sha256: createHash('sha256').update(JSON.stringify(spec)).digest('hex'),
    },
    paths,
    components: { schemas: Object.fromEntries(Object.keys(schemas).sort().map((k) => [k, schema(schemas[k])])) },
  };
}

export function render(contract) {
  return JSON.stringify(contract, null, 2) + '\n';
}

function main(argv) {
  const args = argv.slice(2);
  let specPath = resolve(repoRoot, '../shared/api/devin-v3-openapi.json');
  let outPath = resolve(repoRoot, 'contract/devin-v3.contract.json');
  let toStdout = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--stdout') toStdout = true;
    else if (a === '--out') outPath = resolve(args[++i] ?? '');
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else specPath = resolve(a);
  }
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const text = render(deriveContract(spec));
  if (toStdout) {
    process.stdout.write(text);
    return;
  }
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, outPath);
  process.stderr.write(`wrote ${outPath}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv);
  } catch (err) {
    process.stderr.write(`derive-contract: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
