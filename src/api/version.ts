// The User-Agent devinctl sends: `devinctl/<version>` from package.json, read once at runtime
// (package.json sits two levels above both src/api/ and dist/api/).

import { createRequire } from 'node:module';

function readVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { name?: unknown; version?: unknown };
    if (pkg.name === 'devinctl' && typeof pkg.version === 'string') return pkg.version;
  } catch {
    // fall through: a bundled or unusual layout still gets a User-Agent
  }
  return 'unknown';
}

export const VERSION: string = readVersion();
export const DEFAULT_USER_AGENT = `devinctl/${VERSION}`;
