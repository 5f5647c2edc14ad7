// Runs the devinctl CLI in-process with captured output, as a user's shell would.
import { run } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Pretend stdin is a terminal and answer the prompt with this. */
  answer?: string;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
}

export async function runCli(argv: string[], o: CliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    env: { ...(o.env ?? {}) },
    cwd: o.cwd ?? process.cwd(),
    stdoutIsTTY: o.stdoutIsTTY ?? false,
    stderrIsTTY: o.stderrIsTTY ?? false,
    stdinIsTTY: o.answer !== undefined,
    confirm: async () => o.answer ?? '',
    onInterrupt: () => () => undefined,
  };
  const code = await run(argv, io, { until: () => Promise.resolve() });
  return { code, stdout, stderr };
}
