import { MemoryTraceStore } from '../../src/xray/store/index.ts';
import type { Service } from '../../src/console/api/types.ts';
import { patternTrace } from '../xray/graph/pattern-traces.ts';

/** The service map of `count` pattern requests (every third with the HTTP flow faulting), as the API answers it. */
export async function patternServices(count: number, t0 = 1_780_000_000): Promise<Service[]> {
  const { startXrayService } = await import('../../src/xray/service.ts');
  const service = await startXrayService({
    store: new MemoryTraceStore(), apiPort: 0, daemonPort: 0,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  try {
    const documents: string[] = [];
    for (let i = 0; i < count; i += 1) {
      for (const document of patternTrace(i, t0 + i, { httpFaults: i % 3 === 0 }).documents) documents.push(JSON.stringify(document));
    }
    await post(service.api.url, '/TraceSegments', { TraceSegmentDocuments: documents });
    const graph = await post(service.api.url, '/ServiceGraph', { StartTime: t0 - 10, EndTime: t0 + count + 10 }) as { Services: Service[] };
    return graph.Services;
  } finally {
    await service.stop();
  }
}

async function post(url: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}
