/**
 * Each group of the pattern, run through the local X-Ray service's filter engine over pattern
 * traces of every outcome, holds exactly the traces it says it holds.
 */
import { describe, expect, it } from 'vitest';
import {
  DYNAMO_TROUBLE_FILTER, FAULTS_FILTER, HTTP_FAULTS_FILTER, SNS_FAILURES_FILTER, SQS_FAILURES_FILTER, fillIn,
} from '../../../src/pattern/infra/pattern-groups.ts';
import type { GraphDocument } from '../../../src/xray/graph/index.ts';
import { evaluate, parse } from '../../../src/xray/query/index.ts';
import { traceView } from '../../../src/xray/store/trace-view.ts';
import { computeTrace } from '../../../src/xray/traces/summary.ts';
import { parseRecords } from '../../../src/xray/traces/tree.ts';
import { toRecord } from '../../xray/fixtures/index.ts';
import { patternTrace } from '../../xray/graph/pattern-traces.ts';
import type { PatternOptions } from '../../xray/graph/pattern-traces.ts';

const T0 = 1_700_000_000;

type Doc = Record<string, unknown>;
type Change = (documents: Doc[]) => void;

const byName = (documents: Doc[], name: string, origin?: string): Doc => {
  const found = documents.find((d) => d['name'] === name && (origin === undefined || d['origin'] === origin));
  if (found === undefined) throw new Error(`no document ${name}`);
  return found;
};
const faultFunction = (name: string): Change => (documents) => {
  Object.assign(byName(documents, name, 'AWS::Lambda::Function'), { fault: true, cause: { exceptions: [{ id: 'aaaaaaaaaaaaaaaa', type: 'Error', message: 'boom' }] } });
};

/** One pattern request per outcome the groups tell apart. */
const OUTCOMES: Record<string, { readonly options?: PatternOptions; readonly change?: Change }> = {
  healthy: {},
  httpFault: { options: { httpFaults: true } },
  dynamoThrottled: { options: { dynamoThrottled: true } },
  dynamoSlow: { change: (documents) => { const call = byName(documents, 'DynamoDB'); call['end_time'] = (call['start_time'] as number) + 0.25; } },
  sqsConsumerFault: { change: faultFunction('sqs-subscriber') },
  sqsProducerFault: { change: faultFunction('sqs-flow') },
  snsSubscriberFault: { change: faultFunction('sns-subscriber') },
  gatewayFault: {
    change: (documents) => Object.assign(byName(documents, 'xyz/prod'), { fault: true, http: { request: { method: 'GET' }, response: { status: 502 } } }),
  },
};

const NAMES = {
  FunctionName: 'http-flow', TableName: 'Hits',
  PublisherName: 'sqs-flow', ConsumerName: 'sqs-subscriber',
};

function matching(filter: string): string[] {
  const expression = parse(filter);
  return Object.entries(OUTCOMES).flatMap(([outcome, { options, change }], index) => {
    const documents = patternTrace(index + 1, T0 + index, options).documents as Doc[];
    change?.(documents);
    const records = documents.map((document) => toRecord(JSON.stringify(document)));
    const parsed = parseRecords(records);
    const { summary } = computeTrace(records[0]!.traceId, parsed);
    const view = traceView({ summary, documents: () => parsed.map((p) => p.doc as unknown as GraphDocument) });
    return evaluate(expression, view) ? [outcome] : [];
  });
}

describe('the pattern groups', () => {
  it('faults: a fault at the entry or in any function, not a throttle or a slow call', () => {
    expect(matching(FAULTS_FILTER)).toEqual(['httpFault', 'sqsConsumerFault', 'sqsProducerFault', 'snsSubscriberFault', 'gatewayFault']);
  });

  it('an old "fault = true" group held only the entry faults: the gateway answers 200 in front of the flows', () => {
    expect(matching('fault = true')).toEqual(['gatewayFault']);
  });

  it('http: the HTTP flow faulted, nothing else', () => {
    expect(matching(fillIn(HTTP_FAULTS_FILTER, NAMES))).toEqual(['httpFault']);
  });

  it('dynamo: slow or refused calls to the table', () => {
    expect(matching(fillIn(DYNAMO_TROUBLE_FILTER, NAMES))).toEqual(['dynamoThrottled', 'dynamoSlow']);
  });

  it('sqs: the producer or the consumer failed', () => {
    expect(matching(fillIn(SQS_FAILURES_FILTER, NAMES))).toEqual(['sqsConsumerFault', 'sqsProducerFault']);
  });

  it('sns: the publisher or the subscriber failed', () => {
    expect(matching(fillIn(SNS_FAILURES_FILTER, { PublisherName: 'sns-flow', SubscriberName: 'sns-subscriber' }))).toEqual(['snsSubscriberFault']);
  });

  it('the groups the stacks had before held every request, whatever happened', () => {
    for (const old of ['annotation.path BEGINSWITH "/"', 'service("http-flow")', 'service("sqs-flow")']) {
      expect(matching(old)).toHaveLength(Object.keys(OUTCOMES).length);
    }
  });
});
