// The process boundary of the CLI: streams, environment, TTY facts and the confirmation prompt.
// Commands receive an Io, so tests run them in-process; only main.ts builds one from `process`.
import { createInterface } from 'node:readline/promises';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Ask on the terminal; only called when stdinIsTTY. Rejects when the user aborts (Ctrl-C, Ctrl-D). */
  confirm(question: string): Promise<string>;
  /** Call `handler` on the next Ctrl-C (SIGINT) instead of dying; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
}

export function processIo(): Io {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    onInterrupt(handler) {
      process.once('SIGINT', handler);
      return () => void process.off('SIGINT', handler);
    },
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/** Colour only on a TTY, and never with NO_COLOR or --no-color. */
export function useColour(io: Io, flag: boolean | undefined): boolean {
  return flag !== false && io.stdoutIsTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== undefined);
}
