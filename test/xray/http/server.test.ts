import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, invalidRequest } from '../../../src/xray/http/errors.ts';
import { requiredEpochSeconds, requiredStringArray } from '../../../src/xray/http/json-fields.ts';
import { Router } from '../../../src/xray/http/router.ts';
import { startHttpServer } from '../../../src/xray/http/server.ts';
import type { RunningHttpServer } from '../../../src/xray/http/server.ts';
import type { Logger } from '../../../src/xray/log/logger.ts';
import { sendRawText } from '../../support/fuzz.ts';

const errors: string[] = [];
const logger: Logger = { info: () => {}, warn: () => {}, error: (message) => errors.push(message) };
const LIMIT = 1024;
let server: RunningHttpServer;
let base: string;

beforeAll(async () => {
  const router = new Router()
    .postJson('/Echo', (body) => ({ Got: requiredStringArray(body, 'Items', { max: 2 }), At: body.At === undefined ? null : requiredEpochSeconds(body, 'At') }))
    .postJson('/Throttled', () => {
      throw new ApiError(429, 'ThrottledException', 'slow down');
    })
    .postJson('/Broken', () => {
      throw new Error('disk on fire');
    })
    .postJson('/ThrowsNull', () => {
      throw null;
    })
    .postJson('/ThrowsDeep', () => {
      throw JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    })
    .add('POST', '/BadHeader', () => ({ status: 200, headers: { 'x-bad': 'line\nbreak' }, body: 'never' }))
    .add('GET', '/Echo', () => ({ status: 200, body: 'plain' }));
  server = await startHttpServer({ router, host: '127.0.0.1', port: 0, maxBodyBytes: LIMIT, logger });
  base = `http://127.0.0.1:${server.address.port}`;
});

afterAll(() => server.close());

async function post(path: string, body: string): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, type: response.headers.get('x-amzn-errortype'), json: (await response.json()) as Record<string, unknown> };
}

