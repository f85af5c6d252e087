import { describe, expect, it } from 'vitest';
import {
  contributionOfTrace, mergeAggregates, toServiceGraph as serviceGraph, toTraceGraph as traceGraph, type GraphDocument,
} from '../../../src/xray/graph/index.ts';
import { servicesJson, type ServiceJson } from '../../../src/xray/api/graph-json.ts';
import { loadFixture } from '../fixtures/index.ts';
import { digest, label, type Counts } from './digest.ts';
import { patternGolden, rounded } from './pattern-golden.ts';
import { ACCOUNT, REMOTE_HOST, TraceBuilder, patternTrace } from './pattern-traces.ts';

const T0 = 1_700_000_050; // 10 s into a minute: a whole trace stays in one minute
const ok = (n: number): Counts => [n, 0, 0, 0];

/** The graph as GetServiceGraph writes it. */
const toServiceGraph = (...args: Parameters<typeof serviceGraph>): ServiceJson[] => servicesJson(serviceGraph(...args));
/** The graph as GetTraceGraph writes it. */
const toTraceGraph = (...args: Parameters<typeof traceGraph>): ServiceJson[] => servicesJson(traceGraph(...args));

function graphOf(...traces: GraphDocument[][]): ServiceJson[] {
  return toServiceGraph(mergeAggregates(...traces.map(contributionOfTrace)));
}

