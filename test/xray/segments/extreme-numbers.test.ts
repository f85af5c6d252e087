/**
 * Documents with extreme but syntactically valid numbers, through PutTraceSegments into a SQLite
 * data folder. Times out of range used to be accepted; afterwards summaries and the service graph
 * over their range answered 500 and the service would not start again on the folder. Now such times
 * are refused with the limit stated, and what is accepted at the edges (the smallest and largest
 * times allowed, extreme annotation numbers, a status of 1e300 kept as sent) leaves every read and
 * a restart working.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { MAX_EPOCH_SECONDS } from '../../../src/xray/segments/validate.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { newId, newTraceId } from '../support/documents.ts';
import { untilStored } from '../support/until-stored.ts';

const NOW = 1_750_000_000;
const dataDir = mkdtempSync(path.join(tmpdir(), 'xray-extreme-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(): Promise<XrayService> {
  return startXrayService({ dataDir, daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000, consoleDir: false, retentionDays: 36_500 });
}

async function call(service: XrayService, route: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${service.api.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A segment as JSON text with `start` and `end` written as given (1e300 stays 1e300). */
function segmentText(start: string, end: string, extra = ''): { id: string; traceId: string; text: string } {
  const id = newId();
  const traceId = newTraceId(NOW - 60);
  return { id, traceId, text: `{"name":"edge","id":"${id}","trace_id":"${traceId}","start_time":${start},"end_time":${end}${extra}}` };
}

const READS: ReadonlyArray<[string, unknown]> = [
  ['/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW }],
  ['/TraceSummaries', { StartTime: MAX_EPOCH_SECONDS - 3600, EndTime: MAX_EPOCH_SECONDS }],
  ['/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW, FilterExpression: 'annotation.big > 1e307 OR annotation.small < -1e307 OR responsetime > 1e9' }],
  ['/ServiceGraph', { StartTime: NOW - 3600, EndTime: NOW }],
  ['/ServiceGraph', { StartTime: MAX_EPOCH_SECONDS - 3600, EndTime: MAX_EPOCH_SECONDS }],
  ['/TimeSeriesServiceStatistics', { StartTime: NOW - 3600, EndTime: NOW, Period: 60 }],
];

describe('extreme numbers in documents', () => {
  let service: XrayService;
  const kept: Array<{ id: string; traceId: string; text: string }> = [];

  test('times that are not epoch seconds before 2100 are refused, stating the limit', async () => {
    service = await start();
    const refused = [
      segmentText('1e300', '1e301'),
      segmentText(`${NOW}`, '1.7976931348623157e308'),
      segmentText(`${NOW}`, '1e20'),
      segmentText('0', `${NOW}`),
      segmentText('-5', `${NOW}`),
      segmentText(`${MAX_EPOCH_SECONDS}`, `${MAX_EPOCH_SECONDS + 1}`),
      segmentText(`${NOW}`, `${NOW + 1}`, ',"subsegments":[{"name":"s","id":"00000000000000aa","start_time":1e300,"end_time":1e300}]'),
    ];
    const put = await call(service, '/TraceSegments', { TraceSegmentDocuments: refused.map((doc) => doc.text) });
    expect(put.status).toBe(200);
    const unprocessed = put.json['UnprocessedTraceSegments'] as Array<{ Id: string; ErrorCode: string; Message: string }>;
    expect(unprocessed.map((u) => u.Id)).toEqual(refused.map((doc) => doc.id));
    for (const u of unprocessed) {
      expect(u.ErrorCode).toBe('InvalidField');
      expect(u.Message).toContain(`must be a number of epoch seconds above 0 and before ${MAX_EPOCH_SECONDS} (2100-01-01T00:00:00Z)`);
    }
  });

  test('what is accepted at the edges is stored, and every read over its range answers', async () => {
    kept.push(
      segmentText('5e-324', `${NOW - 60}`),
      segmentText(`${NOW - 60}`, `${MAX_EPOCH_SECONDS - 0.001}`),
      segmentText(`${NOW - 60}`, `${NOW - 59}`, ',"annotations":{"big":1.7976931348623157e308,"small":-1.7976931348623157e308,"tiny":5e-324},"http":{"response":{"status":1e300,"content_length":-1e300}}'),
    );
    const put = await call(service, '/TraceSegments', { TraceSegmentDocuments: kept.map((doc) => doc.text) });
    expect(put.json).toEqual({ UnprocessedTraceSegments: [] });
    await untilStored(service);
    for (const [route, body] of READS) {
      const response = await call(service, route, body);
      expect(response.status, `${route} ${JSON.stringify(body)}: ${JSON.stringify(response.json).slice(0, 300)}`).toBe(200);
    }
    const matched = await call(service, '/TraceSummaries', { StartTime: NOW - 3600, EndTime: NOW, FilterExpression: 'annotation.big > 1e307' });
    expect((matched.json['TraceSummaries'] as Array<{ Id: string }>).map((summary) => summary.Id)).toEqual([kept[2]?.traceId]);
  });

  test('the service stops cleanly, starts again on the folder and returns the documents as sent', async () => {
    await service.stop();
    service = await start();
    try {
      for (const [route, body] of READS) expect((await call(service, route, body)).status, route).toBe(200);
      const traces = await call(service, '/Traces', { TraceIds: kept.map((doc) => doc.traceId) });
      const returned = (traces.json['Traces'] as Array<{ Segments: Array<{ Document: string }> }>).flatMap((trace) => trace.Segments.map((s) => s.Document));
      expect(returned.sort()).toEqual(kept.map((doc) => doc.text).sort());
    } finally {
      await service.stop();
    }
  });
});
