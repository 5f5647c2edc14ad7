#!/usr/bin/env node
// devinctl's entry point: builds the commander program and maps every outcome to an exit code.
// `run(argv, io)` is what tests call in-process; the bin calls it with the real process.
import { Command, CommanderError } from 'commander';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { VERSION } from '../api/version.js';
import { EXIT, reportError } from './exit.js';
import { processIo, type Io } from './io.js';
import { registerPlan } from './plan.js';
import { registerApply } from './apply.js';
import { registerValidate } from './validate.js';
import { registerEmulator } from './emulator.js';
import { registerExport } from './export.js';
import { registerDrift } from './drift.js';
import { registerShow } from './show.js';

export interface RunExtras {
  /** Resolves when a long-running command (emulator) should stop. */
  until?: () => Promise<void>;
}

export async function run(argv: string[], io: Io, extras: RunExtras = {}): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = new Command('devinctl')
    .description('Declarative reconciler for Devin Enterprise: plan and apply a YAML desired state')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run with --help for usage)');
  const go = (p: Promise<number>) => {
    pending = p;
  };
  registerValidate(program, io, go);
  registerPlan(program, io, go);
  registerApply(program, io, go);
  registerExport(program, io, go);
  registerDrift(program, io, go);
  registerShow(program, io, go);
  const untilSignal = () => new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
  });
  registerEmulator(program, io, go, extras.until ?? untilSignal);
  try {
    await program.parseAsync(argv, { from: 'user' });
    if (!pending) return EXIT.ok;
    return await pending;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.error;
    }
    return reportError(io, e);
  }
}

function isMain(): boolean {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1] ?? '')).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  run(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
