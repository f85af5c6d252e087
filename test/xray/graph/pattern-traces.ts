/**
 * Hand-built traces shaped like the pattern's: API Gateway stage `xyz/prod` publishing to the SNS
 * topic `fan-out`, four Lambda flows (each an `AWS::Lambda` service segment and an
 * `AWS::Lambda::Function` segment whose subsegments arrive as standalone documents, as the SDK
 * streams them in Lambda), a DynamoDB table `Hits`, a remote host, a second SNS topic with a
 * subscriber, and an SQS queue with a consumer joined through AWSTraceHeader.
 *
 * Times are offsets in seconds from the trace's start `t0`; ids are derived from the trace number.
 */
import type { GraphDocument } from '../../../src/xray/graph/index.ts';

export const ACCOUNT = '123456789012';
export const REMOTE_HOST = 'jsonplaceholder.typicode.com';

type Doc = Record<string, unknown> & { id: string };

export class TraceBuilder {
  readonly traceId: string;
  readonly documents: Doc[] = [];
  private next = 0;

  constructor(readonly number: number, readonly t0: number) {
    this.traceId = `1-${Math.floor(t0).toString(16).padStart(8, '0')}-${number.toString(16).padStart(24, '0')}`;
  }

  id(): string {
    this.next += 1;
    return `${this.number.toString(16).padStart(8, '0')}${this.next.toString(16).padStart(8, '0')}`;
  }

  /** A segment document; `from` and `to` are offsets from t0 (`to` undefined: in progress). */
  segment(name: string, from: number, to: number | undefined, fields: Record<string, unknown> = {}): Doc {
    const doc: Doc = { name, id: this.id(), trace_id: this.traceId, start_time: this.t0 + from, ...times(this.t0, to), ...fields };
    this.documents.push(doc);
    return doc;
  }

  /** A standalone subsegment document under `parent`. */
  subsegment(parent: Doc, name: string, from: number, to: number | undefined, fields: Record<string, unknown> = {}): Doc {
    const doc: Doc = {
      type: 'subsegment', name, id: this.id(), trace_id: this.traceId, parent_id: parent.id,
      start_time: this.t0 + from, ...times(this.t0, to), ...fields,
    };
    this.documents.push(doc);
    return doc;
  }

  /** A subsegment nested inside `parent`'s document. */
  nested(parent: Doc, name: string, from: number, to: number, fields: Record<string, unknown> = {}): Doc {
    const doc: Doc = { name, id: this.id(), start_time: this.t0 + from, end_time: this.t0 + to, ...fields };
    const list = (parent['subsegments'] as Doc[] | undefined) ?? [];
    parent['subsegments'] = [...list, doc];
    return doc;
  }

