/**
 * The trace store contract as tests: `registerStoreConformance` registers the whole suite for one
 * implementation. Both stores run it over the shared fixtures, so they behave alike.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { aggregateToJson, contributionOfTrace, mergeAggregates, type Aggregate, type GraphDocument } from '../../../src/xray/graph/index.ts';
import type { RefreshPolicy } from '../../../src/xray/store/dirty-traces.ts';
import { InvalidQueryError } from '../../../src/xray/store/query.ts';
import { MAX_TRACE_DOCUMENT_BYTES } from '../../../src/xray/model/trace.ts';
import type { SegmentRecord, StoredTrace, SummaryQuery, TimeRangeType, TraceStore } from '../../../src/xray/store/types.ts';
import { fixtureNames, fixtureRecords, loadFixture, toRecord } from '../fixtures/index.ts';
import { generateTrace } from '../fixtures/generate.ts';
import { patternTrace } from '../graph/pattern-traces.ts';
import { apiPage } from './api-page.ts';

export type StoreFactory = (options: { nowSeconds: () => number } & RefreshPolicy) => TraceStore;

/** The clock every store in the suite sees. */
export const NOW = 1_700_050_000;

type Summary = Record<string, unknown>;

export function registerStoreConformance(implementation: string, factory: StoreFactory): void {
  describe(`${implementation} conforms to the trace store contract`, () => {
    const open: TraceStore[] = [];
    const newStore = (nowSeconds: () => number = () => NOW, policy: RefreshPolicy = {}): TraceStore => {
      const store = factory({ nowSeconds, ...policy });
      open.push(store);
      return store;
    };
    afterEach(() => {
      for (const store of open.splice(0)) store.close();
      vi.useRealTimers();
    });

    const summaryOf = (store: TraceStore, traceId: string): Summary => {
      const page = apiPage(store.getTraceSummaries({ startTime: 0, endTime: 4e9, timeRangeType: 'TraceId', limit: 1000 }));
      const found = page.summaries.find((s) => s['Id'] === traceId);
      if (found === undefined) throw new Error(`no summary for ${traceId}`);
      return found;
    };
    const traceOf = (store: TraceStore, traceId: string): StoredTrace => {
      const [trace] = store.getTraces([traceId]);
      if (trace === undefined) throw new Error(`no trace ${traceId}`);
      return trace;
    };
    const parsedSegments = (trace: StoredTrace): Array<Record<string, unknown>> =>
      trace.segments.map((segment) => JSON.parse(segment.document) as Record<string, unknown>);
    const ids = (summaries: ReadonlyArray<Summary>): unknown[] => summaries.map((s) => s['Id']);

    describe('the trace document size quota', () => {
      const traceId = '1-65a3b2c0-0000000000000000000b1900';
      const documentOf = (index: number): SegmentRecord => toRecord(JSON.stringify({
        name: 'big', id: index.toString(16).padStart(16, '0'), trace_id: traceId, start_time: NOW - 60 + index / 1000, end_time: NOW - 59,
        metadata: { default: { padding: 'p'.repeat(4000) } },
      }));

      test('a trace within MAX_TRACE_DOCUMENT_BYTES comes back whole, LimitExceeded false', () => {
        const store = newStore();
        store.write(Array.from({ length: 20 }, (_, index) => documentOf(index)));
        const trace = traceOf(store, traceId);
        expect(trace.limitExceeded).toBe(false);
        expect(trace.segments).toHaveLength(20);
      });

      test('a larger trace returns the documents that fit, LimitExceeded true, as X-Ray does', () => {
        const store = newStore();
        const records = Array.from({ length: 300 }, (_, index) => documentOf(index));
        store.write(records);
        const trace = traceOf(store, traceId);
        expect(trace.limitExceeded).toBe(true);
        const bytes = trace.segments.reduce((sum, segment) => sum + Buffer.byteLength(segment.document), 0);
        expect(bytes).toBeLessThanOrEqual(MAX_TRACE_DOCUMENT_BYTES);
        expect(trace.segments.length).toBeGreaterThan(100);
        expect(trace.segments.length).toBeLessThan(records.length);
        const sent = new Map(records.map((record) => [record.id, record.document]));
        for (const segment of trace.segments) expect(segment.document).toBe(sent.get(segment.id));
      });
    });

    describe('upserts on (trace id, id)', () => {
      const [inProgress, complete] = fixtureRecords('in-progress-segment') as [SegmentRecord, SegmentRecord];

      test.each([
        ['in-progress, then complete, in two writes', [[inProgress], [complete]]],
        ['complete, then in-progress, in two writes', [[complete], [inProgress]]],
        ['in-progress, then complete, in one write', [[inProgress, complete]]],
        ['complete, then in-progress, in one write', [[complete, inProgress]]],
      ])('the complete document wins: %s', (_order, batches) => {
        const store = newStore();
        for (const batch of batches) store.write(batch);
        const trace = traceOf(store, complete.traceId);
        expect(trace.segments).toEqual([{ id: complete.id, document: complete.document }]);
        expect(trace.duration).toBe(2.5);
        const summary = summaryOf(store, complete.traceId);
        expect(summary).toMatchObject({ IsPartial: false, Duration: 2.5, ResponseTime: 2.5 });
        expect(summary['Http']).toEqual({ HttpURL: 'https://example.com/reports', HttpStatus: 201, HttpMethod: 'POST', UserAgent: 'curl/8.5.0', ClientIp: '203.0.113.7' });
      });

      test('an in-progress trace is partial, has no response time and lasts until its latest start', () => {
        const store = newStore();
        store.write([inProgress]);
        const summary = summaryOf(store, inProgress.traceId);
        expect(summary).toMatchObject({ IsPartial: true, Duration: 0, StartTime: 1700000001.125 });
        expect(summary).not.toHaveProperty('ResponseTime');
      });

      test('writing the same documents again changes nothing, not even the revision', () => {
        const store = newStore();
        const records = fixtureRecords('web-app-trace');
        store.write(records);
        const before = summaryOf(store, loadFixture('web-app-trace').traceId);
        store.write(records);
        store.write([...records].reverse());
        expect(summaryOf(store, loadFixture('web-app-trace').traceId)).toEqual(before);
        expect(before['Revision']).toBe(1);
        expect(traceOf(store, loadFixture('web-app-trace').traceId).segments).toHaveLength(2);
      });

      test('the revision rises once for each read that finds the trace changed since the last one', () => {
        const store = newStore();
        const records = fixtureRecords('lambda-sns-trace');
        store.write(records.slice(0, 2));
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(1);
        store.write(records.slice(2, 4));
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(2);
        // Changes between two reads count once; a write that changes nothing counts not at all.
        store.write(records.slice(4, 5));
        store.write(records.slice(5));
        store.write(records.slice(0, 2));
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(3);
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(3);
      });

      test('a write that fails part way leaves the store as it was', () => {
        const store = newStore();
        const good = fixtureRecords('minimal-segment');
        store.write(good);
        // The third record cannot be read: the store fails in the middle of the batch.
        const other = generateTrace(2, 1700000600).texts.map(toRecord);
        const lost = toRecord(generateTrace(1, 1700000500).texts[0]!);
        const broken = Object.defineProperty({ ...lost }, 'traceId', { get: () => { throw new Error('the record went missing'); } });
        expect(() => store.write([...other.slice(0, 2), broken, ...other.slice(2)])).toThrow('the record went missing');
        expect(store.getTraces([other[0]!.traceId, lost.traceId])).toEqual([]);
        expect(ids(apiPage(store.getTraceSummaries({ startTime: 0, endTime: 4e9, timeRangeType: 'TraceId', limit: 10 })).summaries))
          .toEqual([good[0]!.traceId]);
        expect(store.getGraphMinutes({ startTime: 0, endTime: 4e9 }).minutes.size).toBe(1);
      });
    });

    describe('assembles traces for BatchGetTraces', () => {
      const fixture = loadFixture('lambda-sns-trace');

      const expectLambdaTraceAssembled = (trace: StoredTrace): void => {
        expect(trace.id).toBe(fixture.traceId);
        expect(trace.limitExceeded).toBe(false);
        expect(trace.duration).toBe(0.4);
        expect(trace.segments.map((s) => s.id)).toEqual(['0123456789abcdef', 'c1c2c3c4c5c6c7c8', 'f1f2f3f4f5f6f7f8']);
        interface Entity { name: string; annotations?: unknown; aws?: unknown; subsegments: Entity[] }
        const fn = parsedSegments(trace)[2] as unknown as Entity;
        expect(fn.subsegments.map((s) => s.name)).toEqual(['Invocation', 'Overhead', '## index.handler']);
        const handler = fn.subsegments[2]!;
        expect(handler.annotations).toEqual({ ColdStart: true, Service: 'dynamo-flow' });
        expect(handler.subsegments.map((s) => s.name)).toEqual(['DynamoDB Query']);
        expect(handler.subsegments[0]!.subsegments.map((s) => s.name)).toEqual(['DynamoDB']);
        expect(handler.subsegments[0]!.subsegments[0]!.aws).toMatchObject({ table_name: 'Hits' });
        // Documents nothing was folded into come back byte for byte.
        expect(trace.segments[0]!.document).toBe(fixture.texts[5]);
      };

      test('subsegments sent before their parents, all in one write', () => {
        const store = newStore();
        store.write(fixtureRecords('lambda-sns-trace'));
        expectLambdaTraceAssembled(traceOf(store, fixture.traceId));
      });

      test('subsegments sent before their parents, one write each, in either order', () => {
        const forward = newStore();
        const backward = newStore();
        const records = fixtureRecords('lambda-sns-trace');
        for (const record of records) forward.write([record]);
        for (const record of [...records].reverse()) backward.write([record]);
        expectLambdaTraceAssembled(traceOf(forward, fixture.traceId));
        expect(traceOf(backward, fixture.traceId)).toEqual(traceOf(forward, fixture.traceId));
      });

      test('until its parent arrives a subsegment is a document of its own, and the trace is partial', () => {
        const store = newStore();
        const records = fixtureRecords('lambda-sns-trace');
        store.write(records.slice(0, 3));
        const early = traceOf(store, fixture.traceId);
        // DynamoDB folds into 'DynamoDB Query' and that into '## index.handler', whose parent is missing.
        expect(early.segments.map((s) => s.id)).toEqual(['b1b2b3b4b5b6b7b8']);
        expect(summaryOf(store, fixture.traceId)['IsPartial']).toBe(true);
        store.write(records.slice(3));
        expectLambdaTraceAssembled(traceOf(store, fixture.traceId));
        expect(summaryOf(store, fixture.traceId)['IsPartial']).toBe(false);
      });

      test('an orphan subsegment stays a document of its own', () => {
        const store = newStore();
        const orphan = loadFixture('orphan-subsegment');
        store.write(fixtureRecords('orphan-subsegment'));
        const trace = traceOf(store, orphan.traceId);
        expect(trace.segments).toEqual([
          { id: '2a2b2c2d2e2f3031', document: orphan.texts[0] },
          { id: '3a3b3c3d3e3f4041', document: orphan.texts[1] },
        ]);
        expect(trace.duration).toBe(0.4);
      });

      test('unknown trace ids are left out; asking twice for one id returns it once', () => {
        const store = newStore();
        store.write(fixtureRecords('minimal-segment'));
        const known = loadFixture('minimal-segment').traceId;
        const traces = store.getTraces(['1-6553f100-000000000000000000000000', known, known, 'not a trace id']);
        expect(traces.map((t) => t.id)).toEqual([known]);
        expect(store.getTraces([])).toEqual([]);
        expect(newStore().getTraces([known])).toEqual([]);
      });
    });

    describe('computes TraceSummary in the API shape', () => {
      const storeWithAll = (): TraceStore => {
        const store = newStore();
        for (const name of fixtureNames) store.write(fixtureRecords(name));
        return store;
      };

      test('a web application trace: HTTP, user, throttle, inferred services, EC2 facts', () => {
        const summary = summaryOf(storeWithAll(), loadFixture('web-app-trace').traceId);
        const scorekeep = { Name: 'Scorekeep', Names: ['Scorekeep'], Type: 'AWS::ElasticBeanstalk::Environment', AccountId: '123456789012' };
        const quotes = { Name: 'quote-service', Names: ['quote-service'], Type: 'AWS::EC2::Instance' };
        expect(summary).toMatchObject({
          StartTime: 1700000010.1,
          Duration: 0.8,
          ResponseTime: 0.8,
          // The downstream 404 is not the root's: no HasError. The SQS call's 429 anywhere: HasThrottle.
          HasFault: false,
          HasError: false,
          HasThrottle: true,
          IsPartial: false,
          Http: {
            HttpURL: 'http://scorekeep.example.com/api/move/SMSK8V2T/ZL6M7SK6',
            HttpStatus: 200,
            HttpMethod: 'POST',
            UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
            ClientIp: '198.51.100.23',
          },
          Users: [{ UserName: '5M388M1E', ServiceIds: [scorekeep] }],
          EntryPoint: scorekeep,
          InstanceIds: [{ Id: 'i-075ad396f12bc325a' }, { Id: 'i-0123456789abcdef0' }],
          AvailabilityZones: [{ Name: 'us-east-1c' }, { Name: 'us-east-1a' }],
          ResourceARNs: [],
          FaultRootCauses: [],
          // 0.8 s is under the 1 s threshold for a response time root cause.
          ResponseTimeRootCauses: [],
          Revision: 1,
        });
        // Two deepest errors: the traced quote service's 404, and the throttled SQS send.
        const path = (cause: { Services: Array<{ Name: string; Inferred: boolean; EntityPath: Array<{ Name: string }> }> }): string[] =>
          cause.Services.map((s) => `${s.Name}${s.Inferred ? ' (inferred)' : ''}: ${s.EntityPath.map((e) => e.Name).join(' > ')}`);
        const errors = summary['ErrorRootCauses'] as Array<Parameters<typeof path>[0] & { ClientImpacting: boolean }>;
        expect(errors.map(path)).toEqual([
          ['Scorekeep: Scorekeep > quotes.example.net', 'quote-service: quote-service'],
          ['Scorekeep: Scorekeep > ## publish move > SQS', 'scorekeep-events (inferred): scorekeep-events'],
        ]);
        expect(errors.map((cause) => cause.ClientImpacting)).toEqual([false, false]);
        expect(errors[1]!.Services[0]!.EntityPath[2]).toEqual({ Name: 'SQS', Exceptions: [{ Name: 'ThrottlingException', Message: 'Rate exceeded' }], Remote: true });
        expect(summary['ServiceIds']).toEqual([
          scorekeep,
          { Name: 'scorekeep-state', Names: ['scorekeep-state'], Type: 'AWS::DynamoDB::Table' },
          { Name: 'api.example.net', Names: ['api.example.net'], Type: 'remote' },
          // quotes.example.net is traced (it sent its own segment), so no remote node for it.
          { Name: 'scorekeep-events', Names: ['scorekeep-events'], Type: 'AWS::SQS::Queue' },
          quotes,
        ]);
        expect(summary['Annotations']).toEqual({
          gameid: [{ AnnotationValue: { StringValue: 'SMSK8V2T' }, ServiceIds: [scorekeep] }],
          score: [{ AnnotationValue: { NumberValue: 42 }, ServiceIds: [scorekeep, quotes] }],
          winner: [{ AnnotationValue: { BooleanValue: true }, ServiceIds: [scorekeep] }],
          retry_count: [{ AnnotationValue: { NumberValue: 1 }, ServiceIds: [scorekeep] }],
          tier: [{ AnnotationValue: { StringValue: 'free' }, ServiceIds: [quotes] }],
        });
      });

      test('the pattern\'s Lambda trace: entry point, ARNs, annotations of streamed subsegments', () => {
        const summary = summaryOf(storeWithAll(), loadFixture('lambda-sns-trace').traceId);
        const api = { Name: 'xray-tracer-api/prod', Names: ['xray-tracer-api/prod'], Type: 'AWS::ApiGateway::Stage' };
        const fn = { Name: 'dynamo-flow', Names: ['dynamo-flow'], Type: 'AWS::Lambda::Function', AccountId: '123456789012' };
        expect(summary).toMatchObject({ Duration: 0.4, ResponseTime: 0.15, IsPartial: false, HasFault: false, EntryPoint: api });
        expect(summary['ResourceARNs']).toEqual([
          { ARN: 'arn:aws:apigateway:us-east-1::/restapis/abc123defg/stages/prod' },
          { ARN: 'arn:aws:lambda:us-east-1:123456789012:function:dynamo-flow' },
        ]);
        expect(summary['ServiceIds']).toEqual([
          api,
          // Named by the topic, as on the service map.
          { Name: 'fan-out', Names: ['fan-out'], Type: 'AWS::SNS' },
          { Name: 'dynamo-flow', Names: ['dynamo-flow'], Type: 'AWS::Lambda', AccountId: '123456789012' },
          fn,
          { Name: 'Hits', Names: ['Hits'], Type: 'AWS::DynamoDB::Table' },
        ]);
        expect(summary['Annotations']).toMatchObject({
          path: [{ AnnotationValue: { StringValue: '/prod/foo' }, ServiceIds: [fn] }],
          ColdStart: [{ AnnotationValue: { BooleanValue: true }, ServiceIds: [fn] }],
        });
      });

      test('a faulted trace with a subsegment in progress', () => {
        const summary = summaryOf(storeWithAll(), loadFixture('fault-trace').traceId);
        expect(summary).toMatchObject({ HasFault: true, HasError: false, IsPartial: true, Http: { HttpStatus: 502 }, Duration: 0.75 });
        expect(summary['FaultRootCauses']).toEqual([{
          Services: [{
            Name: 'http-flow', Names: ['http-flow'], Type: 'AWS::Lambda::Function', Inferred: false,
            EntityPath: [
              { Name: 'http-flow', Exceptions: [{ Name: 'Error', Message: 'SSL Cert Exception' }], Remote: false },
              { Name: 'external HTTP Request', Exceptions: [{ Name: 'Error', Message: 'SSL Cert Exception' }], Remote: false },
            ],
          }],
          ClientImpacting: true,
        }]);
      });

      test('an orphan makes the trace partial and its annotations belong to no known service', () => {
        const summary = summaryOf(storeWithAll(), loadFixture('orphan-subsegment').traceId);
        expect(summary['IsPartial']).toBe(true);
        expect(summary['Annotations']).toEqual({
          flow: [{ AnnotationValue: { StringValue: 'sqs' }, ServiceIds: [{ Name: 'sqs-flow', Names: ['sqs-flow'], Type: 'AWS::Lambda::Function' }] }],
          message: [{ AnnotationValue: { StringValue: 'hello from /prod/foo' }, ServiceIds: [] }],
        });
      });
    });

    describe('selects by time range type', () => {
      const query = (store: TraceStore, timeRangeType: TimeRangeType, startTime: number, endTime: number) =>
        apiPage(store.getTraceSummaries({ startTime, endTime, timeRangeType, limit: 100 })).summaries;
      const storeWithAll = (): TraceStore => {
        const store = newStore();
        for (const name of fixtureNames) store.write(fixtureRecords(name));
        return store;
      };
      const webApp = loadFixture('web-app-trace').traceId;
      const lambda = loadFixture('lambda-sns-trace').traceId;
      const fault = loadFixture('fault-trace').traceId;

      test('TraceId: by the epoch second in the trace id, newest first', () => {
        const store = storeWithAll();
        const found = query(store, 'TraceId', 1700000010, 1700000020);
        expect(ids(found)).toEqual([lambda, webApp]);
        expect(found.map((s) => s['MatchedEventTime'])).toEqual([1700000020.1, 1700000010.1]);
        // The id's second counts whole: second 1700000010 is inside a range from 1700000010.5.
        expect(ids(query(store, 'TraceId', 1700000010.5, 1700000019.9))).toEqual([webApp]);
        expect(query(store, 'TraceId', 1700000011, 1700000019)).toEqual([]);
      });

      test('Event: a document started or ended inside the range', () => {
        const store = storeWithAll();
        const found = query(store, 'Event', 1700000020.45, 1700000020.46);
        expect(ids(found)).toEqual([lambda]);
        expect(found[0]!['MatchedEventTime']).toBe(1700000020.46);
        // The faulted trace runs from .5 to 41.25 with no event in between.
        expect(query(store, 'Event', 1700000040.7, 1700000041)).toEqual([]);
        expect(ids(query(store, 'Event', 1700000041.25, 1700000041.25))).toEqual([fault]);
      });

      test('Service: a segment (not a standalone subsegment) ended inside the range', () => {
        const store = storeWithAll();
        expect(query(store, 'Service', 1700000020.455, 1700000020.47)).toEqual([]);
        expect(ids(query(store, 'Event', 1700000020.455, 1700000020.47))).toEqual([lambda]);
        const found = query(store, 'Service', 1700000020.47, 1700000020.49);
        expect(ids(found)).toEqual([lambda]);
        expect(found[0]!['MatchedEventTime']).toBe(1700000020.48);
      });
    });

    describe('pages newest first with a stable cursor', () => {
      // 25 traces over 13 seconds: pairs share an epoch second, so arrival order breaks ties.
      const traces = Array.from({ length: 25 }, (_, n) => generateTrace(n + 1, 1700000100 + Math.floor(n / 2)));
      const base: SummaryQuery = { startTime: 1700000100, endTime: 1700000200, timeRangeType: 'TraceId', limit: 10 };
      const expected = [...traces].reverse().map((t) => t.traceId);
      const fill = (clock: { nowSeconds: number }): TraceStore => {
        const store = newStore(() => clock.nowSeconds);
        for (const trace of traces) store.write(trace.texts.map(toRecord));
        return store;
      };
      const readAll = (store: TraceStore, between?: (page: number) => void): Summary[][] => {
        const pages: Summary[][] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const result = apiPage(store.getTraceSummaries({ ...base, cursor }));
          pages.push([...result.summaries]);
          cursor = result.nextCursor;
          if (cursor === undefined) break;
          between?.(page);
        }
        return pages;
      };

      test('limit, next cursor, approximate time and processed count', () => {
        const clock = { nowSeconds: NOW };
        const store = fill(clock);
        const first = apiPage(store.getTraceSummaries(base));
        expect(first.summaries).toHaveLength(10);
        expect(first.tracesProcessedCount).toBe(10);
        expect(first.approximateTime).toBe(NOW);
        expect(first.nextCursor).toEqual(expect.any(String));
        clock.nowSeconds = NOW + 60;
        const second = apiPage(store.getTraceSummaries({ ...base, cursor: first.nextCursor }));
        // Every page reports the time the first page fixed its snapshot.
        expect(second.approximateTime).toBe(NOW);
        const pages = readAll(store);
        expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
        expect(pages.flat().map((s) => s['Id'])).toEqual(expected);
        expect(apiPage(store.getTraceSummaries({ ...base, limit: 25 })).nextCursor).toBeUndefined();
      });

      test('traces that arrive or change while paging neither repeat nor shift the pages', () => {
        const store = fill({ nowSeconds: NOW });
        let changes = 0;
        const pages = readAll(store, (page) => {
          changes++;
          // New traces, newer and older than the cursor.
          store.write(generateTrace(100 + page, 1700000199).texts.map(toRecord));
          store.write(generateTrace(200 + page, 1700000100).texts.map(toRecord));
          // A trace on the first page gains a document earlier than any other trace's start: ordered
          // by start time it would come round again on the last page.
          const victim = traces[19]!;
          store.write([toRecord(JSON.stringify({
            name: 'late-root', id: `${'e'.repeat(15)}${page}`, trace_id: victim.traceId,
            start_time: 1700000099 - page, end_time: 1700000109.5,
          }))]);
        });
        expect(changes).toBe(2);
        expect(pages.flat().map((s) => s['Id'])).toEqual(expected);
        // A fresh query sees everything.
        expect(apiPage(store.getTraceSummaries({ ...base, limit: 100 })).summaries).toHaveLength(25 + 2 * changes);
      });

      test('bad queries and foreign cursors are refused with InvalidQueryError', () => {
        const store = fill({ nowSeconds: NOW });
        const cursor = apiPage(store.getTraceSummaries(base)).nextCursor;
        const refused = (query: SummaryQuery, message: string) =>
          expect(() => apiPage(store.getTraceSummaries(query))).toThrow(expect.objectContaining({ name: 'InvalidQueryError', message: expect.stringContaining(message) }));
        refused({ ...base, cursor: 'bm90IGEgY3Vyc29y' }, 'not one this service issued');
        refused({ ...base, cursor: '%%%' }, 'not one this service issued');
        refused({ ...base, endTime: base.endTime + 1, cursor }, 'belongs to a different StartTime, EndTime or TimeRangeType');
        refused({ ...base, timeRangeType: 'Event', cursor }, 'belongs to a different');
        refused({ ...base, limit: 0 }, 'limit must be a whole number of at least 1');
        refused({ ...base, startTime: base.endTime + 1 }, 'is after endTime');
        refused({ ...base, timeRangeType: 'Wall' as TimeRangeType }, 'timeRangeType "Wall" must be one of TraceId, Event, Service');
        refused({ ...base, startTime: Number.NaN }, 'startTime must be a number');
        expect(() => apiPage(store.getTraceSummaries({ ...base, limit: 0 }))).toThrow(InvalidQueryError);
      });
    });

    describe('defers summaries and keeps reads consistent', () => {
      const lambda = (): SegmentRecord[] => fixtureRecords('lambda-sns-trace');

      test('every read sees every write that returned, without a refresh being asked for', () => {
        const store = newStore(() => NOW, { summaryDelayMillis: 60_000 });
        const records = lambda();
        const traceId = records[0]!.traceId;
        for (const record of records) {
          store.write([record]);
          const summary = summaryOf(store, traceId);
          const documents = traceOf(store, traceId).segments.length;
          expect(documents).toBeGreaterThan(0);
          expect(store.getTraceContributions([traceId])).toHaveLength(1);
          expect(summary['Revision']).toBe(records.indexOf(record) + 1);
        }
        expect(summaryOf(store, traceId)).toMatchObject({ IsPartial: false, Duration: 0.4, ResponseTime: 0.15 });
      });

      test('writes between two reads are summarized once, however many there are', () => {
        const store = newStore(() => NOW, { summaryDelayMillis: 60_000 });
        for (const record of lambda()) store.write([record]);
        for (const name of fixtureNames) store.write(fixtureRecords(name));
        const page = apiPage(store.getTraceSummaries({ startTime: 0, endTime: 4e9, timeRangeType: 'TraceId', limit: 100 }));
        expect(page.summaries.map((s) => s['Revision'])).toEqual(fixtureNames.map(() => 1));
      });

      test('a trace that waited summaryDelayMillis is refreshed without a read', () => {
        vi.useFakeTimers();
        const store = newStore(() => NOW, { summaryDelayMillis: 500 });
        const records = lambda();
        store.write(records.slice(0, 3));
        vi.advanceTimersByTime(499);
        store.write(records.slice(3, 5));
        vi.advanceTimersByTime(1);
        // The first refresh happened at 500 ms: the next change makes a second revision.
        store.write(records.slice(5));
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(2);
      });

      test('a write that finds the first waiting trace older than summaryDelayMillis refreshes at once', () => {
        vi.useFakeTimers();
        const store = newStore(() => NOW, { summaryDelayMillis: 500 });
        const records = lambda();
        store.write(records.slice(0, 3));
        // The clock moves without the timer firing, as in a thread too busy to run timers.
        vi.setSystemTime(Date.now() + 600);
        store.write(records.slice(3, 5));
        store.write(records.slice(5));
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(2);
      });

      test('a write that leaves maxDirtyTraces traces waiting refreshes at once', () => {
        const store = newStore(() => NOW, { summaryDelayMillis: 60_000, maxDirtyTraces: 2 });
        const records = lambda();
        store.write(records.slice(0, 3));
        store.write(fixtureRecords('minimal-segment'));
        store.write(records.slice(3));
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(2);
      });
    });

    describe('keeps the service graph by minute', () => {
      /** The aggregate's JSON with start and end times blanked: what difference updates keep exact. */
      const additive = (aggregate: Aggregate): unknown => {
        const json = aggregateToJson(aggregate);
        for (const minute of json.minutes) for (const cell of [...minute.nodes, ...minute.edges]) [cell.startTime, cell.endTime] = [0, 0];
        return json;
      };
      const text = (aggregate: Aggregate): string => JSON.stringify(aggregateToJson(aggregate));
      const everything = { startTime: 0, endTime: 4e9 };
      /** What the graph must be: every stored trace's documents recomputed from scratch. */
      const recompute = (store: TraceStore, traceIds: readonly string[]): Aggregate => mergeAggregates(...store.getTraces(traceIds).map((trace) =>
        contributionOfTrace(trace.segments.map((segment) => JSON.parse(segment.document) as GraphDocument))));
      // Pattern traces 7 s apart from 20 s into a minute: they cover four minutes.
      const traces = Array.from({ length: 24 }, (_, n) => patternTrace(n + 1, 1_700_000_060 + 20 + 7 * n, { httpFaults: n % 4 === 0, dynamoThrottled: n % 5 === 0 }));
      const records = (documents: ReturnType<typeof patternTrace>['documents']): SegmentRecord[] => documents.map((doc) => toRecord(JSON.stringify(doc)));

      test('equals a full recompute while documents arrive out of order, in progress first, over many refreshes', () => {
        const store = newStore();
        const pending = traces.flatMap((trace, n) => records(trace.documents).map((record, k) => ({ record, order: (n * 7 + k * 13) % 29 })));
        pending.sort((a, b) => a.order - b.order);
        // Every fourth document first arrives in progress; its complete version comes later.
        const early = pending.filter((_, i) => i % 4 === 0).map(({ record }) => {
          const doc = JSON.parse(record.document) as Record<string, unknown>;
          delete doc['end_time'];
          return toRecord(JSON.stringify({ ...doc, in_progress: true }));
        });
        store.write(early);
        const ids = traces.map((trace) => trace.traceId);
        for (let at = 0; at < pending.length; at += 25) {
          store.write(pending.slice(at, at + 25).map(({ record }) => record));
          expect(additive(store.getGraphMinutes(everything))).toEqual(additive(recompute(store, ids)));
        }
        const graph = store.getGraphMinutes(everything);
        expect(graph.minutes.size).toBe(4);
        expect(text(graph)).toBe(text(recompute(store, ids)));
      });

      test('a window gets the minutes that overlap it', () => {
        const store = newStore();
        for (const trace of traces) store.write(records(trace.documents));
        const all = store.getGraphMinutes(everything);
        const minutes = [...all.minutes.keys()].sort((a, b) => a - b);
        expect(minutes).toEqual([1_700_000_040, 1_700_000_100, 1_700_000_160, 1_700_000_220]);
        expect([...store.getGraphMinutes({ startTime: 1_700_000_100, endTime: 1_700_000_160 }).minutes.keys()]).toEqual([1_700_000_100]);
        expect([...store.getGraphMinutes({ startTime: 1_700_000_099.5, endTime: 1_700_000_160.5 }).minutes.keys()].sort()).toEqual(minutes.slice(0, 3));
        expect(store.getGraphMinutes({ startTime: 1_600_000_000, endTime: 1_600_000_600 }).minutes.size).toBe(0);
        expect(() => store.getGraphMinutes({ startTime: 10, endTime: 5 })).toThrow(RangeError);
      });

      test('a trace\'s contribution is its documents\', and retention takes it out of the minutes', () => {
        const store = newStore();
        for (const trace of traces) store.write(records(trace.documents));
        const [first, second] = traces as [ReturnType<typeof patternTrace>, ReturnType<typeof patternTrace>];
        const contributions = store.getTraceContributions([second.traceId, 'missing', first.traceId, second.traceId]);
        expect(contributions.map((c) => c.traceId)).toEqual([second.traceId, first.traceId]);
        expect(text(contributions[1]!.contribution)).toBe(text(contributionOfTrace(first.build())));
        // The first 12 traces end before 1_700_000_080 + 7 * 12.
        expect(store.deleteTracesBefore(1_700_000_080 + 7 * 12)).toBe(12);
        const kept = traces.slice(12).map((trace) => trace.traceId);
        expect(additive(store.getGraphMinutes(everything))).toEqual(additive(recompute(store, kept)));
        expect(store.getTraceContributions([first.traceId])).toEqual([]);
        store.deleteTracesBefore(4e9);
        expect(store.getGraphMinutes(everything).minutes.size).toBe(0);
      });
    });

    describe('retention', () => {
      test('drops traces whose newest document ended before the cutoff, with all their documents', () => {
        const store = newStore();
        for (const name of fixtureNames) store.write(fixtureRecords(name));
        const all = { startTime: 0, endTime: 4e9, timeRangeType: 'TraceId' as const, limit: 100 };
        expect(apiPage(store.getTraceSummaries(all)).summaries).toHaveLength(fixtureNames.length);
        // The web app trace ends at 1700000010.9; the cutoff is exclusive.
        expect(store.deleteTracesBefore(1700000010.9)).toBe(2);
        expect(ids(apiPage(store.getTraceSummaries(all)).summaries)).toEqual([
          loadFixture('fault-trace').traceId,
          loadFixture('orphan-subsegment').traceId,
          loadFixture('lambda-sns-trace').traceId,
          loadFixture('web-app-trace').traceId,
        ]);
        expect(store.getTraces([loadFixture('minimal-segment').traceId, loadFixture('in-progress-segment').traceId])).toEqual([]);
        expect(store.deleteTracesBefore(1700000010.9)).toBe(0);
        expect(store.deleteTracesBefore(4e9)).toBe(4);
        expect(apiPage(store.getTraceSummaries(all)).summaries).toEqual([]);
      });

      test('a trace still in progress is kept by its latest start', () => {
        const store = newStore();
        const [inProgress] = fixtureRecords('in-progress-segment');
        store.write([inProgress!]);
        expect(store.deleteTracesBefore(1700000001.125)).toBe(0);
        expect(store.deleteTracesBefore(1700000001.126)).toBe(1);
      });

      test('a trace written again after it was dropped starts afresh', () => {
        const store = newStore();
        const records = fixtureRecords('lambda-sns-trace');
        store.write(records);
        store.deleteTracesBefore(4e9);
        store.write(records.slice(0, 1));
        const trace = traceOf(store, records[0]!.traceId);
        expect(trace.segments.map((s) => s.id)).toEqual([records[0]!.id]);
        expect(summaryOf(store, records[0]!.traceId)['Revision']).toBe(1);
      });
    });
  });
}
