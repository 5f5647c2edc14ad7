// Shared fixtures for the API client tests: a MockAgent with the network disabled, a fake
// clock whose sleep() records each wait and advances time instantly, and a client wired to both.

import { MockAgent } from 'undici';
import { createApiClient, type ClientOptions, type HttpApiClient } from '../../src/api/client.js';

export const ORIGIN = 'https://api.test';
export const TOKEN = 'cog_test_token_0123456789';

export interface FakeClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Every wait requested, in order. */
  sleeps: number[];
}

export function fakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

export interface Harness {
  agent: MockAgent;
  pool: ReturnType<MockAgent['get']>;
  client: HttpApiClient;
  clock: FakeClock;
  logs: string[];
}

export function harness(options: Partial<ClientOptions> = {}): Harness {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const clock = fakeClock();
  const logs: string[] = [];
  const client = createApiClient({
    baseUrl: ORIGIN,
    token: TOKEN,
    dispatcher: agent,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    log: (line) => logs.push(line),
    ...options,
  });
  return { agent, pool: agent.get(ORIGIN), client, clock, logs };
}

export const json = { headers: { 'content-type': 'application/json' } };

/** An error shaped like a Node socket error (what undici surfaces for resets and refusals). */
export function netError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
