// The one request limiter a client shares across all its calls (D22).
// - A semaphore: at most `limit` requests in flight, reads and writes alike; `limit` starts
//   at `parallelism`.
// - An optional token bucket at `maxRps` (GCRA form: each request reserves the next send time,
//   so waits are computed, not polled, and concurrent callers are spaced fairly).
// - AIMD on throttling: a 429 halves the allowed concurrency (and rate); every window of
//   `limit` successes adds one back (and a tenth of maxRps), up to the configured ceilings.
//   Requests that were already in flight when the client slowed down report the same wave of
//   429s, so only the first 429 of each wave counts (a per-decrease epoch).
// - A shared pause: after a 429's Retry-After, no new request starts before that time.

export type Outcome = 'ok' | 'throttled' | 'failed';

export interface Permit {
  /** Frees the slot and reports how the request went: 'ok' (any non-429, non-5xx answer),
   *  'throttled' (429) or 'failed' (5xx, transport error; no effect on the rate). Idempotent. */
  release(outcome: Outcome): void;
}

export interface LimiterOptions {
  /** Requests in flight at most (≥ 1). */
  parallelism: number;
  /** Requests started per second at most; unset = no rate limit. */
  maxRps?: number;
  /** Requests that may start back to back before the rate applies (default 1: strict spacing). */
  burst?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface LimiterState {
  /** Current concurrency limit (1 … parallelism). */
  limit: number;
  /** Current rate, when a rate limit is configured. */
  rps: number | undefined;
  inFlight: number;
  queued: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Limiter {
  readonly parallelism: number;
  readonly maxRps: number | undefined;
  private readonly burst: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  private limit: number;
  private rps: number | undefined;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  /** GCRA theoretical arrival time of the next request, in `now()` ms. */
  private tat = -Infinity;
  private pausedUntil = -Infinity;
  /** Bumped on every decrease; a 429 from a request started before the bump is ignored. */
  private epoch = 0;
  private okInWindow = 0;

  constructor(options: LimiterOptions) {
    if (!Number.isInteger(options.parallelism) || options.parallelism < 1) {
      throw new RangeError(`parallelism must be a positive integer, got ${options.parallelism}`);
    }
    if (options.maxRps !== undefined && !(options.maxRps > 0 && Number.isFinite(options.maxRps))) {
      throw new RangeError(`maxRps must be a positive number, got ${options.maxRps}`);
    }
    this.parallelism = options.parallelism;
    this.maxRps = options.maxRps;
    this.burst = Math.max(1, Math.floor(options.burst ?? 1));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.limit = options.parallelism;
    this.rps = options.maxRps;
  }

  /** Waits for a free slot, then for the rate and any pause; resolves when the request may start. */
  async acquire(): Promise<Permit> {
    await this.takeSlot();
    const wait = this.reserveStart();
    if (wait > 0) await this.sleep(wait);
    const epoch = this.epoch;
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.inFlight--;
        if (outcome === 'throttled') this.slowDown(epoch);
        else if (outcome === 'ok') this.recover();
        this.grant();
      },
    };
  }

  /** Runs `fn` under a permit; `fn` returns the outcome to report along with its value. */
  async run<T>(fn: () => Promise<{ outcome: Outcome; value: T }>): Promise<T> {
    const permit = await this.acquire();
    try {
      const { outcome, value } = await fn();
      permit.release(outcome);
      return value;
    } catch (err) {
      permit.release('failed');
      throw err;
    }
  }

  /** No request starts before `ms` from now (a Retry-After applies to the whole client). */
  pause(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  state(): LimiterState {
    return { limit: this.limit, rps: this.rps, inFlight: this.inFlight, queued: this.waiting.length };
  }

  private takeSlot(): Promise<void> {
    if (this.waiting.length === 0 && this.inFlight < this.limit) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands free slots to waiters in arrival order (the slot is counted for them here). */
  private grant(): void {
    while (this.inFlight < this.limit && this.waiting.length > 0) {
      this.inFlight++;
      this.waiting.shift()!();
    }
  }

  /** Reserves a start time (rate + pause) and returns how long to wait for it. */
  private reserveStart(): number {
    const now = this.now();
    let start = Math.max(now, this.pausedUntil);
    if (this.rps !== undefined) {
      const interval = 1000 / this.rps;
      start = Math.max(start, this.tat - (this.burst - 1) * interval);
      this.tat = Math.max(this.tat, start) + interval;
    }
    return start - now;
  }

  private slowDown(epoch: number): void {
    if (epoch !== this.epoch) return; // this wave of 429s was already answered
    this.epoch++;
    this.okInWindow = 0;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    if (this.rps !== undefined && this.maxRps !== undefined) {
      this.rps = Math.max(this.maxRps / 64, this.rps / 2);
    }
  }

  private recover(): void {
    if (this.limit >= this.parallelism && this.rps === this.maxRps) return;
    this.okInWindow++;
    if (this.okInWindow < this.limit) return;
    this.okInWindow = 0;
    this.limit = Math.min(this.parallelism, this.limit + 1);
    if (this.rps !== undefined && this.maxRps !== undefined) {
      this.rps = Math.min(this.maxRps, this.rps + this.maxRps / 10);
    }
  }
}
