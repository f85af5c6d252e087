/**
 * The function call behind an HTTP API's Lambda proxy integration or a function URL: invoked
 * RequestResponse through the local Lambda service, in process. Neither service traces: the
 * function's own segment starts the trace (or continues a caller's X-Amzn-Trace-Id), as on AWS.
 */
import { errorText } from '../../common/preview.ts';
import type { LambdaInvoker, TraceHeader } from '../core/types.ts';
import { functionFromUri } from '../gateway/lambda-proxy.ts';

export type InvokeOutcome =
  | { readonly kind: 'result'; readonly payload: unknown }
  /** The handler threw, timed out or its runtime failed. */
  | { readonly kind: 'function-error'; readonly message: string }
  /** Lambda refused the invocation (no such function, throttled, ...). */
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string };

/** A function ARN or name as an integration URI gives it, plain or as `arn:aws:apigateway:...:lambda:path/.../functions/<arn>/invocations`. */
export function functionOfIntegrationUri(uri: string, stageVariables: Readonly<Record<string, string>>): string | undefined {
  const viaApiGateway = functionFromUri(uri, stageVariables);
  if (viaApiGateway !== undefined) return viaApiGateway;
  return /^arn:[^:]+:lambda:/.test(uri) || !uri.includes(':') ? uri : undefined;
}

export async function invokeFunction(
  lambda: LambdaInvoker,
  request: { readonly functionName: string; readonly event: unknown; readonly trace: TraceHeader | undefined; readonly timeoutMs: number; readonly sourceArn: string },
): Promise<InvokeOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), request.timeoutMs);
  });
  try {
    const result = await Promise.race([
      lambda.invoke({
        functionName: request.functionName,
        payload: request.event,
        invocationType: 'RequestResponse',
        ...(request.trace !== undefined ? { trace: request.trace } : {}),
        caller: { kind: 'apigateway', arn: request.sourceArn },
      }),
      timeout,
    ]);
    if (result === 'timeout') return { kind: 'timeout', message: `the function did not answer within ${request.timeoutMs} ms` };
    if (result.statusCode !== 200) return { kind: 'refused', message: `Lambda answered ${result.statusCode}${result.errorMessage !== undefined ? `: ${result.errorMessage}` : ''}` };
    if (result.functionError !== undefined) return { kind: 'function-error', message: result.errorMessage ?? JSON.stringify(result.payload) };
    return { kind: 'result', payload: result.payload };
  } catch (error) {
    return { kind: 'refused', message: errorText(error) };
  } finally {
    clearTimeout(timer);
  }
}
