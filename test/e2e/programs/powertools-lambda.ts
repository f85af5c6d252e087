/**
 * A Lambda handler traced with Powertools Tracer, run as Lambda runs it: LAMBDA_TASK_ROOT,
 * AWS_LAMBDA_FUNCTION_NAME and _X_AMZN_TRACE_ID set by the caller, so the X-Ray SDK uses the facade
 * segment and streams every subsegment as its own datagram. Prints `RESULT <json>` when done.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { startDynamoDbResponder } from './dynamodb-responder.ts';

const dynamo = await startDynamoDbResponder();
const tracer = new Tracer({ serviceName: 'orders' });
const client = tracer.captureAWSv3Client(
  new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1 }),
);

async function handler(event: { orderId: string; items: number }): Promise<{ statusCode: number }> {
  const facade = tracer.getSegment();
  const handlerSegment = facade?.addNewSubsegment('## index.handler');
  if (handlerSegment) tracer.setSegment(handlerSegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    tracer.putAnnotation('order_id', event.orderId);
    tracer.putAnnotation('items', event.items);
    tracer.putAnnotation('express', false);
    tracer.putMetadata('order', { id: event.orderId, lines: [{ sku: 'A-1', qty: event.items }] });
    await client.send(new PutItemCommand({ TableName: 'Orders', Item: { id: { S: event.orderId } } }));
    const validate = handlerSegment?.addNewSubsegment('validate-address');
    if (validate) tracer.setSegment(validate);
    try {
      throw new Error('address not found');
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
    } finally {
      validate?.close();
      if (handlerSegment) tracer.setSegment(handlerSegment);
    }
    const result = { statusCode: 202 };
    tracer.addResponseAsMetadata(result, 'index.handler');
    return result;
  } finally {
    handlerSegment?.close();
    if (facade) tracer.setSegment(facade);
  }
}

const result = await handler({ orderId: 'o-42', items: 3 });
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(`RESULT ${JSON.stringify(result)}`);
dynamo.close();