describe('service graph of the pattern', () => {
  it('draws the four flows node by node and edge by edge', () => {
    const services = graphOf(patternTrace(1, T0).build());
    expect(digest(services)).toEqual(rounded(patternGolden(1, 0)));
  });

  it('sums ten requests, four of them faulting at the remote host', () => {
    const traces = Array.from({ length: 10 }, (_, i) => patternTrace(i + 1, T0 + i, { httpFaults: i % 5 < 2 }).build());
    expect(digest(graphOf(...traces))).toEqual(rounded(patternGolden(10, 4)));
  });

  it('assigns ReferenceIds in (name, type) order and points edges at their targets', () => {
    const services = graphOf(patternTrace(1, T0).build());
    expect(services.map((s) => s.ReferenceId)).toEqual(services.map((_, i) => i));
    expect(services.map(label)).toEqual([
      'Hits | AWS::DynamoDB::Table', 'dynamo-flow | AWS::Lambda', 'dynamo-flow | AWS::Lambda::Function', 'fan-out | AWS::SNS',
      'hits-queue | AWS::SQS::Queue', 'http-flow | AWS::Lambda', 'http-flow | AWS::Lambda::Function', `${REMOTE_HOST} | remote`,
      'second-topic | AWS::SNS', 'sns-flow | AWS::Lambda', 'sns-flow | AWS::Lambda::Function', 'sns-subscriber | AWS::Lambda',
      'sns-subscriber | AWS::Lambda::Function', 'sqs-flow | AWS::Lambda', 'sqs-flow | AWS::Lambda::Function',
      'sqs-subscriber | AWS::Lambda', 'sqs-subscriber | AWS::Lambda::Function', 'xyz/prod | AWS::ApiGateway::Stage', 'xyz/prod | client',
    ]);
    const stage = services.find((s) => label(s) === 'xyz/prod | AWS::ApiGateway::Stage');
    expect(stage?.Edges.map((e) => e.ReferenceId)).toEqual([3]);
    const fanOut = services[3];
    expect(fanOut?.Edges.map((e) => e.ReferenceId)).toEqual([1, 5, 9, 13]);
  });

  it('writes the wire shape: times, histograms, link edges and the stage duration including downstream work', () => {
    const services = graphOf(patternTrace(1, T0).build());
    const stage = services.find((s) => label(s) === 'xyz/prod | AWS::ApiGateway::Stage');
    expect(stage).toEqual({
      ReferenceId: 17,
      Name: 'xyz/prod',
      Names: ['xyz/prod'],
      Root: true,
      Type: 'AWS::ApiGateway::Stage',
      State: 'active',
      StartTime: T0,
      EndTime: T0 + 0.1,
      Edges: [{
        ReferenceId: 3,
        StartTime: T0 + 0.01,
        EndTime: T0 + 0.06,
        SummaryStatistics: {
          OkCount: 1, ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 },
          FaultStatistics: { OtherCount: 0, TotalCount: 0 }, TotalCount: 1, TotalResponseTime: 0.05,
        },
        ResponseTimeHistogram: [{ Value: 0.05, Count: 1 }],
        Aliases: [],
      }],
      SummaryStatistics: {
        OkCount: 1, ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 },
        FaultStatistics: { OtherCount: 0, TotalCount: 0 }, TotalCount: 1, TotalResponseTime: 0.1,
      },
      // The last downstream work, the SQS consumer's Lambda segment, ends 1.5 s after the stage started.
      DurationHistogram: [{ Value: 1.5, Count: 1 }],
      ResponseTimeHistogram: [{ Value: 0.1, Count: 1 }],
    });
    const queue = services.find((s) => label(s) === 'hits-queue | AWS::SQS::Queue');
    expect(queue?.Edges).toEqual([{
      ReferenceId: 15,
      StartTime: T0 + 1.4,
      EndTime: T0 + 1.5,
      SummaryStatistics: {
        OkCount: 1, ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 },
        FaultStatistics: { OtherCount: 0, TotalCount: 0 }, TotalCount: 1, TotalResponseTime: 0,
      },
      ResponseTimeHistogram: [],
      Aliases: [],
      EdgeType: 'link',
      ReceivedEventAgeHistogram: [{ Value: 1.2, Count: 1 }],
    }]);
  });

  it('adds up: every TotalCount is ok + errors + faults, and segment nodes count their segments', () => {
    const traces = Array.from({ length: 7 }, (_, i) => patternTrace(i + 1, T0 + i, { httpFaults: i % 3 === 0, dynamoThrottled: i % 4 === 1 }).build());
    const services = graphOf(...traces);
    const statistics = services.flatMap((s) => [s.SummaryStatistics, ...s.Edges.map((e) => e.SummaryStatistics)]);
    for (const stats of statistics) {
      expect(stats.TotalCount).toBe(stats.OkCount + stats.ErrorStatistics.TotalCount + stats.FaultStatistics.TotalCount);
      expect(stats.ErrorStatistics.TotalCount).toBe(stats.ErrorStatistics.ThrottleCount + stats.ErrorStatistics.OtherCount);
      expect(stats.FaultStatistics.TotalCount).toBe(stats.FaultStatistics.OtherCount);
    }
    const segmentsPerNode = new Map<string, number>();
    for (const doc of traces.flat()) {
      if (doc.type === 'subsegment') continue;
      const key = `${doc.name} | ${doc.origin ?? '-'}`;
      segmentsPerNode.set(key, (segmentsPerNode.get(key) ?? 0) + 1);
    }
    const active = services.filter((s) => s.State === 'active');
    expect(new Map(active.map((s) => [label(s), s.SummaryStatistics.TotalCount]))).toEqual(segmentsPerNode);
    const histogramTotal = (s: ServiceJson): number => s.ResponseTimeHistogram.reduce((sum, h) => sum + h.Count, 0);
    for (const service of services) expect(histogramTotal(service)).toBe(service.SummaryStatistics.TotalCount);
    const throttled = digest(services)['Hits | AWS::DynamoDB::Table'];
    expect(throttled?.counts).toEqual([5, 2, 2, 0]);
  });

  it('is deterministic: same documents in any order give deep-equal graphs, ReferenceIds included', () => {
    const traces = Array.from({ length: 4 }, (_, i) => patternTrace(i + 1, T0 + i * 20, { httpFaults: i === 2 }).build());
    const first = graphOf(...traces);
    const again = graphOf(...traces.map((docs) => [...docs].reverse()).reverse());
    expect(again).toEqual(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
  });
});

