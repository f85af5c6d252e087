// Reading AWS X-Ray without credentials or a region: the SDK's own errors, said as what to do. The
// environment is emptied of every credential source (this file runs in a process of its own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { silentProgress } from '../../../src/cli/progress.ts';
import { runPull } from '../../../src/cli/pull/index.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { capture, startService } from '../support/xray-service.ts';

const NOW = 1_750_000_000;
/** Set for every test worker by vitest.config.ts. */
const SDK_WARNING_OPT_OUT = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const home = mkdtempSync(join(tmpdir(), 'pull-home-'));
const saved = { ...process.env };
let target: XrayService;

beforeAll(async () => {
  // The machine's AWS settings stay out; the tests' opt-out of the SDK's Node 20 warning stays in.
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_') && name !== SDK_WARNING_OPT_OUT) delete process.env[name];
  process.env.HOME = home;
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  target = await startService(NOW);
});

afterAll(async () => {
  process.env = saved;
  await target.stop();
  rmSync(home, { recursive: true, force: true });
});

test('no credentials: exit 1 with what to do', async () => {
  const run = await capture(NOW, (output) => runPull({ region: 'eu-west-1', endpoint: target.api.url }, output, silentProgress));
  expect(run.code).toBe(1);
  expect(run.err).toEqual([expect.stringMatching(/^xray-tracer pull: no AWS credentials for AWS X-Ray \(eu-west-1\): .* \(set AWS_PROFILE or pass --profile, or pull from another X-Ray API with --source-endpoint\)$/)]);
});

test('no region: exit 1 with what to do', async () => {
  const run = await capture(NOW, (output) => runPull({ endpoint: target.api.url }, output, silentProgress));
  expect(run.code).toBe(1);
  expect(run.err).toEqual(['xray-tracer pull: no AWS region for AWS X-Ray: pass --region or set AWS_REGION']);
});
