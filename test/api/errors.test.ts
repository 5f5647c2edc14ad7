import fc from 'fast-check';
import { errors as undiciErrors } from 'undici';
import { describe, expect, it } from 'vitest';
import { classifyTransportError, extractDetail } from '../../src/api/errors.js';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const CANARY = 'CANARY-s3cr3t-value-4f1d';

describe('extractDetail', () => {
  it('returns a FastAPI string detail as is', () => {
    expect(extractDetail(404, bytes({ detail: 'Organization not found' }))).toBe('Organization not found');
  });

  it('builds 422 messages from loc and msg only, dropping input and ctx', () => {
    const body = {
      detail: [
        { loc: ['body', 'key'], msg: 'Field required', type: 'missing', input: { value: CANARY } },
        { loc: ['body', 'items', 0, 'name'], msg: 'String too long', type: 'string_too_long', input: CANARY, ctx: { max_length: 3, echo: CANARY } },
      ],
    };
    const detail = extractDetail(422, bytes(body));
    expect(detail).toBe('body.key: Field required; body.items[0].name: String too long');
    expect(detail).not.toContain(CANARY);
  });

  it('uses the detail of an RFC 9457 problem, else its title', () => {
    expect(extractDetail(401, bytes({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid token' }))).toBe('Invalid token');
    expect(extractDetail(401, bytes({ type: 'about:blank', title: 'Unauthorized', status: 401 }))).toBe('Unauthorized');
  });

  it('describes a non-JSON body by its size and never quotes it', () => {
    const html = `<html>Bad gateway ${CANARY}</html>`;
    const detail = extractDetail(502, bytes(html));
    expect(detail).toBe(`HTTP 502 (non-JSON body, ${Buffer.byteLength(html)} bytes)`);
  });

  it('describes an empty body and a JSON body without detail generically', () => {
    expect(extractDetail(500, Buffer.alloc(0))).toBe('HTTP 500 (empty body)');
    const body = bytes({ message: CANARY });
    expect(extractDetail(500, body)).toBe(`HTTP 500 (JSON body without a detail, ${body.length} bytes)`);
  });

  it('shortens a very long detail to one line', () => {
    const detail = extractDetail(400, bytes({ detail: `first line\nsecond ${'x'.repeat(2000)}` }));
    expect(detail.length).toBeLessThanOrEqual(500);
    expect(detail).toMatch(/^first line second x+…$/);
  });

  it('never echoes input or ctx from any validation error body', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            loc: fc.array(fc.oneof(fc.constantFrom('body', 'query', 'key'), fc.nat(5)), { maxLength: 4 }),
            msg: fc.constantFrom('Field required', 'Input should be a valid string'),
            type: fc.string(),
            input: fc.anything(),
            ctx: fc.anything(),
          }),
          { maxLength: 5 },
        ),
        (items) => {
          const withCanary = items.map((i) => ({ ...i, input: [i.input, CANARY], ctx: { c: CANARY, x: i.ctx } }));
          expect(extractDetail(422, bytes({ detail: withCanary }))).not.toContain(CANARY);
        },
      ),
    );
  });
});

describe('classifyTransportError', () => {
  it('treats a refused connection as retryable and never sent', () => {
    expect(classifyTransportError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual({
      code: 'ECONNREFUSED',
      detail: 'connection refused (ECONNREFUSED)',
      retryable: true,
      sent: false,
    });
    expect(classifyTransportError(new undiciErrors.ConnectTimeoutError())).toMatchObject({ retryable: true, sent: false });
  });

  it('treats resets, closed sockets and timeouts as retryable and possibly sent', () => {
    for (const err of [
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      new undiciErrors.SocketError('other side closed'),
      new undiciErrors.HeadersTimeoutError(),
      new undiciErrors.BodyTimeoutError(),
    ]) {
      expect(classifyTransportError(err)).toMatchObject({ retryable: true, sent: true });
    }
  });

  it('finds the code on a cause or inside an AggregateError', () => {
    const refused = Object.assign(new Error('x'), { code: 'ECONNREFUSED' });
    expect(classifyTransportError(new Error('fetch failed', { cause: refused }))?.code).toBe('ECONNREFUSED');
    expect(classifyTransportError(new AggregateError([refused], 'all failed'))?.code).toBe('ECONNREFUSED');
  });

  it('does not retry TLS failures', () => {
    expect(classifyTransportError(Object.assign(new Error('cert'), { code: 'CERT_HAS_EXPIRED' }))).toMatchObject({ retryable: false });
    expect(classifyTransportError(Object.assign(new Error('tls'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }))).toMatchObject({ retryable: false });
  });

  it('leaves errors that are not about the network to the caller', () => {
    expect(classifyTransportError(new TypeError('bug'))).toBeUndefined();
    expect(classifyTransportError(new undiciErrors.InvalidArgumentError('bad header'))).toBeUndefined();
  });
});
