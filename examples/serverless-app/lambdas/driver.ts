import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const tracer = new Tracer({ serviceName: 'example-driver' });
// Traced: each call is this function's subsegment, and the receivers continue the trace (the stream excepted, as on AWS).
const sns = tracer.captureAWSv3Client(new SNSClient({}));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const events = tracer.captureAWSv3Client(new EventBridgeClient({}));

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
}

/** `POST /prod/drive/{flow}`: starts one of the event flows, each message or event tagged with the request's `run`. */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const flow = event.pathParameters?.['flow'];
  const run = (JSON.parse(event.body ?? '{}') as { run?: string }).run ?? 'run';
  const done: string[] = [];
  switch (flow) {
    case 'publish': {
      // Three messages: one for the attribute filter, one for the body filter, one for neither.
      const topicArn = env('TOPIC_ARN');
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ run, size: 'small' }), MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } } }));
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ run, size: 'big' }), MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } } }));
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ run, size: 'small' }), MessageAttributes: { color: { DataType: 'String', StringValue: 'green' } } }));
      done.push('published 3');
      break;
    }
    case 'fifo': {
      // Two groups interleaved: the consumer must see each group's messages in this order.
      const sends: Array<[string, number]> = [['A', 1], ['B', 1], ['A', 2], ['B', 2], ['A', 3]];
      for (const [group, seq] of sends) {
        await sqs.send(new SendMessageCommand({ QueueUrl: env('FIFO_QUEUE_URL'), MessageBody: JSON.stringify({ run, group, seq }), MessageGroupId: `${run}-${group}`, MessageDeduplicationId: `${run}-${group}-${seq}` }));
      }
      done.push('sent 5');
      break;
    }
    case 'stream': {
      const table = env('ORDERS_TABLE');
      await dynamodb.send(new PutItemCommand({ TableName: table, Item: { id: { S: run }, status: { S: 'new' } } }));
      await dynamodb.send(new UpdateItemCommand({ TableName: table, Key: { id: { S: run } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } }));
      done.push('written 2');
      break;
    }
    case 'events': {
      // One event the rule matches, one it does not.
      const result = await events.send(new PutEventsCommand({
        Entries: [
          { EventBusName: env('BUS_NAME'), Source: 'example.driver', DetailType: 'OrderPlaced', Detail: JSON.stringify({ run, kind: 'matched' }) },
          { EventBusName: env('BUS_NAME'), Source: 'example.driver', DetailType: 'OrderIgnored', Detail: JSON.stringify({ run, kind: 'ignored' }) },
        ],
      }));
      if ((result.FailedEntryCount ?? 0) > 0) throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
      done.push('put 2');
      break;
    }
    default:
      return { statusCode: 404, body: JSON.stringify({ error: `no flow ${String(flow)}` }) };
  }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ flow, done }) };
};
