import { describe, expect, test } from 'vitest';
import { packSummary, unpackSummary } from '../../../src/xray/traces/packed-summary.ts';
import { computeTrace, type StoredSummaryJson } from '../../../src/xray/traces/summary.ts';
import { parseRecords } from '../../../src/xray/traces/tree.ts';
import { fixtureNames, fixtureRecords } from '../fixtures/index.ts';

describe('packed summaries', () => {
  test.each(fixtureNames)('round-trip the summary of fixture %s, in fewer bytes', (name) => {
    const records = fixtureRecords(name);
    const { summary } = computeTrace(records[0]!.traceId, parseRecords(records));
    const packed = packSummary(summary);
    expect(unpackSummary(packed)).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(packed.length).toBeLessThan(JSON.stringify(summary).length);
  });

  test('services equal by content but not shared objects are still found, and root causes are kept', () => {
    const service = { Name: 'api', Names: ['api'], Type: 'AWS::Lambda::Function' };
    const summary: StoredSummaryJson = {
      Id: '1-6553f300-00000000000000000000abcd', StartTime: 1, Duration: 1, HasFault: true, HasError: false,
      HasThrottle: false, IsPartial: false, Http: {},
      Annotations: { a: [{ AnnotationValue: { StringValue: 'x' }, ServiceIds: [{ ...service, Names: ['api'] }] }] },
      Users: [], ServiceIds: [service], ResourceARNs: [], InstanceIds: [], AvailabilityZones: [],
      EntryPoint: { ...service, Names: ['api'] },
      FaultRootCauses: [{ Services: [{ Name: 'api' }] }], ErrorRootCauses: [], ResponseTimeRootCauses: [],
    };
    expect(unpackSummary(packSummary(summary))).toEqual(summary);
  });

  test('a service missing from ServiceIds is an error, not a silent loss', () => {
    const { summary } = computeTrace(fixtureRecords('minimal-segment')[0]!.traceId, parseRecords(fixtureRecords('minimal-segment')));
    expect(() => packSummary({ ...summary, ServiceIds: [] })).toThrow('service example.com is not among the trace\'s ServiceIds');
  });
});
