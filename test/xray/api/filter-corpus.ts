/**
 * A fixed corpus of stored traces for the filter table: segment documents shaped like the
 * pattern's (API Gateway stage -> SNS fan-out -> Lambda -> DynamoDB / a remote host), plus gateway
 * errors, a throttle, an in-progress trace, an EC2 worker without HTTP, and traces with unicode
 * and hostile values. Each trace's facts are spelled out beside it, so the expected matches in
 * filter-table.test.ts can be worked out by hand.
 */
type Doc = Record<string, unknown> & { id: string };

export const TRACE_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'] as const;
export type TraceKey = (typeof TRACE_KEYS)[number];

const API = 'api/prod';
const STAGE = 'AWS::ApiGateway::Stage';
const URL = 'https://api.example.com';
const ACCOUNT = '123456789012';

class Trace {
  readonly traceId: string;
  readonly documents: Doc[] = [];
  private next = 0;

  constructor(readonly number: number, readonly t0: number) {
    this.traceId = `1-${Math.floor(t0).toString(16)}-${number.toString(16).padStart(24, '0')}`;
  }

  private id(): string {
    this.next += 1;
    return `${this.number.toString(16).padStart(8, '0')}${this.next.toString(16).padStart(8, '0')}`;
  }

  segment(name: string, from: number, to: number | undefined, fields: Record<string, unknown> = {}): Doc {
    const doc: Doc = {
      name, id: this.id(), trace_id: this.traceId, start_time: this.t0 + from,
      ...(to === undefined ? { in_progress: true } : { end_time: this.t0 + to }), ...fields,
    };
    this.documents.push(doc);
    return doc;
  }

  nested(parent: Doc, name: string, from: number, to: number, fields: Record<string, unknown> = {}): Doc {
    const doc: Doc = { name, id: this.id(), start_time: this.t0 + from, end_time: this.t0 + to, ...fields };
    parent['subsegments'] = [...((parent['subsegments'] as Doc[] | undefined) ?? []), doc];
    return doc;
  }

  /** The API stage: GET by default, answered `status` (none while in progress). */
  stage(path: string, to: number | undefined, fields: { status?: number; method?: string; agent?: string; ip?: string; extra?: Record<string, unknown> } = {}): Doc {
    const status = fields.status;
    return this.segment(API, 0, to, {
      origin: STAGE,
      http: {
        request: { method: fields.method ?? 'GET', url: `${URL}${path}`, user_agent: fields.agent ?? 'curl/8.5.0', client_ip: fields.ip ?? '203.0.113.10' },
        ...(status === undefined ? {} : { response: { status } }),
      },
      ...(status !== undefined && status >= 500 ? { fault: true } : {}),
      ...(status !== undefined && status >= 400 && status < 500 ? { error: true } : {}),
      ...(status === 429 ? { throttle: true } : {}),
      ...fields.extra,
    });
  }

  /** The stage's SNS publish to `fan-out`. */
  publish(stage: Doc, from: number, to: number, status = 200): Doc {
    return this.nested(stage, 'SNS', from, to, {
      namespace: 'aws', http: { response: { status } }, ...(status >= 500 ? { fault: true } : {}),
      aws: { operation: 'Publish', topic_arn: `arn:aws:sns:us-east-1:${ACCOUNT}:fan-out` },
    });
  }

