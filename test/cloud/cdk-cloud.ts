/**
 * A local cloud over a CDK app a test synthesized into `<root>/cdk.out`: its segments go to the
 * test's fake daemon (started here), its data to `<root>/data`, one execution environment a
 * function. For the tests that run a small CDK app; the test stops the cloud, then the daemon.
 */
import { join } from 'node:path';
import { startLocalCloud } from '../../src/cloud/index.ts';
import type { LocalCloud } from '../../src/cloud/index.ts';
import type { Logger } from '../../src/cloud/core/runtime.ts';
import { capturingLogger } from './lambda/support.ts';
import type { FakeDaemon } from './lambda/support.ts';

export async function startCdkCloud(root: string, daemon: FakeDaemon, logger: Logger = capturingLogger().logger): Promise<LocalCloud> {
  return startLocalCloud({
    assemblyDir: join(root, 'cdk.out'),
    dataDir: join(root, 'data'),
    daemonAddress: await daemon.start(),
    gatewayPort: 0,
    endpointPort: 0,
    maxEnvironmentsPerFunction: 1,
    logger,
  });
}
