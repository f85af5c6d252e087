import { describe, expect, test } from 'vitest';
import { packSummary, unpackSummary } from '../../../src/xray/traces/packed-summary.ts';
import { computeTrace, type StoredSummary } from '../../../src/xray/traces/summary.ts';
import { storedSummaryJson } from '../../../src/xray/api/trace-summary-json.ts';
import { parseRecords } from '../../../src/xray/traces/tree.ts';
import { fixtureNames, fixtureRecords } from '../fixtures/index.ts';

describe('packed summaries', () => {
  test.each(fixtureNames)('round-trip the summary of fixture %s, in fewer bytes', (name) => {
    const records = fixtureRecords(name);
    const { summary } = computeTrace(records[0]!.traceId, parseRecords(records));
    const packed = packSummary(summary);
    expect(unpackSummary(packed)).toEqual(summary);
    expect(storedSummaryJson(unpackSummary(packed))).toEqual(JSON.parse(JSON.stringify(storedSummaryJson(summary))));
    expect(packed.length).toBeLessThan(JSON.stringify(storedSummaryJson(summary)).length);
  });

  test('services equal by content but not shared objects are still found, and root causes are kept', () => {
    const service = { name: 'api', type: 'AWS::Lambda::Function', accountId: undefined };
    const summary: StoredSummary = {
      id: '1-6553f300-00000000000000000000abcd', startTime: 1, duration: 1, responseTime: undefined, hasFault: true, hasError: false,
      hasThrottle: false, isPartial: false,
      http: { url: undefined, status: undefined, method: undefined, userAgent: undefined, clientIp: undefined },
      annotations: new Map([['a', [{ value: 'x', services: [{ ...service }] }]]]),
      users: [], services: [service], resourceArns: [], instanceIds: [], availabilityZones: [],
      entryPoint: { ...service },
      rootCauses: {
        fault: [{ services: [{ service: { ...service }, entityPath: [{ name: 'api', exceptions: [], remote: false }], inferred: false }], clientImpacting: true }],
        error: [],
        responseTime: [],
      },
    };
    expect(unpackSummary(packSummary(summary))).toEqual(summary);
  });

  test('a service missing from ServiceIds is an error, not a silent loss', () => {
    const { summary } = computeTrace(fixtureRecords('minimal-segment')[0]!.traceId, parseRecords(fixtureRecords('minimal-segment')));
    expect(() => packSummary({ ...summary, services: [] })).toThrow('service example.com is not among the trace\'s ServiceIds');
  });
});
