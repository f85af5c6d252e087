/** A started X-Ray service with in-memory stores, a settable clock and an XRayClient pointed at it. */
import { XRayClient } from '@aws-sdk/client-xray';
import { MemoryGroupStorage } from '../../../src/xray/groups/index.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { MemorySamplingRuleStorage } from '../../../src/xray/sampling/index.ts';
import { startXrayService, type XrayService, type XrayServiceOptions } from '../../../src/xray/service.ts';
import { MemorySettingsStore } from '../../../src/xray/settings/index.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';

export const NOW = 1_750_000_000;
export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';

export interface ApiService {
  readonly service: XrayService;
  readonly client: XRayClient;
  /** The service's clock, in epoch seconds; tests move it. */
  clock: { nowSeconds: number };
  stop(): Promise<void>;
}

export async function startApiService(options: Partial<XrayServiceOptions> = {}): Promise<ApiService> {
  const clock = { nowSeconds: NOW };
  let ids = 0;
  const service = await startXrayService({
    store: new MemoryTraceStore({ nowSeconds: () => clock.nowSeconds }),
    groups: new MemoryGroupStorage(),
    samplingRules: new MemorySamplingRuleStorage(),
    settings: new MemorySettingsStore(),
    daemonPort: 0, apiPort: 0, logger: silentLogger, consoleDir: false,
    nowMs: () => clock.nowSeconds * 1000,
    region: REGION, accountId: ACCOUNT, newGroupId: () => `ID${++ids}`,
    ...options,
  });
  const client = new XRayClient({
    endpoint: service.api.url, region: REGION, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1,
  });
  return {
    service, client, clock,
    stop: async () => {
      client.destroy();
      await service.stop();
    },
  };
}

/** The error an SDK call rejects with: its name, message, status and modelled members. */
export async function failure(call: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined; ResourceName?: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number }; ResourceName?: string };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode, ...(e.ResourceName === undefined ? {} : { ResourceName: e.ResourceName }) };
  }
  throw new Error('the call succeeded');
}
