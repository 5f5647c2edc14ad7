// --token-file (D14): provisioned service-user tokens are appended as JSON lines
// {name, id, token} to a file created 0600; an existing file readable by group or others is
// refused. Tokens go nowhere else.
import { open, stat } from 'node:fs/promises';
import { UsageError } from './exit.js';

export type TokenSink = (entry: { name: string; id: string; token: string }) => Promise<void>;

export async function checkTokenFile(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if ((s.mode & 0o077) !== 0) throw new UsageError(`--token-file ${path} is readable by group or others (mode ${(s.mode & 0o777).toString(8)}); chmod 600 it first`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

export function tokenSink(path: string): TokenSink {
  let chain: Promise<void> = Promise.resolve();
  return (entry) => {
    chain = chain.then(async () => {
      const fh = await open(path, 'a', 0o600);
      try {
        await fh.chmod(0o600);
        await fh.appendFile(JSON.stringify(entry) + '\n');
      } finally {
        await fh.close();
      }
    });
    return chain;
  };
}
