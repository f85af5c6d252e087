import { describe, expect, it } from 'vitest';
import { rootCausesOfTrace as rootCauses, type GraphDocument } from '../../../src/xray/graph/index.ts';
import { rootCausesJson, type TraceRootCausesJson } from '../../../src/xray/api/trace-summary-json.ts';
import { loadFixture } from '../fixtures/index.ts';
import { ACCOUNT, REMOTE_HOST, TraceBuilder, patternTrace } from './pattern-traces.ts';

const T0 = 1_700_000_050;

/** The root causes as a TraceSummary writes them. */
const rootCausesOfTrace = (...args: Parameters<typeof rootCauses>): TraceRootCausesJson => rootCausesJson(rootCauses(...args));

const fixture = (name: string): GraphDocument[] => loadFixture(name).documents as unknown as GraphDocument[];

/** The path every pattern flow starts with: the stage's publish, then the fan-out topic. */
const throughFanOut = [
  {
    Name: 'xyz/prod', Names: ['xyz/prod'], Type: 'AWS::ApiGateway::Stage', Inferred: false,
    EntityPath: [{ Name: 'xyz/prod', Exceptions: [], Remote: false }, { Name: 'SNS', Exceptions: [], Remote: true }],
  },
  { Name: 'fan-out', Names: ['fan-out'], Type: 'AWS::SNS', Inferred: true, EntityPath: [{ Name: 'fan-out', Exceptions: [], Remote: true }] },
];

