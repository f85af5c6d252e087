import { describe, expect, test } from 'vitest';
import { clientLabel, connectionErrorCount, healthOf } from '../../src/console/sampling/telemetry.ts';

describe('telemetry on the Sampling page', () => {
  test('a client is named by what it sent: host, instance, resource', () => {
    expect(clientLabel({ Hostname: 'web-1', EC2InstanceId: 'i-0abc' })).toBe('web-1 · i-0abc');
    expect(clientLabel({ ResourceARN: 'arn:aws:lambda:eu-west-1:1:function:f' })).toBe('arn:aws:lambda:eu-west-1:1:function:f');
    expect(clientLabel({})).toBe('(unnamed)');
  });

  test('connection errors of every kind add up; rejections, spillover or errors mean segments were lost', () => {
    const summary = { SegmentsReceivedCount: 10, SegmentsSentCount: 10, BackendConnectionErrors: { TimeoutCount: 2, HTTPCode5XXCount: 1, OtherCount: 0 } };
    expect(connectionErrorCount(summary)).toBe(3);
    expect(healthOf(summary)).toBe('degraded');
    expect(healthOf({ SegmentsReceivedCount: 10, SegmentsSentCount: 10, BackendConnectionErrors: { TimeoutCount: 0 } })).toBe('ok');
    expect(healthOf({ SegmentsSpilloverCount: 1 })).toBe('degraded');
    expect(healthOf({ SegmentsRejectedCount: 1 })).toBe('degraded');
  });
});
