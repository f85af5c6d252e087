import { defineConfig } from 'vitest/config';

/**
 * Test files that start whole processes, synthesize CDK apps, drive a browser or wait on real
 * timeouts: the integration side of `npm test`. `npm run test:unit` leaves them (and test/e2e) out
 * for a fast loop.
 */
const SLOW = [
  'test/e2e/**',
  'test/pattern/infra/**',
  'test/cli/synthesize.test.ts',
  'test/cli/synth-stamp.test.ts',
  'test/cli/watch/**',
  'test/cli/load/run-load.test.ts',
  'test/cloud/pattern-assembly.test.ts',
  'test/cloud/template/assembly.test.ts',
  'test/cloud/sampling/template-rules.test.ts',
  'test/cloud/xray-config/template-groups.test.ts',
  'test/cloud/endpoint/durability.test.ts',
  'test/cloud/sqs/durability.test.ts',
  'test/xray/segments/python-sdk.test.ts',
  'test/common/server-timeouts.test.ts',
  'test/**/fuzz.test.ts',
  'test/**/hostile*.test.ts',
];

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The AWS SDK's documented opt-out of its NodeVersionSupportWarning (Node 20 is supported here
    // until the SDK's January 2027 cut-off): tests only, so that the warning does not bury real output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep heavy suites (CDK synth, servers) from starving each other.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SLOW } },
      { extends: true, test: { name: 'integration', include: SLOW.map((glob) => (glob.endsWith('**') ? `${glob}/*.test.ts` : glob)) } },
    ],
  },
});
