/**
 * Service level objectives through the local-only API: created, listed with their attainment over
 * the rolling window (availability from the node's faults, latency from its response-time
 * histogram), refused when malformed, deleted, and kept in slos.db across a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { newTraceId, segment } from '../support/documents.ts';

const NOW = 1_750_000_000;

async function start(dataDir?: string): Promise<XrayService> {
  return startXrayService({
    ...(dataDir === undefined ? { store: new MemoryTraceStore({ nowSeconds: () => NOW }) } : { dataDir }),
    daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000, region: 'eu-west-1', accountId: '123456789012',
  });
}

async function post(service: XrayService, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${service.api.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('service level objectives', () => {
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });

  it('reports attainment and error-budget burn from the service graph, for availability and latency', async () => {
    const service = await start();
    stops.push(() => service.stop());
    const client = new XRayClient({ endpoint: service.api.url, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    stops.push(async () => client.destroy());
    // 10 requests of `orders-api`: 2 faulted, 3 slower than 500 ms.
    const documents = Array.from({ length: 10 }, (_, i) => {
      const start = NOW - 600 + i;
      return JSON.stringify(segment(newTraceId(start), start, {
        end_time: start + (i < 3 ? 0.8 : 0.1),
        ...(i >= 8 ? { fault: true, http: { request: { method: 'GET', url: 'https://api.example.com/x' }, response: { status: 500 } } } : {}),
      }));
    });
    expect((await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: documents }))).UnprocessedTraceSegments).toEqual([]);

    const availability = { Name: 'orders-availability', Service: { Name: 'orders-api' }, Sli: { Kind: 'availability' }, GoalPercent: 90, WindowDays: 1 };
    expect((await post(service, '/local/CreateServiceLevelObjective', availability)).status).toBe(200);
    const latency = { Name: 'orders-latency', Service: { Name: 'orders-api' }, Sli: { Kind: 'latency', LatencyThresholdMs: 500 }, GoalPercent: 80, WindowDays: 1 };
    expect((await post(service, '/local/CreateServiceLevelObjective', latency)).status).toBe(200);

    const listed = await post(service, '/local/ServiceLevelObjectives', {});
    const [first, second] = listed.json['ServiceLevelObjectives'] as Array<Record<string, Record<string, unknown>>>;
    // Availability: 8 good of 10 against a 90% goal: a 1-request budget burnt twice.
    expect(first?.['Attainment']).toMatchObject({ TotalCount: 10, GoodCount: 8, AttainmentPercent: 80, ErrorBudgetBurn: 2, Met: false });
    // Latency: 7 within 500 ms of 10 against 80%: 3 bad of a 2-request budget.
    expect(second?.['Attainment']).toMatchObject({ TotalCount: 10, GoodCount: 7, Met: false });
    expect(second?.['Attainment']?.['ErrorBudgetBurn']).toBeCloseTo(1.5);
  });

  it('refuses malformed objectives and a duplicate, deletes by name', async () => {
    const service = await start();
    stops.push(() => service.stop());
    const base = { Name: 'a', Service: { Name: 's' }, Sli: { Kind: 'availability' }, GoalPercent: 99 };
    for (const bad of [{ ...base, GoalPercent: 100 }, { ...base, Sli: { Kind: 'latency' } }, { ...base, WindowDays: 31 }, { ...base, Name: 'no spaces' }, { ...base, Sli: { Kind: 'throughput' } }]) {
      const refused = await post(service, '/local/CreateServiceLevelObjective', bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await post(service, '/local/CreateServiceLevelObjective', base)).status).toBe(200);
    expect((await post(service, '/local/CreateServiceLevelObjective', base)).status).toBe(400);
    expect((await post(service, '/local/DeleteServiceLevelObjective', { Name: 'a' })).status).toBe(200);
    expect((await post(service, '/local/DeleteServiceLevelObjective', { Name: 'a' })).status).toBe(404);
  });

  it('keeps objectives across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slo-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const first = await start(dir);
    await post(first, '/local/CreateServiceLevelObjective', { Name: 'kept', Service: { Name: 's', Type: 'AWS::Lambda::Function' }, Sli: { Kind: 'availability' }, GoalPercent: 99.5 });
    await first.stop();
    const second = await start(dir);
    stops.push(() => second.stop());
    const listed = await post(second, '/local/ServiceLevelObjectives', {});
    expect(listed.json['ServiceLevelObjectives']).toMatchObject([{ Name: 'kept', Service: { Name: 's', Type: 'AWS::Lambda::Function' }, GoalPercent: 99.5, WindowDays: 7 }]);
  });
});
