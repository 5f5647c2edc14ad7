import { describe, expect, it } from 'vitest';
import { Limiter } from '../../src/api/limiter.js';
import { fakeClock, tick } from './helpers.js';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('Limiter', () => {
  it('never has more than parallelism requests in flight', async () => {
    const limiter = new Limiter({ parallelism: 3 });
    let inFlight = 0;
    let peak = 0;
    const task = async (i: number) => {
      const permit = await limiter.acquire();
      inFlight++;
      peak = Math.max(peak, inFlight);
      await delay(2 + (i % 3));
      inFlight--;
      permit.release('ok');
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => task(i)));
    expect(peak).toBe(3);
    expect(limiter.state()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('hands freed slots to waiters in arrival order', async () => {
    const limiter = new Limiter({ parallelism: 1 });
    const first = await limiter.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => limiter.acquire().then((p) => (order.push(n), p)));
    await tick();
    expect(limiter.state().queued).toBe(3);
    first.release('ok');
    (await waiters[0]).release('ok');
    (await waiters[1]).release('ok');
    (await waiters[2]).release('ok');
    expect(order).toEqual([1, 2, 3]);
  });

  it('releasing a permit twice frees only one slot', async () => {
    const limiter = new Limiter({ parallelism: 2 });
    const a = await limiter.acquire();
    await limiter.acquire();
    a.release('ok');
    a.release('ok');
    expect(limiter.state().inFlight).toBe(1);
  });

  it('spaces request starts 1/maxRps apart with the token bucket', async () => {
    const clock = fakeClock(0);
    const limiter = new Limiter({ parallelism: 10, maxRps: 10, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const permit = await limiter.acquire();
      starts.push(clock.now());
      permit.release('ok');
    }
    expect(starts).toEqual([0, 100, 200, 300]);
    expect(clock.sleeps).toEqual([100, 100, 100]);
  });

  it('spaces concurrent callers fairly by reserving start times', async () => {
    const clock = fakeClock(0);
    const waits: number[] = [];
    const limiter = new Limiter({
      parallelism: 10,
      maxRps: 4,
      now: clock.now,
      sleep: async (ms) => void waits.push(ms), // time stands still: each caller's wait is its reservation
    });
    await Promise.all([0, 1, 2, 3].map(() => limiter.acquire()));
    expect(waits).toEqual([250, 500, 750]);
  });

  it('paces real time at maxRps with the default clock', async () => {
    const limiter = new Limiter({ parallelism: 4, maxRps: 50 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => limiter.acquire().then((p) => p.release('ok'))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(75); // 4 intervals of 20 ms, minus timer slack
  });

  it('halves the allowed concurrency once per wave of 429s and recovers one slot per window of successes', async () => {
    const limiter = new Limiter({ parallelism: 8 });
    const wave = await Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
    for (const permit of wave) permit.release('throttled');
    expect(limiter.state().limit).toBe(4); // one decrease, not four

    const later = await limiter.acquire(); // started after the slowdown: a new signal
    later.release('throttled');
    expect(limiter.state().limit).toBe(2);

    const limits: number[] = [];
    for (let i = 0; i < 30 && limiter.state().limit < 8; i++) {
      (await limiter.acquire()).release('ok');
      limits.push(limiter.state().limit);
    }
    // a window is `limit` successes: 2 → 3 after 2, → 4 after 3 more, …
    expect(limits.slice(0, 5)).toEqual([2, 3, 3, 3, 4]);
    expect(limiter.state().limit).toBe(8);
  });

  it('enforces the reduced concurrency after a 429', async () => {
    const limiter = new Limiter({ parallelism: 4 });
    (await limiter.acquire()).release('throttled');
    expect(limiter.state().limit).toBe(2);
    const a = await limiter.acquire();
    await limiter.acquire();
    let thirdStarted = false;
    const third = limiter.acquire().then((p) => ((thirdStarted = true), p));
    await tick();
    expect(thirdStarted).toBe(false);
    a.release('ok');
    await third;
    expect(thirdStarted).toBe(true);
  });

  it('never goes below one request in flight', async () => {
    const limiter = new Limiter({ parallelism: 2 });
    for (let i = 0; i < 5; i++) (await limiter.acquire()).release('throttled');
    expect(limiter.state().limit).toBe(1);
  });

  it('halves the rate on 429 and recovers it additively', async () => {
    const clock = fakeClock(0);
    const limiter = new Limiter({ parallelism: 1, maxRps: 10, now: clock.now, sleep: clock.sleep });
    (await limiter.acquire()).release('throttled');
    expect(limiter.state().rps).toBe(5);
    const before = clock.now();
    const permit = await limiter.acquire();
    permit.release('ok');
    const afterFirst = clock.now();
    (await limiter.acquire()).release('ok');
    expect(clock.now() - afterFirst).toBeGreaterThanOrEqual(150); // slower than 100 ms spacing
    expect(afterFirst).toBeGreaterThanOrEqual(before);
    for (let i = 0; i < 10; i++) (await limiter.acquire()).release('ok');
    expect(limiter.state().rps).toBe(10);
  });

  it('failures other than 429 neither slow down nor count towards recovery', async () => {
    const limiter = new Limiter({ parallelism: 4 });
    (await limiter.acquire()).release('throttled');
    for (let i = 0; i < 10; i++) (await limiter.acquire()).release('failed');
    expect(limiter.state().limit).toBe(2);
  });

  it('holds every new request until a pause has passed', async () => {
    const clock = fakeClock(1_000);
    const limiter = new Limiter({ parallelism: 4, now: clock.now, sleep: clock.sleep });
    limiter.pause(500);
    await limiter.acquire();
    expect(clock.sleeps).toEqual([500]);
    await limiter.acquire();
    expect(clock.sleeps).toEqual([500]);
  });

  it('run() releases the slot when the task throws', async () => {
    const limiter = new Limiter({ parallelism: 1 });
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => ({ outcome: 'ok' as const, value: 7 }))).resolves.toBe(7);
    expect(limiter.state().inFlight).toBe(0);
  });

  it('rejects a parallelism below one and a non-positive rate', () => {
    expect(() => new Limiter({ parallelism: 0 })).toThrow(RangeError);
    expect(() => new Limiter({ parallelism: 1.5 })).toThrow(RangeError);
    expect(() => new Limiter({ parallelism: 1, maxRps: 0 })).toThrow(RangeError);
  });
});
