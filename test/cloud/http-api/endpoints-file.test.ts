import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEndpoints, endpointRecords, writeEndpointsFile } from '../../../src/cloud/http-api/endpoints-file.ts';
import type { CloudModel, CloudResource } from '../../../src/cloud/core/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'endpoints-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const restApi: CloudResource = { stack: 'Api', logicalId: 'GatewayRest', type: 'AWS::ApiGateway::RestApi', properties: { Name: 'The X-Ray Tracer' }, physicalId: 'abcdefghij', arn: undefined };
const model: CloudModel = { region: 'us-east-1', accountId: '000000000000', resources: [restApi], byType: (type) => (type === restApi.type ? [restApi] : []), warnings: [] };

describe('endpoints.json', () => {
  const records = endpointRecords(
    model,
    [{ api: 'The X-Ray Tracer', stage: 'prod', url: 'http://127.0.0.1:3000/prod' }],
    [{ stack: 'S', logicalId: 'FnUrl', kind: 'function-url', physicalId: 'u'.repeat(32), name: 'fn', urls: [{ stage: undefined, url: 'http://127.0.0.1:3001/' }] }],
  );

  it('names a REST stage by the RestApi resource it comes from, with its URL ending in a slash', () => {
    expect(records[0]).toEqual({ kind: 'rest-api-stage', stack: 'Api', logicalId: 'GatewayRest', physicalId: 'abcdefghij', name: 'The X-Ray Tracer', stage: 'prod', url: 'http://127.0.0.1:3000/prod/' });
    expect(describeEndpoints(records)).toEqual([
      '  gateway  http://127.0.0.1:3000/prod/  (The X-Ray Tracer, stage prod)',
      '  fn url   http://127.0.0.1:3001/  (fn)',
    ]);
  });

  it('writes the file whole, replacing the last one, and leaves no temporary file', () => {
    writeEndpointsFile(dir, [], 0);
    const path = writeEndpointsFile(dir, records, Date.UTC(2026, 0, 1));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      writtenAt: '2026-01-01T00:00:00.000Z',
      endpoints: [
        { kind: 'rest-api-stage', url: 'http://127.0.0.1:3000/prod/', stack: 'Api', logicalId: 'GatewayRest', physicalId: 'abcdefghij', name: 'The X-Ray Tracer', stage: 'prod' },
        { kind: 'function-url', url: 'http://127.0.0.1:3001/', stack: 'S', logicalId: 'FnUrl', physicalId: 'u'.repeat(32), name: 'fn' },
      ],
    });
    expect(readdirSync(dir)).toEqual(['endpoints.json']);
  });
});