describe('graph rules', () => {
  it('API Gateway -> Lambda -> DynamoDB: a callee that sends its own segment replaces the inferred node', () => {
    const trace = new TraceBuilder(7, T0);
    const stage = trace.segment('xyz/prod', 0, 0.5, { origin: 'AWS::ApiGateway::Stage', http: { response: { status: 200 } } });
    const invoke = trace.nested(stage, 'Lambda', 0.01, 0.49, {
      namespace: 'aws', http: { response: { status: 200 } }, aws: { operation: 'Invoke', function_name: 'api-handler' },
    });
    const { fn } = trace.lambda('api-handler', invoke.id, [0.02, 0.48], [0.05, 0.45]);
    trace.nested(fn, 'DynamoDB', 0.1, 0.2, { namespace: 'aws', aws: { operation: 'GetItem', table_name: 'Hits' }, http: { response: { status: 200 } } });
    expect(digest(graphOf(trace.build()))).toEqual(rounded({
      'Hits | AWS::DynamoDB::Table': { root: false, state: 'unknown', counts: ok(1), responseTime: 0.1, edges: {} },
      'api-handler | AWS::Lambda': {
        root: false, state: 'active', counts: ok(1), responseTime: 0.46,
        edges: { 'api-handler | AWS::Lambda::Function': { counts: ok(1), responseTime: 0.46 } },
      },
      'api-handler | AWS::Lambda::Function': {
        root: false, state: 'active', account: ACCOUNT, counts: ok(1), responseTime: 0.4,
        edges: { 'Hits | AWS::DynamoDB::Table': { counts: ok(1), responseTime: 0.1 } },
      },
      // The edge carries the caller's view (the Invoke subsegment, 0.48 s), not the callee's.
      'xyz/prod | AWS::ApiGateway::Stage': {
        root: true, state: 'active', counts: ok(1), responseTime: 0.5,
        edges: { 'api-handler | AWS::Lambda': { counts: ok(1), responseTime: 0.48 } },
      },
      'xyz/prod | client': {
        root: false, state: 'unknown', counts: ok(1), responseTime: 0.5,
        edges: { 'xyz/prod | AWS::ApiGateway::Stage': { counts: ok(1), responseTime: 0.5 } },
      },
    }));
  });

  it('a remote call answered by an instrumented service goes to that service; an unanswered one to the host', () => {
    const trace = new TraceBuilder(8, T0);
    const web = trace.segment('web', 0, 1, { http: { response: { status: 200 } } });
    const answered = trace.nested(web, 'api.example.com', 0.1, 0.4, {
      namespace: 'remote', http: { request: { url: 'https://api.example.com/x', traced: true }, response: { status: 500 } }, fault: true,
    });
    trace.nested(web, 'cdn.example.net', 0.5, 0.6, { namespace: 'remote', http: { request: { url: 'https://cdn.example.net/a.js' }, response: { status: 404 } }, error: true });
    trace.segment('api', 0.12, 0.38, { parent_id: answered.id, origin: 'AWS::EC2::Instance', fault: true, http: { response: { status: 500 } } });
    const graph = digest(graphOf(trace.build()));
    expect(Object.keys(graph).sort()).toEqual(['api | AWS::EC2::Instance', 'cdn.example.net | remote', 'web | -', 'web | client']);
    expect(graph['web | -']?.edges).toEqual({
      'api | AWS::EC2::Instance': { counts: [0, 0, 0, 1], responseTime: 0.3 },
      'cdn.example.net | remote': { counts: [0, 1, 0, 0], responseTime: 0.1 },
    });
    expect(graph['api | AWS::EC2::Instance']?.counts).toEqual([0, 0, 0, 1]);
  });

  it('an SQS consumer found through links is a link edge from the queue', () => {
    const trace = new TraceBuilder(9, T0);
    const producer = trace.segment('producer', 0, 0.2, { http: { response: { status: 200 } } });
    const send = trace.nested(producer, 'SQS', 0.05, 0.1, { namespace: 'aws', aws: { operation: 'SendMessage', queue_url: 'https://sqs.eu-west-1.amazonaws.com/1/jobs' } });
    trace.segment('consumer', 2.1, 2.3, { origin: 'AWS::Lambda', links: [{ trace_id: trace.traceId, id: send.id }] });
    const graph = digest(graphOf(trace.build()));
    expect(graph['jobs | AWS::SQS::Queue']?.edges).toEqual({ 'consumer | AWS::Lambda': { counts: ok(1), responseTime: 0, link: { age: [[2, 1]] } } });
    // Linked, the consumer is not a root: no client in front of it.
    expect(Object.keys(graph).sort()).toEqual(['consumer | AWS::Lambda', 'jobs | AWS::SQS::Queue', 'producer | -', 'producer | client']);
  });

  it('reads nested and standalone subsegments alike, and a folded copy next to its original counts once', () => {
    const standalone = patternTrace(3, T0).build();
    const nested = nestAll(standalone);
    const both = [...nested, ...standalone.filter((doc) => doc.type === 'subsegment')];
    const expected = aggregateText(standalone);
    expect(aggregateText(nested)).toBe(expected);
    expect(aggregateText(both)).toBe(expected);
  });

  it('keeps documents in progress on the map without counting them', () => {
    const trace = new TraceBuilder(10, T0);
    trace.segment('web', 0, undefined, { http: { request: { url: 'https://web.example.com/' } } });
    const [web] = graphOf(trace.build()).filter((s) => s.Type === undefined);
    expect(web?.SummaryStatistics.TotalCount).toBe(0);
    expect(web?.Root).toBe(true);
    expect([web?.StartTime, web?.EndTime]).toEqual([T0, T0]);
  });

  it('draws the shared fixture of the DynamoDB flow with its streamed subsegments', () => {
    const fixture = loadFixture('lambda-sns-trace');
    const graph = digest(graphOf(fixture.documents as unknown as GraphDocument[]));
    expect(Object.fromEntries(Object.entries(graph).map(([key, node]) => [key, Object.keys(node.edges)]))).toEqual({
      'Hits | AWS::DynamoDB::Table': [],
      'dynamo-flow | AWS::Lambda': ['dynamo-flow | AWS::Lambda::Function'],
      'dynamo-flow | AWS::Lambda::Function': ['Hits | AWS::DynamoDB::Table'],
      'fan-out | AWS::SNS': ['dynamo-flow | AWS::Lambda'],
      'xray-tracer-api/prod | AWS::ApiGateway::Stage': ['fan-out | AWS::SNS'],
      'xray-tracer-api/prod | client': ['xray-tracer-api/prod | AWS::ApiGateway::Stage'],
    });
  });

  it('limits GetServiceGraph to the minutes of the window; GetTraceGraph takes the given traces', () => {
    const early = patternTrace(1, T0).build();
    const late = patternTrace(2, T0 + 600).build();
    const aggregate = mergeAggregates(contributionOfTrace(early), contributionOfTrace(late));
    const window = toServiceGraph(aggregate, { startTime: T0 + 590, endTime: T0 + 700 });
    expect(window).toEqual(graphOf(late));
    expect(toTraceGraph([contributionOfTrace(early)])).toEqual(graphOf(early));
    expect(() => toServiceGraph(aggregate, { startTime: 10, endTime: 5 })).toThrow('time window starts (10) after it ends (5)');
  });
});

function aggregateText(docs: GraphDocument[]): string {
  return JSON.stringify(toServiceGraph(contributionOfTrace(docs)));
}

/** Folds every standalone subsegment into its parent's `subsegments`, as BatchGetTraces returns a trace. */
function nestAll(docs: GraphDocument[]): GraphDocument[] {
  const copies = docs.map((doc) => ({ ...doc, subsegments: [...(doc.subsegments ?? [])] }));
  const byId = new Map(copies.map((doc) => [doc.id, doc]));
  const top: typeof copies = [];
  for (const doc of copies) {
    const parent = doc.type === 'subsegment' && doc.parent_id !== undefined ? byId.get(doc.parent_id) : undefined;
    if (parent === undefined) top.push(doc);
    else parent.subsegments.push(doc);
  }
  return top;
}
