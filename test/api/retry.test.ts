import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryClassOf, retryWait } from '../../src/api/retry.js';

describe('retry policy', () => {
  it('retries GET, PUT and DELETE on everything transient, POST and PATCH on 429 only', () => {
    expect(retryClassOf('GET')).toBe('all');
    expect(retryClassOf('PUT')).toBe('all');
    expect(retryClassOf('DELETE')).toBe('all');
    expect(retryClassOf('POST')).toBe('throttle-only');
    expect(retryClassOf('PATCH')).toBe('throttle-only');
    expect(retryClassOf('POST', true)).toBe('all');
    expect(isRetryableStatus(429, 'throttle-only')).toBe(true);
    expect(isRetryableStatus(503, 'throttle-only')).toBe(false);
    expect(isRetryableStatus(503, 'all')).toBe(true);
    expect(isRetryableStatus(404, 'all')).toBe(false);
  });

  it('reads Retry-After as decimal seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('0.05', now)).toBe(50);
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(['1.5'], now)).toBe(1500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unparsable Retry-After', () => {
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter('', 0)).toBeUndefined();
    expect(parseRetryAfter('-1', 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('12345678901234', 0)).toBe(12345678901234000);
  });

  it('uses full jitter on base * 2^attempt', () => {
    expect(backoffDelay(0, 250, () => 0.5)).toBe(125);
    expect(backoffDelay(3, 250, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, 250, () => 0)).toBe(0);
    expect(backoffDelay(3, 250, () => 0.999)).toBeLessThan(2000);
  });

  it('caps every wait, Retry-After included', () => {
    const base = { baseMs: 250, maxWaitMs: 1000, random: () => 0.99 };
    expect(retryWait({ ...base, attempt: 10, retryAfterMs: undefined })).toBe(1000);
    expect(retryWait({ ...base, attempt: 0, retryAfterMs: 120_000 })).toBe(1000);
    expect(retryWait({ ...base, attempt: 0, retryAfterMs: 50 })).toBe(50);
  });
});
