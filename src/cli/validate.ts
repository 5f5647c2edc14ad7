// `devinctl validate`: every offline problem of the desired state, with zero requests (D7).
import type { Command } from 'commander';
import { addFileOption, loadDesired, OfflineErrors, type FileOptions } from './common.js';
import { DiagnosticsError } from '../engine/pipeline.js';
import { sortDiagnostics } from '../config/format.js';
import { EXIT } from './exit.js';
import type { Io } from './io.js';
import { prepareSecrets, secretDiagnostics, type SecretOptions } from './secrets.js';

export async function validateCommand(io: Io, opts: FileOptions & SecretOptions): Promise<number> {
  const config = await loadDesired(io, opts).catch((e) => {
    if (!(e instanceof OfflineErrors) || !e.partial) throw e;
    const more = secretDiagnostics(e.partial, io.env, Boolean(opts.skipSecretValues));
    throw new DiagnosticsError(sortDiagnostics([...e.diagnostics, ...more], e.partial.files));
  });
  prepareSecrets(io, config, opts); // missing variables are offline problems too (D7)
  const n = Object.keys(config.doc.organizations ?? {}).length;
  io.out(`The desired state is valid (${config.files.length} file${config.files.length === 1 ? '' : 's'}, ${n} organization${n === 1 ? '' : 's'}).\n`);
  return EXIT.ok;
}

export function registerValidate(program: Command, io: Io, run: (p: Promise<number>) => void): void {
  const cmd = program.command('validate').description('check the desired-state files offline (no API requests)');
  addFileOption(cmd);
  cmd
    .option('--skip-secret-values', 'do not check that the secret variables are set')
    .action((o: FileOptions & SecretOptions) => run(validateCommand(io, o)));
}
