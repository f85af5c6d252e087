import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { requireEnv } from './shared/env.ts';
import { firstSnsMessage } from './shared/events.ts';
import { countOutcome, createObservability, instrumentHandler, traceClient } from './shared/observability.ts';
import type { LambdaHandler, Observability } from './shared/observability.ts';
import { inSubsegment } from './shared/subsegment.ts';

export interface DynamoDependencies {
  readonly observability: Observability;
  readonly dynamodb: DynamoDBClient;
  /** The hits table, partition key `path` (string). */
  readonly tableName: string;
}

/** Counts a hit for the request path carried by the fan-out SNS message. */
export function createDynamoHandler(deps: DynamoDependencies): LambdaHandler<SNSEvent, void> {
  const { observability, dynamodb, tableName } = deps;
  const { logger, metrics } = observability;
  return instrumentHandler<SNSEvent, void>(observability, async (event) => {
    const path = firstSnsMessage(event);
    await countOutcome(metrics, { success: 'hits', failure: 'hitFailures' }, () =>
      inSubsegment(observability, 'DynamoDB Query', async (subsegment) => {
        subsegment.addAnnotation('path', path);
        subsegment.addMetadata('event', event);
        // ADD creates the item and the attribute on first use: an atomic upsert counter.
        await dynamodb.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { path: { S: path } },
            UpdateExpression: 'ADD hits :incr',
            ExpressionAttributeValues: { ':incr': { N: '1' } },
          }),
        );
      }),
    );
    logger.info('hit counted', { path });
  });
}

const observability = createObservability('xray-tracer-dynamo');

/** What the deployed function runs with: settings from its environment, AWS clients traced. */
export const defaultDependencies: DynamoDependencies = {
  observability,
  dynamodb: traceClient(observability, new DynamoDBClient({})),
  tableName: requireEnv('TABLE_NAME'),
};

export const handler = createDynamoHandler(defaultDependencies);