  /** A Lambda subscribed to the topic: the service segment and the function segment under it. */
  lambda(name: string, publish: Doc, service: [number, number], fn: [number, number], fnFields: Record<string, unknown> = {}): Doc {
    const serviceDoc = this.segment(name, service[0], service[1], { parent_id: publish.id, origin: 'AWS::Lambda', http: { response: { status: 200 } } });
    return this.segment(name, fn[0], fn[1], {
      parent_id: serviceDoc.id, origin: 'AWS::Lambda::Function', aws: { account_id: ACCOUNT },
      resource_arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`, ...fnFields,
    });
  }
}

/**
 * The corpus, each trace starting `offset` seconds before `now`.
 * Facts (rt: response time, d: duration, users, annotations; nodes beyond the root `api/prod`):
 * - A dynamo-ok: GET /prod/dynamo 200, rt .08, d .6, alice, path "/prod/dynamo", retries 0, cold true;
 *   fan-out, dynamo-fn (Lambda + Function, arn ...:function:dynamo-fn), Hits (ok, .05).
 * - B http-fault: GET /prod/http 200, rt .09, d 1.3, bob, path "/prod/http", retries 2; fan-out, http-fn
 *   (Function faults: "Error: SSL Cert Exception"), remote jsonplaceholder.typicode.com 502 fault (.46).
 * - C gateway-400: POST /prod/x 400 (error), rt .003, aws-sdk-js agent, 198.51.100.7, no user, path "/prod/x".
 * - D throttled: GET /prod/dynamo 429 (error, throttle), rt .004, aws-sdk-js, 198.51.100.7, dave, retries 5, cold false.
 * - E sns-fault: GET /prod/sns 502 (fault), rt .2, alice, path "/prod/sns", note "100%_done"; the publish to fan-out faults.
 * - F slow-dynamo: GET /prod/dynamo/slow 200, rt 4.5, d 5.0, users alice (stage) and dave (function),
 *   path "/prod/dynamo/slow", retries 3 (and "3" on the function); Hits throttles (429) for 4.0 s.
 * - G partial: GET /prod/sqs, stage still in progress (no status, no rt, d 0), retries 2.
 * - H worker: report-worker on EC2 (i-0abc123, us-east-1b), no HTTP, rt 6.0, job "nightly-report", cold true.
 * - I unicode: GET /prod/café 200, rt .05, "zoë 🚀", 2001:db8::1, path "/prod/café", note "'; DROP TABLE traces; --".
 * - J hostile: GET /prod/a%25b?q=_x 201, rt .1, user "%", path "C:\temp", note "%_".
 */
export function filterCorpus(now: number): Map<TraceKey, Doc[]> {
  const traces = new Map<TraceKey, Doc[]>();
  const at = (key: TraceKey, number: number, offset: number, build: (trace: Trace) => void): void => {
    const trace = new Trace(number, now - offset);
    build(trace);
    traces.set(key, trace.documents);
  };
  at('A', 1, 500, (t) => {
    const stage = t.stage('/prod/dynamo', 0.08, { status: 200, extra: { user: 'alice', annotations: { path: '/prod/dynamo', retries: 0, cold: true } } });
    const fn = t.lambda('dynamo-fn', t.publish(stage, 0.01, 0.06), [0.1, 0.6], [0.12, 0.58]);
    t.nested(fn, 'DynamoDB', 0.2, 0.25, { namespace: 'aws', http: { response: { status: 200 } }, aws: { operation: 'UpdateItem', table_name: 'Hits' } });
  });
  at('B', 2, 450, (t) => {
    const stage = t.stage('/prod/http', 0.09, { status: 200, extra: { user: 'bob', annotations: { path: '/prod/http', retries: 2 } } });
    const fn = t.lambda('http-fn', t.publish(stage, 0.01, 0.07), [0.1, 1.3], [0.12, 1.28], {
      fault: true, cause: { exceptions: [{ id: 'e000000000000001', type: 'Error', message: 'SSL Cert Exception' }] },
    });
    t.nested(fn, 'jsonplaceholder.typicode.com', 0.3, 0.76, {
      namespace: 'remote', fault: true,
      http: { request: { method: 'GET', url: 'https://jsonplaceholder.typicode.com/todos/1' }, response: { status: 502 } },
    });
  });
  at('C', 3, 400, (t) => {
    t.stage('/prod/x', 0.003, { status: 400, method: 'POST', agent: 'aws-sdk-js/3.0', ip: '198.51.100.7', extra: { annotations: { path: '/prod/x' } } });
  });
  at('D', 4, 350, (t) => {
    t.stage('/prod/dynamo', 0.004, { status: 429, agent: 'aws-sdk-js/3.0', ip: '198.51.100.7', extra: { user: 'dave', annotations: { retries: 5, cold: false } } });
  });
  at('E', 5, 300, (t) => {
    const stage = t.stage('/prod/sns', 0.2, { status: 502, extra: { user: 'alice', annotations: { path: '/prod/sns', note: '100%_done' } } });
    t.publish(stage, 0.01, 0.19, 500);
  });
  at('F', 6, 250, (t) => {
    const stage = t.stage('/prod/dynamo/slow', 4.5, { status: 200, extra: { user: 'alice', annotations: { path: '/prod/dynamo/slow', retries: 3 } } });
    const fn = t.lambda('dynamo-fn', t.publish(stage, 0.01, 0.1), [0.2, 5.0], [0.22, 4.9], { user: 'dave', annotations: { retries: '3' } });
    t.nested(fn, 'DynamoDB', 0.3, 4.3, {
      namespace: 'aws', throttle: true, error: true, http: { response: { status: 429 } }, aws: { operation: 'UpdateItem', table_name: 'Hits' },
    });
  });
  at('G', 7, 200, (t) => {
    t.stage('/prod/sqs', undefined, { extra: { annotations: { retries: 2 } } });
  });
  at('H', 8, 150, (t) => {
    t.segment('report-worker', 0, 6, {
      origin: 'AWS::EC2::Instance', aws: { ec2: { instance_id: 'i-0abc123', availability_zone: 'us-east-1b' } },
      annotations: { job: 'nightly-report', cold: true },
    });
  });
  at('I', 9, 100, (t) => {
    t.stage('/prod/café', 0.05, { status: 200, ip: '2001:db8::1', extra: { user: 'zoë 🚀', annotations: { path: '/prod/café', note: "'; DROP TABLE traces; --" } } });
  });
  at('J', 10, 50, (t) => {
    t.stage('/prod/a%25b?q=_x', 0.1, { status: 201, extra: { user: '%', annotations: { path: 'C:\\temp', note: '%_' } } });
  });
  return traces;
}
