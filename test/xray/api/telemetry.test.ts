import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutTelemetryRecordsCommand } from '@aws-sdk/client-xray';
import { afterAll, describe, expect, test } from 'vitest';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { SqliteSettingsStore } from '../../../src/xray/settings/index.ts';
import { TELEMETRY_SUMMARIES_PATH } from '../../../src/xray/api/telemetry.ts';
import { failure, NOW, startApiService, type ApiService } from '../support/api-service.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function summaries(api: ApiService): Promise<unknown[]> {
  const response = await fetch(`${api.service.api.url}${TELEMETRY_SUMMARIES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return ((await response.json()) as { TelemetrySummaries: unknown[] }).TelemetrySummaries;
}

describe('PutTelemetryRecords through XRayClient', () => {
  test('records are kept per client, added up, and survive a restart in settings.db', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xray-telemetry-'));
    dirs.push(dir);
    const file = path.join(dir, 'settings.db');
    const open = () => startApiService({ store: new MemoryTraceStore({ nowSeconds: () => NOW }), settings: new SqliteSettingsStore({ file }) });
    let api = await open();
    await api.client.send(new PutTelemetryRecordsCommand({
      Hostname: 'web-1', EC2InstanceId: 'i-0abc',
      TelemetryRecords: [
        { Timestamp: new Date((NOW - 60) * 1000), SegmentsReceivedCount: 10, SegmentsSentCount: 9, SegmentsRejectedCount: 1, BackendConnectionErrors: { TimeoutCount: 2 } },
        { Timestamp: new Date((NOW - 30) * 1000), SegmentsReceivedCount: 5, SegmentsSentCount: 5, SegmentsSpilloverCount: 0 },
      ],
    }));
    api.clock.nowSeconds = NOW + 1;
    await api.client.send(new PutTelemetryRecordsCommand({ ResourceARN: 'arn:aws:lambda:eu-west-1:123456789012:function:f', TelemetryRecords: [{ Timestamp: new Date(NOW * 1000), SegmentsReceivedCount: 1 }] }));
    await api.stop();

    api = await open();
    expect(await summaries(api)).toEqual([
      {
        ResourceARN: 'arn:aws:lambda:eu-west-1:123456789012:function:f', RecordCount: 1,
        SegmentsReceivedCount: 1, SegmentsSentCount: 0, SegmentsSpilloverCount: 0, SegmentsRejectedCount: 0,
        BackendConnectionErrors: { TimeoutCount: 0, ConnectionRefusedCount: 0, HTTPCode4XXCount: 0, HTTPCode5XXCount: 0, UnknownHostCount: 0, OtherCount: 0 },
        LastRecordTime: NOW, LastReportTime: NOW + 1,
      },
      {
        EC2InstanceId: 'i-0abc', Hostname: 'web-1', RecordCount: 2,
        SegmentsReceivedCount: 15, SegmentsSentCount: 14, SegmentsSpilloverCount: 0, SegmentsRejectedCount: 1,
        BackendConnectionErrors: { TimeoutCount: 2, ConnectionRefusedCount: 0, HTTPCode4XXCount: 0, HTTPCode5XXCount: 0, UnknownHostCount: 0, OtherCount: 0 },
        LastRecordTime: NOW - 30, LastReportTime: NOW,
      },
    ]);
    await api.stop();
  });

  test.each([
    ['no records', {}, 'TelemetryRecords is required'],
    ['a record without Timestamp', { TelemetryRecords: [{ SegmentsSentCount: 1 }] }, 'TelemetryRecords[0].Timestamp is required'],
    ['a negative count', { TelemetryRecords: [{ Timestamp: new Date(NOW * 1000), SegmentsSentCount: -1 }] }, 'TelemetryRecords[0].SegmentsSentCount must be a whole number of at least 0, got number -1'],
    ['an overlong EC2InstanceId', { EC2InstanceId: 'i'.repeat(21), TelemetryRecords: [] }, 'EC2InstanceId must be at most 20 characters long, got 21'],
  ])('refuses %s with InvalidRequestException', async (_what, input, message) => {
    const api = await startApiService();
    try {
      expect(await failure(api.client.send(new PutTelemetryRecordsCommand(input as never)))).toEqual({ name: 'InvalidRequestException', message, status: 400 });
      expect(await summaries(api)).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});
