import type { ApiResource, RestApi } from './api-model.ts';
import type { AwsIntegrationTarget } from './aws-uri.ts';
import { IntegrationUriError, parseAwsIntegrationUri } from './aws-uri.ts';
import { mediaType } from './integration-request.ts';
import { functionFromUri } from './lambda-proxy.ts';

/**
 * How an AWS integration speaks to the service its URI names, in that service's own protocol:
 * SNS and SQS the Query protocol (a form body, `Action` in the URL for `action/` URIs, a queue's
 * URL path for SQS `path/<account>/<queue>`); DynamoDB, and SQS when the template sends
 * `application/x-amz-json-1.0`, the JSON protocol with the `X-Amz-Target` the action names. The
 * signing scope names the service, and the local endpoint dispatches on it, so the service is
 * always the URI's, never guessed from the body.
 */

const JSON_1_0 = 'application/x-amz-json-1.0';

/** The JSON protocol's target prefix of each service the local endpoint runs; undefined for Query-only ones. */
const LOCAL_SERVICES: Readonly<Record<string, { readonly jsonTarget: string | undefined; readonly jsonOnly: boolean }>> = {
  sns: { jsonTarget: undefined, jsonOnly: false },
  sqs: { jsonTarget: 'AmazonSQS', jsonOnly: false },
  dynamodb: { jsonTarget: 'DynamoDB_20120810', jsonOnly: true },
};

export function isLocalService(service: string): boolean {
  return Object.hasOwn(LOCAL_SERVICES, service);
}

export interface ShapedCall {
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The query string and headers of the call: `headers` are the integration request's (lower-case
 * names, content-type included), `query` the URI's action parameters and the mapped query string.
 */
export function shapeServiceCall(target: AwsIntegrationTarget, headers: Readonly<Record<string, string>>, query: Readonly<Record<string, string>>): ShapedCall {
  const protocol = LOCAL_SERVICES[target.service];
  if (protocol === undefined) return { query, headers };
  const json = protocol.jsonOnly || mediaType(headers['content-type']) === JSON_1_0 || headers['x-amz-target'] !== undefined;
  // API Gateway asks the Query services for JSON (`{"SendMessageResponse":{..}}`), which the response templates read.
  if (!json) return { query, headers: { accept: 'application/json', ...headers } };
  if (target.action === undefined || protocol.jsonTarget === undefined) return { query, headers };
  // The JSON protocol names the operation in X-Amz-Target; the action is not a parameter there.
  const { Action: _action, ...rest } = query;
  return {
    query: rest,
    headers: {
      ...headers,
      'content-type': protocol.jsonOnly && mediaType(headers['content-type']) !== JSON_1_0 ? JSON_1_0 : (headers['content-type'] ?? JSON_1_0),
      'x-amz-target': headers['x-amz-target'] ?? `${protocol.jsonTarget}.${target.action}`,
    },
  };
}

/** A warning for each AWS integration whose URI names a service the local cloud does not run (or no URI at all). */
export function unsupportedServiceWarnings(apis: ReadonlyArray<RestApi>): string[] {
  const warnings: string[] = [];
  const visit = (api: RestApi, resource: ApiResource): void => {
    for (const method of resource.methods.values()) {
      const integration = method.integration;
      if (integration?.type !== 'AWS' || integration.uri === undefined) continue;
      // Lambda custom integrations invoke the local Lambda service directly (lambda-custom.ts).
      if (functionFromUri(integration.uri) !== undefined) continue;
      let service: string;
      try {
        service = parseAwsIntegrationUri(integration.uri, new Proxy({}, { get: () => 'x' })).service;
      } catch (error) {
        if (error instanceof IntegrationUriError) warnings.push(`${api.name}: ${method.httpMethod} ${resource.path} (${method.logicalId}): ${error.message}; it answers 500`);
        continue;
      }
      if (!isLocalService(service)) {
        warnings.push(`${api.name}: ${method.httpMethod} ${resource.path} (${method.logicalId}) integrates with the AWS service "${service}", whose API the local AWS endpoint does not serve; it answers 500`);
      }
    }
    for (const child of resource.children) visit(api, child);
  };
  for (const api of apis) visit(api, api.root);
  return warnings;
}

/** The resource a `path/` URI names for the X-Ray subsegment: SQS's `path/<account>/<queue>` is the queue's URL. */
export function resourceOfTarget(target: AwsIntegrationTarget, region: string): Record<string, string> {
  if (target.service === 'sqs' && target.form === 'path' && /^\/[^/]+\/[^/]+$/.test(target.path)) {
    return { queue_url: `https://sqs.${region}.amazonaws.com${target.path}` };
  }
  return {};
}
