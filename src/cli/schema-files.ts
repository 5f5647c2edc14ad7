// The JSON schemas shipped in schemas/, found relative to this module (works from src/ and dist/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);

export const PLAN_SCHEMA: Record<string, unknown> = JSON.parse(readFileSync(fileURLToPath(new URL('schemas/plan.schema.json', root)), 'utf8'));
