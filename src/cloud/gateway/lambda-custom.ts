import type { LambdaInvoker } from '../core/types.ts';
import type { ServiceResponse } from './aws-service-client.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';
import { invokeFunction } from './lambda-invoke.ts';
import type { InvokeDeps } from './lambda-invoke.ts';
import { functionFromUri } from './lambda-proxy.ts';
import type { IntegrationCall } from './stage-segment.ts';

/**
 * Lambda custom integrations (`AWS` with a Lambda URI): the request template's output is the
 * event, the function is invoked (RequestResponse, or Event when the integration request maps
 * `X-Amz-Invocation-Type: 'Event'`), and its result is the integration response's `$input`. A
 * function error's payload (`{"errorMessage", "errorType", "stackTrace"}`) is `$input` too, and its
 * errorMessage is what the SelectionPatterns match; with none matching, the default response
 * answers it, 200 OK unless mapped.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/handle-errors-in-lambda-integration.html
 */

export interface LambdaCustomCall {
  readonly uri: string;
  /** The rendered request template (or the passed-through body). */
  readonly body: string;
  /** Integration request headers mapped by RequestParameters. */
  readonly headers: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly region: string;
  readonly sourceArn: string;
  readonly timeoutMs: number;
  readonly trace: { readonly root: string; readonly sampled: boolean } | undefined;
}

export type LambdaCustomOutcome =
  | { readonly backend: ServiceResponse; readonly lambdaError: string | undefined; readonly call: IntegrationCall | undefined }
  | { readonly failure: string; readonly answer: GatewayAnswer; readonly call: IntegrationCall | undefined };

export async function invokeLambdaCustom(lambda: LambdaInvoker | undefined, call: LambdaCustomCall, deps: InvokeDeps): Promise<LambdaCustomOutcome> {
  const functionName = functionFromUri(call.uri, call.stageVariables);
  if (functionName === undefined) {
    return { failure: `configuration error: integration URI "${call.uri}" names no Lambda function`, answer: answers.internalServerError(), call: undefined };
  }
  if (lambda === undefined) return { failure: 'no Lambda service to invoke', answer: answers.internalServerError(), call: undefined };
  let payload: unknown = {};
  if (call.body.trim() !== '') {
    try {
      payload = JSON.parse(call.body) as unknown;
    } catch {
      // Lambda refuses the call (InvalidRequestContentException); API Gateway answers 500.
      return { failure: 'Lambda invocation failed: Could not parse request body into json (InvalidRequestContentException)', answer: answers.internalServerError(), call: undefined };
    }
  }
  const invocationType = Object.entries(call.headers).find(([name]) => name.toLowerCase() === 'x-amz-invocation-type')?.[1] === 'Event' ? 'Event' : 'RequestResponse';
  const outcome = await invokeFunction(lambda, {
    functionName, payload, invocationType, region: call.region, sourceArn: call.sourceArn, timeoutMs: call.timeoutMs, trace: call.trace,
  }, deps);
  if (outcome.kind === 'failed') return { failure: outcome.failure, answer: outcome.answer, call: outcome.call };
  const { result } = outcome;
  const body = result.payload === undefined ? '' : JSON.stringify(result.payload);
  const backend: ServiceResponse = { status: 200, headers: { 'content-type': 'application/json' }, body };
  if (result.functionError === undefined) return { backend, lambdaError: undefined, call: outcome.call };
  const errorPayload = typeof result.payload === 'object' && result.payload !== null ? result.payload as Record<string, unknown> : {};
  const message = typeof errorPayload.errorMessage === 'string' ? errorPayload.errorMessage : result.errorMessage ?? '';
  return { backend, lambdaError: message, call: outcome.call };
}