  /** The Lambda service segment and the function segment under it. */
  lambda(name: string, parentId: string, service: [number, number], fn: [number, number], fnFields: Record<string, unknown> = {}): { service: Doc; fn: Doc } {
    const serviceDoc = this.segment(name, service[0], service[1], {
      parent_id: parentId, origin: 'AWS::Lambda', http: { response: { status: 200 } },
    });
    const fnDoc = this.segment(name, fn[0], fn[1], {
      parent_id: serviceDoc.id, origin: 'AWS::Lambda::Function', aws: { account_id: ACCOUNT },
      resource_arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`, ...fnFields,
    });
    return { service: serviceDoc, fn: fnDoc };
  }

  build(): GraphDocument[] {
    return structuredClone(this.documents) as unknown as GraphDocument[];
  }
}

function times(t0: number, to: number | undefined): Record<string, unknown> {
  return to === undefined ? { in_progress: true } : { end_time: t0 + to };
}

export function topicArn(topic: string): string {
  return `arn:aws:sns:us-east-1:${ACCOUNT}:${topic}`;
}

export const QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/hits-queue`;

/** The API stage with its SNS publish to `fan-out` nested; returns the builder, stage and publish call. */
export function apiStage(trace: TraceBuilder): { stage: Doc; publish: Doc } {
  const stage = trace.segment('xyz/prod', 0, 0.1, {
    origin: 'AWS::ApiGateway::Stage',
    http: { request: { method: 'GET', url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/foo' }, response: { status: 200 } },
  });
  const publish = trace.nested(stage, 'SNS', 0.01, 0.06, {
    namespace: 'aws', http: { response: { status: 200 } },
    aws: { operation: 'Publish', topic_arn: topicArn('fan-out') },
  });
  return { stage, publish };
}

export interface PatternOptions {
  /** The HTTP flow's GET answers 502 and the function faults. */
  readonly httpFaults?: boolean;
  /** DynamoDB throttles the update (429) and the function errs. */
  readonly dynamoThrottled?: boolean;
}

/** One request through all four flows. */
export function patternTrace(number: number, t0: number, options: PatternOptions = {}): TraceBuilder {
  const trace = new TraceBuilder(number, t0);
  const { publish } = apiStage(trace);

  // DynamoDB flow.
  const dynamo = trace.lambda('dynamo-flow', publish.id, [0.2, 0.5], [0.25, 0.48], options.dynamoThrottled === true ? { error: true } : {});
  const dynamoHandler = trace.subsegment(dynamo.fn, '## index.handler', 0.26, 0.47);
  const query = trace.subsegment(dynamoHandler, 'DynamoDB Query', 0.27, 0.33, { annotations: { path: '/prod/foo' } });
  trace.subsegment(query, 'DynamoDB', 0.28, 0.32, {
    namespace: 'aws',
    aws: { operation: 'UpdateItem', table_name: 'Hits' },
    ...(options.dynamoThrottled === true
      ? {
          error: true, throttle: true, http: { response: { status: 400 } },
          cause: { exceptions: [{ id: trace.id(), type: 'ProvisionedThroughputExceededException', message: 'Rate of requests exceeds the allowed throughput.', remote: true }] },
        }
      : { http: { response: { status: 200 } } }),
  });

  // HTTP flow.
  const faults = options.httpFaults === true;
  const http = trace.lambda('http-flow', publish.id, [0.2, 0.8], [0.25, 0.78], faults
    ? { fault: true, cause: { exceptions: [{ id: trace.id(), type: 'Error', message: `GET https://${REMOTE_HOST}/todos/1 answered HTTP 502` }] } }
    : {});
  const httpHandler = trace.subsegment(http.fn, '## index.handler', 0.26, 0.77, faults ? { fault: true } : {});
  const request = trace.subsegment(httpHandler, 'external HTTP Request', 0.27, 0.75, faults ? { fault: true } : {});
  trace.subsegment(request, REMOTE_HOST, 0.28, 0.74, {
    namespace: 'remote',
    http: { request: { method: 'GET', url: `https://${REMOTE_HOST}/todos/1` }, response: { status: faults ? 502 : 200 } },
    ...(faults ? { fault: true, cause: { exceptions: [{ id: trace.id(), type: 'Error', message: 'Bad Gateway', remote: true }] } } : {}),
  });

  // SNS flow: publish to the second topic; its subscriber.
  const snsFlow = trace.lambda('sns-flow', publish.id, [0.2, 0.4], [0.22, 0.39]);
  const logic = trace.subsegment(snsFlow.fn, 'SNS Publish Logic', 0.23, 0.38, { annotations: { message: 'Simulated Message' } });
  const second = trace.subsegment(logic, 'SNS', 0.24, 0.37, {
    namespace: 'aws', http: { response: { status: 200 } }, aws: { operation: 'Publish', topic_arn: topicArn('second-topic') },
  });
  const subscriber = trace.lambda('sns-subscriber', second.id, [0.5, 0.6], [0.51, 0.59]);
  trace.subsegment(subscriber.fn, 'process_message', 0.52, 0.58, { annotations: { message_content: 'Simulated Message' } });

  // SQS flow: send; the consumer's Lambda segment carries the producer's AWSTraceHeader parent.
  const sqsFlow = trace.lambda('sqs-flow', publish.id, [0.2, 0.35], [0.21, 0.34]);
  const sqsLogic = trace.subsegment(sqsFlow.fn, 'SQS Logic', 0.22, 0.33);
  const send = trace.subsegment(sqsLogic, 'SQS', 0.23, 0.32, {
    namespace: 'aws', http: { response: { status: 200 } }, aws: { operation: 'SendMessage', queue_url: QUEUE_URL },
  });
  trace.lambda('sqs-subscriber', send.id, [1.4, 1.5], [1.41, 1.49]);
  return trace;
}

/** Deterministic uniform draws in [0, 1) (mulberry32), for generated workloads. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
