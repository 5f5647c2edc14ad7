// Exit codes (D15) and the mapping from errors to messages. The only place that decides them.
import { ApiError, InconsistentReadError } from '../api/types.js';
import { formatDiagnostic } from '../config/format.js';
import { GuardError, PlanError } from '../engine/errors.js';
import { DiagnosticsError } from '../engine/pipeline.js';
import type { Io } from './io.js';

export const EXIT = { ok: 0, error: 1, changes: 2, guard: 3 } as const;

/** A user-facing refusal with a fixed exit code (stale plan, no TTY, missing --token-file...). */
export class UsageError extends Error {
  constructor(message: string, readonly code: number = EXIT.error) {
    super(message);
    this.name = 'UsageError';
  }
}

export function reportError(io: Io, e: unknown): number {
  if (e instanceof DiagnosticsError) {
    for (const d of e.diagnostics) io.err(formatDiagnostic(d) + '\n');
    const n = e.diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`${n} error${n === 1 ? '' : 's'}; nothing was changed.\n`);
    return EXIT.error;
  }
  if (e instanceof GuardError) {
    for (const p of e.problems) io.err(`Error: ${p}\n`);
    return EXIT.guard;
  }
  if (e instanceof PlanError) {
    for (const p of e.problems) io.err(`Error: ${p}\n`);
    return EXIT.error;
  }
  if (e instanceof UsageError) {
    io.err(`Error: ${e.message}\n`);
    return e.code;
  }
  if (e instanceof ApiError) {
    io.err(`Error: ${e.message}\n`);
    return EXIT.error;
  }
  if (e instanceof InconsistentReadError) {
    io.err(`Error: ${e.message}\n`);
    return EXIT.error;
  }
  const sys = e as NodeJS.ErrnoException;
  if (sys instanceof Error && typeof sys.code === 'string' && typeof sys.syscall === 'string') {
    // a file or port problem is the user's to fix, not a bug: no stack trace
    io.err(`Error: ${sys.path ? `${sys.syscall} ${sys.path}: ` : ''}${sys.message.replace(/^[A-Z]+: /, '')}\n`);
    return EXIT.error;
  }
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  io.err(`Internal error (this is a bug in devinctl, please report it with the output of --debug):\n${msg}\n`);
  return EXIT.error;
}
