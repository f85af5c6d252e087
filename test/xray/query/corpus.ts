/**
 * A fixed corpus of hand-built trace views shaped like the X-Ray Tracer pattern: API Gateway ->
 * SNS fan-out -> Lambdas -> DynamoDB / a remote HTTPS endpoint that faults / SNS -> SNS /
 * SQS -> consumer, plus gateway errors, a throttle, a partial trace, a non-HTTP trace and one
 * with unicode and hostile-looking values.
 */
import type {
  AnnotationValue, EdgeView, GroupMembership, HttpView, RootCause, RootCauseEntity, RootCauseService, ServiceView, TraceView,
} from '../../../src/xray/query/index.ts';

const API = 'xray-tracer-api/prod';
const STAGE = 'AWS::ApiGateway::Stage';
const LAMBDA = 'AWS::Lambda';
const FUNCTION = 'AWS::Lambda::Function';
const BASE_URL = 'https://abc123.execute-api.us-east-1.amazonaws.com';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0';

const DEFAULT: GroupMembership = { name: 'Default', arn: 'arn:aws:xray:us-east-1:123456789012:group/Default' };
const FAULTS: GroupMembership = { name: 'faults', arn: 'arn:aws:xray:us-east-1:123456789012:group/faults/AB12CD34' };
const SLOW: GroupMembership = { name: 'slow', arn: 'arn:aws:xray:us-east-1:123456789012:group/slow/EF56GH78' };

type Outcome = 'ok' | 'error' | 'throttle' | 'fault' | 'none';

function outcome(o: Outcome | readonly Outcome[]) {
  const all: readonly Outcome[] = typeof o === 'string' ? [o] : o;
  return {
    ok: all.includes('ok'),
    error: all.includes('error') || all.includes('throttle'),
    throttle: all.includes('throttle'),
    fault: all.includes('fault'),
  };
}

function service(
  name: string, type: string, o: Outcome | readonly Outcome[], responseTime: number | undefined,
  extra: { root?: boolean; inferred?: boolean } = {},
): ServiceView {
  return { name, type, root: extra.root ?? false, inferred: extra.inferred ?? false, ...outcome(o), responseTime };
}

function edge(source: [string, string], destination: [string, string], o: Outcome | readonly Outcome[], responseTime: number): EdgeView {
  return {
    source: { name: source[0], type: source[1] },
    destination: { name: destination[0], type: destination[1] },
    ...outcome(o),
    responseTime,
  };
}

function entity(name: string, extra: Partial<RootCauseEntity> = {}): RootCauseEntity {
  return { name, remote: false, exceptions: [], coverage: undefined, ...extra };
}

function cause(...services: RootCauseService[]): RootCause {
  return { services };
}

function http(path: string | undefined, extra: Partial<HttpView> = {}): HttpView {
  if (path === undefined) return { url: undefined, method: undefined, userAgent: undefined, clientIp: undefined, status: undefined };
  return { url: `${BASE_URL}${path}`, method: 'GET', userAgent: BROWSER, clientIp: '203.0.113.10', status: 200, ...extra };
}

interface TraceSpec {
  readonly id: string;
  readonly outcome: Outcome | readonly Outcome[];
  readonly responseTime: number | undefined;
  readonly duration: number | undefined;
  readonly http: HttpView;
  readonly partial?: boolean;
  readonly users?: readonly string[];
  readonly availabilityZones?: readonly string[];
  readonly instanceIds?: readonly string[];
  readonly resourceArns?: readonly string[];
  readonly annotations?: ReadonlyArray<readonly [string, readonly AnnotationValue[]]>;
  readonly services: readonly ServiceView[];
  readonly edges?: readonly EdgeView[];
  readonly groups?: readonly GroupMembership[];
  readonly rootCauses?: Partial<TraceView['rootCauses']>;
}

function trace(spec: TraceSpec): TraceView {
  return {
    id: spec.id,
    responseTime: spec.responseTime,
    duration: spec.duration,
    http: spec.http,
    ...outcome(spec.outcome),
    partial: spec.partial ?? false,
    users: spec.users ?? [],
    availabilityZones: spec.availabilityZones ?? [],
    instanceIds: spec.instanceIds ?? [],
    resourceArns: spec.resourceArns ?? [],
    annotations: new Map(spec.annotations ?? []),
    services: spec.services,
    edges: spec.edges ?? [],
    groups: [DEFAULT, ...(spec.groups ?? [])],
    rootCauses: { fault: [], error: [], responseTime: [], ...spec.rootCauses },
  };
}

