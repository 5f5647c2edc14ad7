// The config stage's public surface: load, validate and canonicalise desired-state files;
// resolve secret values; format diagnostics; digests and suggestions shared with the engine.
export { loadConfig, type LoadFs } from './load.js';
export { applyRules, LITERAL_SECRET_MESSAGE } from './rules.js';
export { resolveSecretValues } from './secrets.js';
export { canonicalJson, sha256Hex } from './digest.js';
export { formatDiagnostic, formatPosition, sortDiagnostics } from './format.js';
export { closeMatches, didYouMean } from './suggest.js';
export { validateSchema, devinSchema, SCHEMA_URL } from './schema.js';
export { displayPath, pointer, type Locate } from './paths.js';
export { MAX_FILE_BYTES, MAX_FILES } from './files.js';
export { MAX_ALIASES } from './parse.js';
export type * from './types.js';
