// Persistence of the emulator state to one JSON file: loaded on start when it exists, written
// after every applied write. Writes are atomic (temporary file in the same folder, then rename)
// and the file is created 0600 (it holds tokens and secret values); its folder 0700 if created.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { STATE_FORMAT, type EmulatorState } from './types.js';

export function loadStateFile(path: string): EmulatorState | undefined {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`emulator state ${path} is not valid JSON (${(err as Error).message}); use reset to re-seed it`);
  }
  const s = parsed as Partial<EmulatorState>;
  if (!s || s.format !== STATE_FORMAT || s.version !== 1) {
    throw new Error(`${path} is not a devinctl emulator state file (format ${STATE_FORMAT}, version 1); use reset to re-seed it`);
  }
  for (const key of ['roles', 'organizations', 'git_connections', 'git_permissions', 'secrets', 'idp_groups', 'service_users', 'tokens', 'api_keys'] as const) {
    if (!Array.isArray(s[key])) throw new Error(`emulator state ${path}: "${key}" must be a list; use reset to re-seed it`);
  }
  return s as EmulatorState;
}

export function saveStateFile(path: string, state: EmulatorState): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
    chmodSync(tmp, 0o600); // in case the umask or an existing file interfered
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