describe('root causes', () => {
  it('a faulting remote call: the deepest fault is the call, ending in the inferred remote service', () => {
    const causes = rootCausesOfTrace(patternTrace(1, T0, { httpFaults: true }).build());
    const badGateway = [{ Name: 'Error', Message: 'Bad Gateway' }];
    expect(causes.FaultRootCauses).toEqual([{
      Services: [
        ...throughFanOut,
        { Name: 'http-flow', Names: ['http-flow'], Type: 'AWS::Lambda', Inferred: false, EntityPath: [{ Name: 'http-flow', Exceptions: [], Remote: false }] },
        {
          Name: 'http-flow', Names: ['http-flow'], Type: 'AWS::Lambda::Function', AccountId: ACCOUNT, Inferred: false,
          EntityPath: [
            { Name: 'http-flow', Exceptions: [{ Name: 'Error', Message: `GET https://${REMOTE_HOST}/todos/1 answered HTTP 502` }], Remote: false },
            { Name: '## index.handler', Exceptions: [], Remote: false },
            { Name: 'external HTTP Request', Exceptions: [], Remote: false },
            { Name: REMOTE_HOST, Exceptions: badGateway, Remote: true },
          ],
        },
        { Name: REMOTE_HOST, Names: [REMOTE_HOST], Type: 'remote', Inferred: true, EntityPath: [{ Name: REMOTE_HOST, Exceptions: badGateway, Remote: true }] },
      ],
      // API Gateway answered 200: the client never saw the fault.
      ClientImpacting: false,
    }]);
    expect(causes.ErrorRootCauses).toEqual([]);
    expect(causes.ResponseTimeRootCauses).toEqual([]);
  });

  it('a throttled DynamoDB call is the error root cause, the table its last service', () => {
    const causes = rootCausesOfTrace(patternTrace(2, T0, { dynamoThrottled: true }).build());
    const throttled = [{ Name: 'ProvisionedThroughputExceededException', Message: 'Rate of requests exceeds the allowed throughput.' }];
    expect(causes.ErrorRootCauses).toEqual([{
      Services: [
        ...throughFanOut,
        { Name: 'dynamo-flow', Names: ['dynamo-flow'], Type: 'AWS::Lambda', Inferred: false, EntityPath: [{ Name: 'dynamo-flow', Exceptions: [], Remote: false }] },
        {
          Name: 'dynamo-flow', Names: ['dynamo-flow'], Type: 'AWS::Lambda::Function', AccountId: ACCOUNT, Inferred: false,
          EntityPath: [
            { Name: 'dynamo-flow', Exceptions: [], Remote: false },
            { Name: '## index.handler', Exceptions: [], Remote: false },
            { Name: 'DynamoDB Query', Exceptions: [], Remote: false },
            { Name: 'DynamoDB', Exceptions: throttled, Remote: true },
          ],
        },
        { Name: 'Hits', Names: ['Hits'], Type: 'AWS::DynamoDB::Table', Inferred: true, EntityPath: [{ Name: 'Hits', Exceptions: throttled, Remote: true }] },
      ],
      ClientImpacting: false,
    }]);
    expect(causes.FaultRootCauses).toEqual([]);
  });

  it('a fault of the root segment impacts the client; an exception named by id is resolved', () => {
    const causes = rootCausesOfTrace(fixture('fault-trace'));
    const ssl = [{ Name: 'Error', Message: 'SSL Cert Exception' }];
    expect(causes.FaultRootCauses).toEqual([{
      Services: [{
        Name: 'http-flow', Names: ['http-flow'], Type: 'AWS::Lambda::Function', Inferred: false,
        EntityPath: [{ Name: 'http-flow', Exceptions: ssl, Remote: false }, { Name: 'external HTTP Request', Exceptions: ssl, Remote: false }],
      }],
      ClientImpacting: true,
    }]);
    // 0.75 s is under the default threshold of one second; with a lower one the slow call shows.
    expect(causes.ResponseTimeRootCauses).toEqual([]);
    expect(rootCausesOfTrace(fixture('fault-trace'), { responseTimeThreshold: 0.5 }).ResponseTimeRootCauses).toEqual([{
      Services: [{
        Name: 'http-flow', Names: ['http-flow'], Type: 'AWS::Lambda::Function', Inferred: false,
        EntityPath: [{ Name: 'http-flow', Coverage: 1, Remote: false }, { Name: 'external HTTP Request', Coverage: 0.8, Remote: false }],
      }],
      ClientImpacting: true,
    }]);
  });

  it('every deepest error is its own root cause: a throttled queue and a downstream service that answered 404', () => {
    const causes = rootCausesOfTrace(fixture('web-app-trace'));
    const leaves = causes.ErrorRootCauses.map((cause) => cause.Services.map((s) => `${s.Name}:${s.EntityPath.map((e) => e.Name).join('>')}`));
    expect(leaves).toEqual([
      ['Scorekeep:Scorekeep>quotes.example.net', 'quote-service:quote-service'],
      ['Scorekeep:Scorekeep>## publish move>SQS', 'scorekeep-events:scorekeep-events'],
    ]);
    expect(causes.ErrorRootCauses.every((cause) => !cause.ClientImpacting)).toBe(true);
    expect(causes.ErrorRootCauses[1]?.Services[1]).toEqual({
      Name: 'scorekeep-events', Names: ['scorekeep-events'], Type: 'AWS::SQS::Queue', Inferred: true,
      EntityPath: [{ Name: 'scorekeep-events', Exceptions: [{ Name: 'ThrottlingException', Message: 'Rate exceeded' }], Remote: true }],
    });
  });

  it('the response time root cause follows the longest synchronous work, with coverage of the root response time', () => {
    // Shaped like a recorded X-Ray answer: Lambda service 2.839 s, function 2.545 s, mostly initialization.
    const trace = new TraceBuilder(5, T0);
    const service = trace.segment('cakerTwoFunction', 0, 2.839, { origin: 'AWS::Lambda', http: { response: { status: 200 } } });
    const fn = trace.segment('cakerTwoFunction', 0.294, 2.839, { parent_id: service.id, origin: 'AWS::Lambda::Function', aws: { account_id: ACCOUNT } });
    trace.nested(fn, 'Initialization', 0.294, 2.839);
    trace.nested(fn, 'Invocation', 2.6, 2.8);
    // Asynchronous work after the response does not count towards it.
    trace.segment('late-consumer', 3, 9, { parent_id: service.id, origin: 'AWS::Lambda::Function' });
    expect(rootCausesOfTrace(trace.build()).ResponseTimeRootCauses).toEqual([{
      ClientImpacting: true,
      Services: [
        { Name: 'cakerTwoFunction', Names: ['cakerTwoFunction'], Type: 'AWS::Lambda', Inferred: false, EntityPath: [{ Name: 'cakerTwoFunction', Coverage: 1, Remote: false }] },
        {
          Name: 'cakerTwoFunction', Names: ['cakerTwoFunction'], Type: 'AWS::Lambda::Function', AccountId: ACCOUNT, Inferred: false,
          EntityPath: [{ Name: 'cakerTwoFunction', Coverage: 0.896, Remote: false }, { Name: 'Initialization', Coverage: 0.896, Remote: false }],
        },
      ],
    }]);
  });

  it('gives no root causes for a healthy, fast trace, and survives a parent cycle', () => {
    expect(rootCausesOfTrace(patternTrace(3, T0).build())).toEqual({ FaultRootCauses: [], ErrorRootCauses: [], ResponseTimeRootCauses: [] });
    const trace = new TraceBuilder(6, T0);
    const a = trace.segment('a', 0, 1, { fault: true });
    const b = trace.segment('b', 0.1, 0.9, { fault: true, parent_id: a.id });
    a['parent_id'] = b.id;
    expect(rootCausesOfTrace(trace.build()).FaultRootCauses).toEqual([]);
  });
});
