import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { APIGatewayProxyResult } from 'aws-lambda';

const tracer = new Tracer({ serviceName: 'example-caller' });
// Traced: the invocation is this function's `Lambda` subsegment, and the callee continues the trace.
const lambda = tracer.captureAWSv3Client(new LambdaClient({}));

/** A REST API proxy handler that invokes another function synchronously and answers its result. */
export const handler = async (): Promise<APIGatewayProxyResult> => {
  const calleeName = process.env['CALLEE_NAME'];
  if (calleeName === undefined) throw new Error('CALLEE_NAME is not set');
  const result = await lambda.send(new InvokeCommand({ FunctionName: calleeName, Payload: JSON.stringify({ from: 'caller' }) }));
  const payload: unknown = JSON.parse(Buffer.from(result.Payload ?? new Uint8Array()).toString('utf8') || 'null');
  if (result.FunctionError !== undefined) {
    return { statusCode: 502, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ functionError: result.FunctionError, payload }) };
  }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ callee: payload }) };
};
