/**
 * The service's operations against the AWS SDK's model: every `*Command` that @aws-sdk/client-xray
 * exports has its operation schema (HTTP method and path); the service must route each one, and
 * route nothing else but its local extensions. A new AWS operation fails here until it is served.
 */
import * as xray from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SUMMARY_COUNT_PATH } from '../../../src/xray/api/summary-count.ts';
import { TELEMETRY_SUMMARIES_PATH } from '../../../src/xray/api/telemetry.ts';
import { CONSOLE_LOG_PATHS } from '../../../src/xray/api/console-logs.ts';
import { inMemoryApiRouter } from '../support/api-router.ts';
import { NOW, startApiService, type ApiService } from '../support/api-service.ts';

/** Routes that are not AWS operations: the console reads them. */
const LOCAL_EXTENSIONS = [TELEMETRY_SUMMARIES_PATH, SUMMARY_COUNT_PATH, ...CONSOLE_LOG_PATHS];

interface SdkOperation {
  readonly name: string;
  readonly method: string;
  readonly path: string;
}

/** An operation schema is `[9, namespace, name, { http: [method, path, status] }, input, output]`. */
function sdkOperations(): SdkOperation[] {
  const exports = xray as unknown as Record<string, unknown>;
  return Object.keys(exports)
    .filter((key) => /^[A-Z]\w+Command$/.test(key) && typeof exports[key] === 'function')
    .map((key) => {
      const name = key.slice(0, -'Command'.length);
      const schema = exports[`${name}$`] as [number, string, string, { http: [string, string, number] }] | undefined;
      if (schema === undefined) throw new Error(`no operation schema ${name}$ beside ${key}`);
      const [method, path] = schema[3].http;
      return { name, method, path };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('operations: the service against the SDK model', () => {
  let api: ApiService;
  beforeAll(async () => {
    api = await startApiService();
  });
  afterAll(async () => api.stop());

  test('the SDK model has the 38 operations of the X-Ray API, all POST', () => {
    const operations = sdkOperations();
    expect(operations).toHaveLength(38);
    expect(operations.every((operation) => operation.method === 'POST')).toBe(true);
  });

  test.each(sdkOperations().map((operation) => [operation.name, operation] as const))('%s is routed', async (_name, operation) => {
    const response = await fetch(`${api.service.api.url}${operation.path}`, { method: operation.method, body: '{}', headers: { 'content-type': 'application/json' } });
    // Answered by the operation: a result, or its refusal of an empty request; never "no such operation".
    expect(response.status, await response.clone().text()).not.toBe(404);
    expect(response.status).toBeLessThan(500);
    if (response.status !== 200) expect(response.headers.get('x-amzn-errortype')).not.toBe('UnknownOperationException');
  });

  test('the API routes nothing but the SDK operations and its local extensions', () => {
    const expected = [...sdkOperations().map((operation) => operation.path), ...LOCAL_EXTENSIONS].sort();
    expect(apiRouter().list().map((route) => `${route.method} ${route.path}`).sort()).toEqual(expected.map((path) => `POST ${path}`));
  });
});

function apiRouter() {
  return inMemoryApiRouter(NOW);
}
