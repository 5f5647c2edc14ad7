// --token-file (D14): provisioned service-user tokens are appended as JSON lines
// {name, id, token} to a file created 0600 before any call (so a bad path is refused while
// nothing has been provisioned); an existing file readable by group or others, a folder or a
// symlink is refused. Tokens go nowhere else.
import { lstat, open } from 'node:fs/promises';
import { UsageError } from './exit.js';

export type TokenSink = (entry: { name: string; id: string; token: string }) => Promise<void>;

/** Refuse a token file that cannot safely receive tokens, and create it (empty, 0600) if absent. */
export async function checkTokenFile(path: string): Promise<void> {
  try {
    const s = await lstat(path);
    if (s.isSymbolicLink()) throw new UsageError(`--token-file ${path} is a symbolic link; give the file itself`);
    if (!s.isFile()) throw new UsageError(`--token-file ${path} is not a regular file`);
    if ((s.mode & 0o077) !== 0) throw new UsageError(`--token-file ${path} is readable by group or others (mode ${(s.mode & 0o777).toString(8)}); chmod 600 it first`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  try {
    const fh = await open(path, 'a', 0o600);
    await fh.chmod(0o600);
    await fh.close();
  } catch (e) {
    throw new UsageError(`--token-file ${path} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was provisioned`);
  }
}

export function tokenSink(path: string): TokenSink {
  let chain: Promise<void> = Promise.resolve();
  return (entry) => {
    const write = async () => {
      const fh = await open(path, 'a', 0o600);
      try {
        await fh.appendFile(JSON.stringify(entry) + '\n');
      } finally {
        await fh.close();
      }
    };
    // one failed write must not stop the tokens after it
    chain = chain.catch(() => undefined).then(write);
    return chain;
  };
}
