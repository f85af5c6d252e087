import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { BodyTooLarge, ClientGone, readBody } from '../../src/common/read-body.ts';

/** A request stream with the given headers; what is written to it is its body. */
function fakeRequest(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), { headers }) as unknown as PassThrough & IncomingMessage;
}

describe('readBody', () => {
  test('the whole body, of any number of chunks, up to the limit included', async () => {
    const request = fakeRequest({ 'content-length': '10' });
    const body = readBody(request, 10);
    request.write('hello');
    request.end('world');
    expect((await body).toString('utf8')).toBe('helloworld');
  });

  test('a declared length over the limit is refused unread', async () => {
    const request = fakeRequest({ 'content-length': '11' });
    await expect(readBody(request, 10)).rejects.toEqual(new BodyTooLarge(10));
    expect(request.listenerCount('data')).toBe(0);
  });

  test('a body without a declared length is refused as soon as it passes the limit, and left flowing', async () => {
    const request = fakeRequest({ 'transfer-encoding': 'chunked' });
    const body = readBody(request, 10);
    request.write('123456');
    request.write('789012');
    const refusal = await body.catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BodyTooLarge);
    expect((refusal as BodyTooLarge).limitBytes).toBe(10);
    expect(request.listenerCount('data')).toBe(0);
    expect(request.readableFlowing).toBe(true);
  });

  test('a failing connection is ClientGone, carrying what the stream emitted', async () => {
    const request = fakeRequest({ 'content-length': '100' });
    const body = readBody(request, 1000);
    request.write('half');
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    request.destroy(aborted);
    const failure = await body.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClientGone);
    expect((failure as ClientGone).message).toBe('aborted');
    expect((failure as ClientGone).error).toBe(aborted);
  });
});
