// Writing files that may hold sensitive data (saved plans, journals): created 0600 under a fresh
// temporary name, then renamed into place, so a stale temp file can never lend its mode.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { UsageError } from './exit.js';

export async function writePrivate(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o600).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot write ${path}: ${e.code === 'ENOENT' ? 'its folder does not exist' : e.code === 'EACCES' ? 'permission denied' : e.message}`);
  });
  try {
    await fh.chmod(0o600);
    await fh.writeFile(text);
  } finally {
    await fh.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
