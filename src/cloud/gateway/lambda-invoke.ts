import { errorText } from '../../common/preview.ts';
import type { InvocationType, InvokeResult, LambdaInvoker, TraceHeader } from '../core/types.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';
import type { IntegrationCall } from './stage-segment.ts';

/**
 * One call from an integration (Lambda proxy, Lambda custom, authorizer) to the local Lambda
 * service: the `Lambda` subsegment of the stage segment (its id is the function's parent), the
 * integration timeout (504) and Lambda refusing the invocation (500).
 */

export interface FunctionCall {
  readonly functionName: string;
  readonly payload: unknown;
  readonly invocationType: InvocationType;
  readonly region: string;
  readonly sourceArn: string;
  readonly timeoutMs: number;
  /** The stage's trace; the call's subsegment id is made only when sampled. */
  readonly trace: { readonly root: string; readonly sampled: boolean } | undefined;
}

export type FunctionOutcome =
  | { readonly kind: 'result'; readonly result: InvokeResult; readonly call: IntegrationCall | undefined }
  | { readonly kind: 'failed'; readonly answer: GatewayAnswer; readonly failure: string; readonly call: IntegrationCall | undefined };

export interface InvokeDeps {
  readonly nowMs: () => number;
  readonly segmentId: () => string;
}

export async function invokeFunction(lambda: LambdaInvoker, call: FunctionCall, deps: InvokeDeps): Promise<FunctionOutcome> {
  const callId = call.trace?.sampled === true ? deps.segmentId() : undefined;
  const trace: TraceHeader | undefined = call.trace === undefined
    ? undefined
    : { root: call.trace.root, ...(callId !== undefined ? { parent: callId } : {}), sampled: call.trace.sampled };
  const startedMs = deps.nowMs();
  const { functionName } = call;
  const describe = (status: number | undefined, failure?: string): IntegrationCall | undefined => callId === undefined ? undefined : {
    id: callId,
    name: 'Lambda',
    startTime: startedMs / 1000,
    endTime: deps.nowMs() / 1000,
    url: `https://lambda.${call.region}.amazonaws.com/2015-03-31/functions/${functionName}/invocations`,
    method: 'POST',
    operation: 'Invoke',
    region: call.region,
    resource: { function_name: functionName.split(':')[6] ?? functionName },
    status,
    requestId: undefined,
    contentLength: undefined,
    failure: failure === undefined ? undefined : { id: deps.segmentId(), message: failure },
  };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), call.timeoutMs);
  });
  let result;
  try {
    result = await Promise.race([
      lambda.invoke({
        functionName,
        payload: call.payload,
        invocationType: call.invocationType,
        ...(trace !== undefined ? { trace } : {}),
        caller: { kind: 'apigateway', arn: call.sourceArn },
      }),
      timeout,
    ]);
  } catch (error) {
    const message = `Lambda invocation failed: ${errorText(error)}`;
    return { kind: 'failed', answer: answers.internalServerError(), failure: message, call: describe(undefined, message) };
  } finally {
    clearTimeout(timer);
  }
  if (result === 'timeout') {
    const message = `Lambda invocation timed out after ${call.timeoutMs} ms`;
    return { kind: 'failed', answer: answers.integrationTimeout(), failure: message, call: describe(undefined, message) };
  }
  if (result.statusCode !== 200 && result.statusCode !== 202 && result.statusCode !== 204) {
    const message = `Lambda invocation failed with status: ${result.statusCode}${result.errorMessage !== undefined ? ` (${result.errorMessage})` : ''}`;
    return { kind: 'failed', answer: answers.internalServerError(), failure: message, call: describe(result.statusCode, message) };
  }
  return { kind: 'result', result, call: describe(result.statusCode) };
}
