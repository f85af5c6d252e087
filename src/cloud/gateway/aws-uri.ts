/**
 * AWS integration URIs: `arn:aws:apigateway:<region>:<subdomain.>service:path/<path>` (call the
 * service at that path) or `...:service:action/<Action>&<name>=<value>...` (a Query API action).
 */

export class IntegrationUriError extends Error {
  override readonly name = 'IntegrationUriError';
}

export interface AwsIntegrationTarget {
  /** The service's signing name and endpoint prefix, e.g. `sns`. */
  readonly service: string;
  /** `path/...` or `action/<Action>`. */
  readonly form: 'path' | 'action';
  /** The Action of an `action/` URI. */
  readonly action: string | undefined;
  /** The region in the URI, or undefined to use the API's own. */
  readonly region: string | undefined;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
}

const URI = /^arn:[^:]+:apigateway:([^:]*):([^:]+):(path|action)\/(.*)$/s;

/** `pathParameters` fill `{name}` placeholders (from `integration.request.path.name`). */
export function parseAwsIntegrationUri(uri: string, pathParameters: Readonly<Record<string, string>> = {}): AwsIntegrationTarget {
  const match = URI.exec(uri);
  if (match === null) {
    throw new IntegrationUriError(`integration URI "${uri}" is not arn:<partition>:apigateway:<region>:<service>:path/... or :action/...`);
  }
  const [, region = '', serviceWithSubdomain = '', form, rest = ''] = match;
  // `bucket.s3` addresses a subdomain of the service's endpoint; the service is the last label.
  const service = serviceWithSubdomain.split('.').pop() ?? serviceWithSubdomain;
  if (form === 'path') {
    const filled = rest.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
      const value = pathParameters[name];
      if (value === undefined) throw new IntegrationUriError(`integration URI "${uri}" needs path parameter ${name}, which no integration.request.path.${name} sets`);
      return encodeURIComponent(value);
    });
    return { service, form: 'path', action: undefined, region: region || undefined, path: filled.startsWith('/') ? filled : `/${filled}`, query: {} };
  }
  const [action = '', ...pairs] = rest.split('&');
  if (action === '') throw new IntegrationUriError(`integration URI "${uri}" names no action`);
  const query: Record<string, string> = { Action: action };
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    query[pair.slice(0, equals)] = decodeURIComponent(pair.slice(equals + 1));
  }
  return { service, form: 'action', action, region: region || undefined, path: '/', query };
}

/** How X-Ray names a service in the subsegment of a call to it (the SDKs' names). */
export function xrayServiceName(service: string): string {
  return SERVICE_NAMES[service] ?? service.toUpperCase();
}

const SERVICE_NAMES: Readonly<Record<string, string>> = {
  sns: 'SNS',
  sqs: 'SQS',
  dynamodb: 'DynamoDB',
  lambda: 'Lambda',
  s3: 'S3',
  states: 'SFN',
  events: 'EventBridge',
  kinesis: 'Kinesis',
  firehose: 'Firehose',
  sts: 'STS',
};