describe('http server and router', () => {
  test('a JSON operation answers 200 with its result', async () => {
    const result = await post('/Echo', JSON.stringify({ Items: ['a', 'b'], At: 1700000000.5 }));
    expect(result).toEqual({ status: 200, type: null, json: { Got: ['a', 'b'], At: 1700000000.5 } });
  });

  test('an empty body reads as an empty object', async () => {
    const result = await post('/Echo', '');
    expect(result.status).toBe(400);
    expect(result.json).toEqual({ __type: 'InvalidRequestException', message: 'Items is required', Message: 'Items is required' });
  });

  test('validation errors name the field and what was wrong', async () => {
    expect((await post('/Echo', JSON.stringify({ Items: 'a' }))).json.message).toBe('Items must be an array, got the string "a"');
    expect((await post('/Echo', JSON.stringify({ Items: ['a', 7] }))).json.message).toBe('Items[1] must be a string, got number 7');
    expect((await post('/Echo', JSON.stringify({ Items: ['a', 'b', 'c'] }))).json.message).toBe('Items must have at most 2 items, got 3');
    expect((await post('/Echo', JSON.stringify({ Items: [], At: '2024-01-01' }))).json.message).toBe(
      'At must be a timestamp in epoch seconds, got the string "2024-01-01"',
    );
  });

  test('malformed JSON is a 400 naming the JSON error', async () => {
    const result = await post('/Echo', '{"Items": [');
    expect(result.status).toBe(400);
    expect(result.type).toBe('InvalidRequestException');
    expect(result.json.message).toMatch(/^request body is not valid JSON: /);
  });

  test('a JSON body that is not an object is refused', async () => {
    const result = await post('/Echo', '[1,2]');
    expect(result.status).toBe(400);
    expect(result.json.message).toBe('request body must be a JSON object, got an array');
  });

  test('unknown paths are a 404 in the AWS error shape', async () => {
    const result = await post('/NoSuchOperation', '{}');
    expect(result.status).toBe(404);
    expect(result.type).toBe('UnknownOperationException');
    expect(result.json.message).toBe('no operation at POST /NoSuchOperation');
  });

  test('a known path with the wrong method is a 405 listing the allowed ones', async () => {
    const response = await fetch(`${base}/Throttled`, { method: 'GET' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(((await response.json()) as { message: string }).message).toBe('GET is not allowed on /Throttled; use POST');
  });

  test('handlers may answer with any AWS error', async () => {
    const result = await post('/Throttled', '{}');
    expect(result).toMatchObject({ status: 429, type: 'ThrottledException', json: { message: 'slow down' } });
  });

  test('an unexpected failure is a 500 without internals, logged in full', async () => {
    const result = await post('/Broken', '{}');
    expect(result.status).toBe(500);
    expect(result.json.message).not.toContain('disk on fire');
    expect(errors.some((line) => line.includes('POST /Broken failed') && line.includes('disk on fire'))).toBe(true);
  });

  test('whatever a handler throws (null, a value too deep to print) is a logged 500, and the server keeps serving', async () => {
    const logged = errors.length;
    for (const path of ['/ThrowsNull', '/ThrowsDeep']) {
      const result = await post(path, '{}');
      expect(result, path).toMatchObject({ status: 500, type: 'ServiceException', json: { __type: 'ServiceException' } });
    }
    const lines = errors.slice(logged);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('POST /ThrowsNull failed: a thrown null');
    expect(lines[1]).toContain('POST /ThrowsDeep failed: a thrown [[[[...]]]]');
    expect((await post('/Echo', JSON.stringify({ Items: ['ok'] }))).status).toBe(200);
  });

  test('an answer that cannot be written cuts its connection only', async () => {
    await expect(fetch(`${base}/BadHeader`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect((await post('/Echo', JSON.stringify({ Items: ['ok'] }))).status).toBe(200);
  });

  test('a body over the limit is a 413, whether declared or streamed', async () => {
    const declared = await post('/Echo', JSON.stringify({ Items: ['x'.repeat(LIMIT)] }));
    expect(declared.status).toBe(413);
    expect(declared.json.message).toBe(`request body is larger than the limit of ${LIMIT} bytes`);

    // Chunked, so the server only learns the size while reading.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/Echo`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('{"Items":["');
      req.write('y'.repeat(LIMIT * 2));
      req.end('"]}');
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body)).toMatchObject({ __type: 'RequestEntityTooLargeException' });
  });

  test('the server keeps answering after bad requests', async () => {
    expect((await post('/Echo', JSON.stringify({ Items: ['ok'] }))).status).toBe(200);
  });

  test('a body that is not valid UTF-8 is refused, not read with replacement characters', async () => {
    const body = Buffer.concat([Buffer.from('{"Items":["a'), Buffer.from([0xff]), Buffer.from('"]}')]);
    const response = await fetch(`${base}/Echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe('request body is not valid UTF-8');
  });

  test('a request target that is not a URL is a 400, not a request left unanswered', async () => {
    // node:http passes an absolute-form target on as it came.
    const logged = errors.length;
    const answer = await sendRawText('127.0.0.1', server.address.port, 'POST http://[bad/Echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('x-amzn-errortype: InvalidRequestException');
    expect(answer).toContain('"message":"\\"http://[bad/Echo\\" is not a valid request target; send a path such as /Name"');
    expect(errors).toHaveLength(logged);
  });

  test('a long unknown path is named by its start', async () => {
    const result = await post(`/${'p'.repeat(5000)}`, '{}');
    expect(result.status).toBe(404);
    expect(result.json.message).toBe(`no operation at POST /${'p'.repeat(99)}...`);
  });

  test('errors carry a request id header', async () => {
    const response = await fetch(`${base}/Nope`, { method: 'POST' });
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('invalidRequest', () => {
  test('is a 400 InvalidRequestException', () => {
    const error = invalidRequest('x is wrong');
    expect([error.status, error.type, error.message]).toEqual([400, 'InvalidRequestException', 'x is wrong']);
  });
});
