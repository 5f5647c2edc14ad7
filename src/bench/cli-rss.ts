// Child-process entry of the benchmark: runs the devinctl CLI (cli/main.ts run()) with the given
// arguments, discards its output, and reports this process's peak RSS on stderr, so the memory
// of one real `devinctl plan` / `devinctl apply` is measured without the emulator or the bench.
import { run } from '../cli/main.js';
import { processIo } from '../cli/io.js';

export const RSS_MARKER = 'BENCH_MAX_RSS_KB=';

const io = { ...processIo(), out: () => undefined, stdinIsTTY: false };
const code = await run(process.argv.slice(2), io);
process.stderr.write(`\n${RSS_MARKER}${process.resourceUsage().maxRSS}\n`);
process.exitCode = code;
