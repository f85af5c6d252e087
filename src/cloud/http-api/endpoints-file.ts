/**
 * Where every API of the templates is served locally: REST API stages, HTTP API stages and function
 * URLs, each with its stack, logical id, physical id and kind. Printed at start and written to
 * `<data folder>/endpoints.json` (a new file renamed over the old, so a reader never sees half of
 * one), so that scripts and tests find the URLs without parsing the terminal.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudModel } from '../core/types.ts';
import type { ServedEndpoint } from './http-endpoints.ts';

export const ENDPOINTS_FILE = 'endpoints.json';

export type EndpointKind = 'rest-api-stage' | 'http-api-stage' | 'function-url';

export interface EndpointRecord {
  readonly kind: EndpointKind;
  readonly stack: string | undefined;
  readonly logicalId: string | undefined;
  /** A REST or HTTP API's id, a function URL's url id. */
  readonly physicalId: string;
  /** The API's name, or the function's. */
  readonly name: string;
  /** The stage of an API; undefined for a function URL. */
  readonly stage: string | undefined;
  /** The base URL, with a trailing slash. */
  readonly url: string;
}

/** The records of the REST stages the gateway serves (by API name) and of the HTTP endpoints. */
export function endpointRecords(
  model: CloudModel,
  restStages: ReadonlyArray<{ readonly api: string; readonly stage: string; readonly url: string }>,
  httpEndpoints: readonly ServedEndpoint[],
): EndpointRecord[] {
  const restApis = model.byType('AWS::ApiGateway::RestApi');
  const records: EndpointRecord[] = restStages.map((stage) => {
    const resource = restApis.find((api) => (typeof api.properties['Name'] === 'string' ? api.properties['Name'] : api.logicalId) === stage.api);
    return {
      kind: 'rest-api-stage',
      stack: resource?.stack,
      logicalId: resource?.logicalId,
      physicalId: resource?.physicalId ?? stage.api,
      name: stage.api,
      stage: stage.stage,
      url: stage.url.endsWith('/') ? stage.url : `${stage.url}/`,
    };
  });
  for (const endpoint of httpEndpoints) {
    for (const entry of endpoint.urls) {
      records.push({
        kind: endpoint.kind === 'http-api' ? 'http-api-stage' : 'function-url',
        stack: endpoint.stack,
        logicalId: endpoint.logicalId,
        physicalId: endpoint.physicalId,
        name: endpoint.name,
        stage: entry.stage,
        url: entry.url,
      });
    }
  }
  return records;
}

/** Writes `<dataDir>/endpoints.json` atomically; returns its path. */
export function writeEndpointsFile(dataDir: string, records: readonly EndpointRecord[], nowMs: number): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, ENDPOINTS_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  const document = {
    writtenAt: new Date(nowMs).toISOString(),
    endpoints: records.map((record) => ({
      kind: record.kind,
      url: record.url,
      stack: record.stack ?? null,
      logicalId: record.logicalId ?? null,
      physicalId: record.physicalId,
      name: record.name,
      ...(record.stage !== undefined ? { stage: record.stage } : {}),
    })),
  };
  writeFileSync(temporary, `${JSON.stringify(document, null, 2)}\n`);
  renameSync(temporary, path);
  return path;
}

/** One line each for the start-up banner, e.g. `  http api  http://127.0.0.1:3001/  (Items, stage $default)`. */
export function describeEndpoints(records: readonly EndpointRecord[]): string[] {
  const label: Record<EndpointKind, string> = { 'rest-api-stage': 'gateway ', 'http-api-stage': 'http api', 'function-url': 'fn url  ' };
  return records.map((record) => `  ${label[record.kind]} ${record.url}  (${record.name}${record.stage !== undefined ? `, stage ${record.stage}` : ''})`);
}
