import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { DynamoDBStreamEvent, EventBridgeEvent, SQSEvent } from 'aws-lambda';

const tracer = new Tracer({ serviceName: 'example-recorder' });
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** Appends `entry` to the list of the `Seen` table's item `id`, in the order this function saw them. */
async function record(id: string, entry: unknown): Promise<void> {
  await dynamodb.send(new UpdateItemCommand({
    TableName: process.env['SEEN_TABLE'],
    Key: { id: { S: id } },
    UpdateExpression: 'SET #seen = list_append(if_not_exists(#seen, :empty), :entry)',
    ExpressionAttributeNames: { '#seen': 'seen' },
    ExpressionAttributeValues: { ':empty': { L: [] }, ':entry': { L: [{ S: JSON.stringify(entry) }] } },
  }));
}

/** The trace this invocation runs in (the stream's starts its own, as on AWS). */
function traceRoot(): string {
  return /Root=([^;]+)/.exec(process.env['_X_AMZN_TRACE_ID'] ?? '')?.[1] ?? '';
}

/**
 * Records what it receives into the `Seen` table: a FIFO queue's messages (item `fifo-<group>`, in
 * order), a table stream's records (item `stream-<id>`, with their images) and EventBridge events
 * (item `event-<run>`).
 */
export const handler = async (event: SQSEvent | DynamoDBStreamEvent | EventBridgeEvent<string, { run: string; kind: string }>): Promise<void> => {
  if ('detail-type' in event) {
    await record(`event-${event.detail.run}`, { detailType: event['detail-type'], kind: event.detail.kind, trace: traceRoot() });
    return;
  }
  for (const item of event.Records) {
    if ('body' in item) {
      const body = JSON.parse(item.body) as { run: string; group: string; seq: number };
      await record(`fifo-${body.run}-${body.group}`, body.seq);
    } else if (item.dynamodb !== undefined) {
      const id = item.dynamodb.Keys?.['id']?.S ?? '';
      await record(`stream-${id}`, { eventName: item.eventName, oldImage: item.dynamodb.OldImage ?? null, newImage: item.dynamodb.NewImage ?? null, trace: traceRoot() });
    }
  }
};