const api = (o: Outcome | readonly Outcome[], rt: number) => service(API, STAGE, o, rt, { root: true });
const fanOut = (o: Outcome, rt: number) => service('fan-out', 'AWS::SNS', o, rt, { inferred: true });
const hits = (o: Outcome | readonly Outcome[], rt: number) => service('Hits', 'AWS::DynamoDB::Table', o, rt, { inferred: true });
const apiToFanOut = (o: Outcome, rt: number) => edge([API, STAGE], ['fan-out', 'AWS::SNS'], o, rt);
const fanOutTo = (fn: string, rt: number) => edge(['fan-out', 'AWS::SNS'], [fn, LAMBDA], 'ok', rt);
const DYNAMO_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:dynamo-fn';

export const TRACES: readonly TraceView[] = [
  trace({
    id: 'dynamo-ok', outcome: 'ok', responseTime: 0.085, duration: 0.62,
    http: http('/prod/dynamo', { userAgent: 'curl/8.5.0' }), users: ['alice'], resourceArns: [DYNAMO_ARN],
    annotations: [['path', ['/prod/dynamo']]],
    services: [api('ok', 0.085), fanOut('ok', 0.03), service('dynamo-fn', LAMBDA, 'ok', 0.45), service('dynamo-fn', FUNCTION, 'ok', 0.4), hits('ok', 0.05)],
    edges: [apiToFanOut('ok', 0.03), fanOutTo('dynamo-fn', 0.45), edge(['dynamo-fn', FUNCTION], ['Hits', 'AWS::DynamoDB::Table'], 'ok', 0.05)],
  }),
  trace({
    id: 'http-ssl-fault', outcome: 'ok', responseTime: 0.09, duration: 0.7,
    http: http('/prod/http'), users: ['bob'],
    annotations: [['path', ['/prod/http']]],
    services: [api('ok', 0.09), fanOut('ok', 0.03), service('http-fn', LAMBDA, 'ok', 0.2), service('http-fn', FUNCTION, 'fault', 0.12)],
    edges: [apiToFanOut('ok', 0.03), fanOutTo('http-fn', 0.2)],
    groups: [FAULTS],
    rootCauses: {
      fault: [cause({
        name: 'http-fn', type: FUNCTION, inferred: false,
        entityPath: [entity('http-fn', { exceptions: [{ name: 'Error', message: 'SSL Cert Exception' }] })],
      })],
    },
  }),
  trace({
    id: 'http-remote-fault', outcome: 'ok', responseTime: 0.1, duration: 1.4,
    http: http('/prod/http'), users: ['bob'],
    annotations: [['path', ['/prod/http']], ['status_code', [500]]],
    services: [
      api('ok', 0.1), fanOut('ok', 0.03), service('http-fn', LAMBDA, 'ok', 1.25), service('http-fn', FUNCTION, 'ok', 1.2),
      service('api.example.test', 'remote', 'fault', 1.1, { inferred: true }),
    ],
    edges: [apiToFanOut('ok', 0.03), fanOutTo('http-fn', 1.25), edge(['http-fn', FUNCTION], ['api.example.test', 'remote'], 'fault', 1.1)],
    groups: [FAULTS, SLOW],
    rootCauses: {
      fault: [cause({
        name: 'api.example.test', type: 'remote', inferred: true,
        entityPath: [
          entity('http-fn'), entity('external HTTP Request'),
          entity('api.example.test', { remote: true, exceptions: [{ name: 'HTTPError', message: '500 Internal Server Error' }] }),
        ],
      })],
      responseTime: [cause({
        name: 'api.example.test', type: 'remote', inferred: true,
        entityPath: [
          entity('http-fn', { coverage: 0.9 }), entity('external HTTP Request', { coverage: 0.85 }),
          entity('api.example.test', { remote: true, coverage: 0.78 }),
        ],
      })],
    },
  }),
  trace({
    id: 'sns-chain', outcome: 'ok', responseTime: 0.07, duration: 0.9,
    http: http('/prod/sns'),
    annotations: [['path', ['/prod/sns']], ['message', ['Simulated Message']], ['message_content', ['Simulated Message']], ['mixed', [false]]],
    services: [
      api('ok', 0.07), fanOut('ok', 0.02), service('sns-fn', LAMBDA, 'ok', 0.3), service('sns-fn', FUNCTION, 'ok', 0.25),
      service('second-topic', 'AWS::SNS', 'ok', 0.04, { inferred: true }),
      service('sns-subscriber-fn', LAMBDA, 'ok', 0.1), service('sns-subscriber-fn', FUNCTION, 'ok', 0.08),
    ],
    edges: [
      apiToFanOut('ok', 0.02), fanOutTo('sns-fn', 0.3), edge(['sns-fn', FUNCTION], ['second-topic', 'AWS::SNS'], 'ok', 0.04),
      edge(['second-topic', 'AWS::SNS'], ['sns-subscriber-fn', LAMBDA], 'ok', 0.1),
    ],
  }),
  trace({
    id: 'sqs-flow', outcome: 'ok', responseTime: 0.075, duration: 2.3,
    http: http('/prod/sqs'),
    annotations: [['path', ['/prod/sqs']], ['message', ['hello from /prod/sqs']]],
    services: [
      api('ok', 0.075), fanOut('ok', 0.02), service('sqs-fn', LAMBDA, 'ok', 0.2), service('sqs-fn', FUNCTION, 'ok', 0.18),
      service('hits-queue', 'AWS::SQS::Queue', 'ok', 0.03, { inferred: true }),
      service('sqs-consumer-fn', LAMBDA, 'ok', 0.15), service('sqs-consumer-fn', FUNCTION, 'ok', 0.12),
    ],
    edges: [
      apiToFanOut('ok', 0.02), fanOutTo('sqs-fn', 0.2), edge(['sqs-fn', FUNCTION], ['hits-queue', 'AWS::SQS::Queue'], 'ok', 0.03),
      edge(['hits-queue', 'AWS::SQS::Queue'], ['sqs-consumer-fn', LAMBDA], 'ok', 0.15),
    ],
    groups: [SLOW],
  }),
  trace({
    id: 'gateway-400', outcome: 'error', responseTime: 0.004, duration: 0.004,
    http: http('/prod/%ZZ', { method: 'POST', userAgent: 'curl/8.5.0', status: 400 }),
    services: [api('error', 0.004)],
    rootCauses: {
      error: [cause({
        name: API, type: STAGE, inferred: false,
        entityPath: [entity(API, { exceptions: [{ name: 'BadRequestException', message: 'Invalid request path' }] })],
      })],
    },
  }),
  trace({
    id: 'throttled', outcome: 'throttle', responseTime: 0.002, duration: 0.002,
    http: http('/prod/dynamo', { userAgent: 'aws-sdk-js/3.1169.0', clientIp: '198.51.100.7', status: 429 }), users: ['carol'],
    services: [api('throttle', 0.002)],
    rootCauses: {
      error: [cause({
        name: API, type: STAGE, inferred: false,
        entityPath: [entity(API, { exceptions: [{ name: 'TooManyRequestsException', message: 'Rate exceeded' }] })],
      })],
    },
  }),
  trace({
    id: 'sns-publish-fault', outcome: 'fault', responseTime: 0.35, duration: 0.35,
    http: http('/prod/sns', { clientIp: '198.51.100.7', status: 500 }), users: ['alice'],
    services: [api('fault', 0.35), fanOut('fault', 0.3)],
    edges: [apiToFanOut('fault', 0.3)],
    groups: [FAULTS],
    rootCauses: {
      fault: [cause({
        name: 'fan-out', type: 'AWS::SNS', inferred: true,
        entityPath: [
          entity(API),
          entity('fan-out', {
            remote: true,
            exceptions: [{ name: 'InternalError', message: 'Service unavailable' }, { name: 'ServiceUnavailable', message: undefined }],
          }),
        ],
      })],
    },
  }),
  trace({
    id: 'sqs-partial', outcome: 'ok', responseTime: 0.08, duration: 1.2, partial: true,
    http: http('/prod/sqs-retry'),
    annotations: [['path', ['/prod/sqs-retry']], ['message', ['hello from /prod/sqs-retry']], ['retries', [2]]],
    services: [
      api('ok', 0.08), fanOut('ok', 0.02), service('sqs-fn', LAMBDA, 'ok', 0.2), service('sqs-fn', FUNCTION, 'ok', 0.18),
      service('hits-queue', 'AWS::SQS::Queue', 'ok', 0.03, { inferred: true }),
      service('sqs-consumer-fn', LAMBDA, 'none', undefined),
    ],
    edges: [apiToFanOut('ok', 0.02), fanOutTo('sqs-fn', 0.2), edge(['sqs-fn', FUNCTION], ['hits-queue', 'AWS::SQS::Queue'], 'ok', 0.03)],
    groups: [SLOW],
  }),
  trace({
    id: 'slow-dynamo', outcome: 'ok', responseTime: 3.2, duration: 5.5,
    http: http('/prod/dynamo/slow'), users: ['alice', 'dave'], availabilityZones: ['us-east-1a'], resourceArns: [DYNAMO_ARN],
    annotations: [['path', ['/prod/dynamo/slow']], ['retries', [3]], ['cold_start', [true]], ['mixed', [true]]],
    services: [
      api('ok', 3.2), fanOut('ok', 3.1), service('dynamo-fn', LAMBDA, 'ok', 5.2), service('dynamo-fn', FUNCTION, 'ok', 5.1),
      hits(['ok', 'throttle'], 4.4),
    ],
    edges: [apiToFanOut('ok', 3.1), fanOutTo('dynamo-fn', 5.2), edge(['dynamo-fn', FUNCTION], ['Hits', 'AWS::DynamoDB::Table'], ['ok', 'throttle'], 4.4)],
    groups: [SLOW],
    rootCauses: {
      responseTime: [cause(
        { name: 'dynamo-fn', type: FUNCTION, inferred: false, entityPath: [entity('dynamo-fn', { coverage: 0.95 }), entity('DynamoDB Query', { coverage: 0.9 })] },
        { name: 'Hits', type: 'AWS::DynamoDB::Table', inferred: true, entityPath: [entity('Hits', { remote: true, coverage: 0.85 })] },
      )],
    },
  }),
  trace({
    id: 'report-worker', outcome: 'ok', responseTime: 12.5, duration: 12.5,
    http: http(undefined), availabilityZones: ['us-east-1b'], instanceIds: ['i-0abc123def4567890'],
    annotations: [['report', ['nightly']], ['cold_start', [false]]],
    services: [service('report-worker', 'AWS::EC2::Instance', 'ok', 12.5, { root: true }), hits('ok', 0.4)],
    edges: [edge(['report-worker', 'AWS::EC2::Instance'], ['Hits', 'AWS::DynamoDB::Table'], 'ok', 0.4)],
    groups: [SLOW],
    rootCauses: {
      responseTime: [cause({
        name: 'report-worker', type: 'AWS::EC2::Instance', inferred: false,
        entityPath: [entity('report-worker', { coverage: 1 }), entity('render', { coverage: 0.7 })],
      })],
    },
  }),
  trace({
    id: 'unicode-cafe', outcome: 'ok', responseTime: 0.11, duration: 0.8,
    http: http('/prod/café', { clientIp: '2001:db8::1' }), users: ['zoë 🚀'], resourceArns: [DYNAMO_ARN],
    annotations: [
      ['path', ['/prod/café']], ['note', ['say "hi" to C:\\tmp\\']], ['sql', ["'; DROP TABLE x; --"]], ['amount', [-12.5]],
      ['__proto__', ['proto-key']], ['mixed', ['42', 42]],
    ],
    services: [api('ok', 0.11), fanOut('ok', 0.03), service('dynamo-fn', LAMBDA, 'ok', 0.5), service('dynamo-fn', FUNCTION, 'ok', 0.45), hits('ok', 0.06)],
    edges: [apiToFanOut('ok', 0.03), fanOutTo('dynamo-fn', 0.5), edge(['dynamo-fn', FUNCTION], ['Hits', 'AWS::DynamoDB::Table'], 'ok', 0.06)],
  }),
];

export const TRACE_IDS: readonly string[] = TRACES.map((t) => t.id);
