import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Trace } from '@aws-sdk/client-xray';
import { eventually } from '../../support/eventually.ts';

export interface SegmentView {
  readonly name: string;
  readonly origin: string | undefined;
  readonly parentId: string | undefined;
  /** The segment's id and those of all its subsegments. */
  readonly ids: string[];
}

interface Doc {
  id?: string;
  name?: string;
  origin?: string;
  parent_id?: string;
  subsegments?: Doc[];
}

function idsOf(doc: Doc): string[] {
  return [doc.id ?? '', ...(doc.subsegments ?? []).flatMap(idsOf)];
}

/** The stored segments of a trace, with the ids a child may name as its parent. */
export function allSegments(trace: Trace): SegmentView[] {
  return (trace.Segments ?? []).map((segment) => {
    const doc = JSON.parse(segment.Document ?? '{}') as Doc;
    return { name: doc.name ?? '', origin: doc.origin, parentId: doc.parent_id, ids: idsOf(doc) };
  });
}

/** A path's count in the Hits table, read with an UpdateItem that adds 0 (all the table's role may do). */
export async function hitsOf(client: DynamoDBClient, table: string, path: string): Promise<number> {
  const result = await client.send(new UpdateItemCommand({
    TableName: table,
    Key: { path: { S: path } },
    UpdateExpression: 'ADD hits :zero',
    ExpressionAttributeValues: { ':zero': { N: '0' } },
    ReturnValues: 'ALL_NEW',
  }));
  return Number(result.Attributes?.['hits']?.N ?? '0');
}

/** The event SNS delivers to a subscribed function, with one message. */
export function snsEvent(message: string): unknown {
  return {
    Records: [{
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:topic:subscription',
      Sns: { Type: 'Notification', MessageId: 'e2e', TopicArn: 'arn:aws:sns:us-east-1:000000000000:topic', Subject: null, Message: message, Timestamp: new Date(0).toISOString(), MessageAttributes: {} },
    }],
  };
}

/** Polls until the condition holds, at most `timeoutMillis`; then fails naming what it waited for. */
export function waitFor(what: string, timeoutMillis: number, condition: () => boolean | Promise<boolean>): Promise<void> {
  return eventually(condition, { what, timeoutMs: timeoutMillis, intervalMs: 100 });
}

/** The messageId field of the first structured log record with this message. */
export function messageIdOf(lines: readonly string[], message: string): string | undefined {
  for (const line of lines) {
    const json = line.slice(line.indexOf('] ') + 2);
    if (!json.startsWith('{')) continue;
    try {
      const record = JSON.parse(json) as Record<string, unknown>;
      if (record['message'] === message && typeof record['messageId'] === 'string') return record['messageId'];
    } catch {
      // A line that only looks like JSON.
    }
  }
  return undefined;
}
