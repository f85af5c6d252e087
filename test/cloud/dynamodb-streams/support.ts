/** A DynamoDB endpoint with streams (in-memory dynalite and stream store) for the streams tests. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynaliteEngine, DynamoDbApi, provisionTables } from '../../../src/cloud/dynamodb/index.ts';
import { StreamCapturingEngine } from '../../../src/cloud/dynamodb-streams/capturing-engine.ts';
import { provisionStreams } from '../../../src/cloud/dynamodb-streams/from-model.ts';
import { StreamStore } from '../../../src/cloud/dynamodb-streams/stream-store.ts';
import type { AwsProtocolService } from '../../../src/cloud/protocol/service.ts';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import type { CloudModel } from '../../../src/cloud/core/types.ts';
import { capturingLogger, clientConfig, countingIds, FakeClock, startEndpoint } from '../endpoint/harness.ts';
import { cloudModel, resource } from '../endpoint/model.ts';

export const TABLE = 'TheStreamStack-ItemsABCD-1A2B3C';
export const TABLE_ARN = `arn:aws:dynamodb:us-east-1:000000000000:table/${TABLE}`;
export const TEMPLATE_STREAM_ARN = `${TABLE_ARN}/stream/1970-01-01T00:00:00.000`;

/** `null`: a table without StreamSpecification. */
export function streamTableModel(streamSpecification: Record<string, unknown> | null = { StreamViewType: 'NEW_AND_OLD_IMAGES' }): CloudModel {
  return cloudModel([
    resource('TheStreamStack', 'ItemsABCD', 'AWS::DynamoDB::Table', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ...(streamSpecification !== null ? { StreamSpecification: streamSpecification } : {}),
    }, TABLE, TABLE_ARN),
  ]);
}

export interface StreamsHarness {
  readonly engine: DynaliteEngine;
  readonly capturing: StreamCapturingEngine;
  readonly store: StreamStore;
  readonly endpoint: AwsEndpoint;
  readonly client: DynamoDBClient;
  readonly clock: FakeClock;
  readonly warnings: string[];
  close(): Promise<void>;
}

export async function startStreams(model: CloudModel = streamTableModel(), extra: (capturing: StreamCapturingEngine, store: StreamStore, clock: FakeClock) => AwsProtocolService[] = () => []): Promise<StreamsHarness> {
  const clock = new FakeClock();
  const engine = new DynaliteEngine();
  await engine.start();
  const store = new StreamStore(':memory:');
  const capturing = new StreamCapturingEngine({ engine, store, region: 'us-east-1', accountId: '000000000000', clock, ids: countingIds() });
  const logger = capturingLogger();
  const warnings = [...(await provisionTables(engine, model, logger)), ...(await provisionStreams(capturing, model, logger))];
  const endpoint = await startEndpoint([new DynamoDbApi({ engine: capturing }), ...extra(capturing, store, clock)]);
  const client = new DynamoDBClient(clientConfig(endpoint));
  return {
    engine, capturing, store, endpoint, client, clock, warnings,
    close: async () => {
      client.destroy();
      await endpoint.stop();
      await engine.stop();
      store.close();
    },
  };
}
