// The apply journal (--journal FILE): every change as done, failed (status and detail) or
// skipped, with created ids. Rewritten after each result, so an interrupted run still leaves it.
import { writePrivate } from './files.js';
import type { ChangeResult } from '../engine/apply.js';
import type { Plan } from '../engine/types.js';

export class Journal {
  private entries = new Map<string, Record<string, unknown>>();
  private writing: Promise<void> = Promise.resolve();
  private state: 'running' | 'finished' | 'interrupted' = 'running';
  private unmade: string[] = [];

  private constructor(private path: string, private startedAt: string) {}

  static async open(path: string, plan: Plan): Promise<Journal> {
    const j = new Journal(path, new Date().toISOString());
    for (const c of plan.changes) j.entries.set(c.address, { address: c.address, kind: c.kind, action: c.action, status: 'pending' });
    await j.flush();
    return j;
  }

  async record(r: ChangeResult): Promise<void> {
    this.entries.set(r.address, {
      address: r.address,
      kind: r.kind,
      action: r.action,
      status: r.status,
      ...(r.created.length ? { created_ids: r.created } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.because ? { because: r.because } : {}),
      ...(r.cascade ? { cascade: true } : {}),
    });
    await this.flush();
  }

  async finish(unmade: string[], state: 'finished' | 'interrupted' = 'finished'): Promise<void> {
    this.state = state;
    this.unmade = unmade;
    await this.flush();
  }

  private flush(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const doc = {
        format_version: 1,
        started_at: this.startedAt,
        state: this.state,
        changes: [...this.entries.values()],
        ...(this.unmade.length ? { not_made: this.unmade } : {}),
      };
      await writePrivate(this.path, JSON.stringify(doc, null, 2) + '\n');
    });
    return this.writing;
  }
}
