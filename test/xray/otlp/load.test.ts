import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService } from '../../../src/xray/service.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { SqliteTraceStore } from '../../../src/xray/store/index.ts';

const REQUESTS = 16;
const SPANS_PER_REQUEST = 250;
const dirs: string[] = [];
let service: XrayService | undefined;

afterAll(async () => {
  await service?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** One export of root spans, each its own trace, so every span is one stored segment. */
function exportBody(request: number, nowSeconds: number): { body: string; traceIds: string[] } {
  const traceIds: string[] = [];
  const spans = Array.from({ length: SPANS_PER_REQUEST }, (_, i) => {
    const traceId = `${nowSeconds.toString(16).padStart(8, '0')}${(request * SPANS_PER_REQUEST + i + 1).toString(16).padStart(24, '0')}`;
    traceIds.push(`1-${traceId.slice(0, 8)}-${traceId.slice(8)}`);
    const startNs = BigInt(nowSeconds) * 1_000_000_000n;
    return { traceId, spanId: (i + 1).toString(16).padStart(16, '0'), name: 'GET /', kind: 2, startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + 1_000_000n) };
  });
  const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'load' } }] }, scopeSpans: [{ spans }] }] });
  return { body, traceIds };
}

describe('OTLP under a load the store cannot keep up with', () => {
  test('every request is a 200 with all its spans stored, or a 429 with none of them; never a 200 for spans not stored', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'otlp-load-'));
    dirs.push(dataDir);
    // Room for two requests' spans in front of the writer.
    service = await startXrayService({ dataDir, daemonPort: 0, apiPort: 0, otlpPort: 0, logger: silentLogger, maxPendingRecords: 2 * SPANS_PER_REQUEST });
    const url = service.otlp?.tracesUrl ?? '';
    const nowSeconds = Math.floor(Date.now() / 1000);
    const exports = Array.from({ length: REQUESTS }, (_, request) => exportBody(request, nowSeconds));
    const statuses = await Promise.all(
      exports.map(async ({ body }) => {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status !== 200 && status !== 429)).toEqual([]);
    const answered = exports.filter((_, i) => statuses[i] === 200).flatMap((e) => e.traceIds);
    const refused = exports.filter((_, i) => statuses[i] === 429).flatMap((e) => e.traceIds);

    // Read through another connection while the service still runs: what was answered 200 is committed.
    const reader = new SqliteTraceStore({ file: service.dataFile as string, readOnly: true });
    try {
      const stored = (ids: string[]): number => {
        let count = 0;
        for (let i = 0; i < ids.length; i += 500) count += reader.getTraces(ids.slice(i, i + 500)).length;
        return count;
      };
      expect(stored(answered)).toBe(answered.length);
      expect(stored(refused)).toBe(0);
    } finally {
      reader.close();
    }
    const { otlp, store } = service.stats();
    expect(otlp).toMatchObject({ acceptedSpans: answered.length, retryableSpans: refused.length, rejectedSpans: 0 });
    expect(store).toMatchObject({ written: answered.length, refused: refused.length, dropped: 0, failed: 0 });
  }, 60_000);
});
