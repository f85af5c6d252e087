import { defineConfig } from 'vitest/config';

/**
 * The tiers, as vitest projects (`npm test` runs them all, as CI does):
 * - unit (`npm run test:unit`): the fast loop, under a minute on a two-core machine;
 * - integration: files that cost seconds each (by the JSON reporter's durations) because they start
 *   processes or worker threads, restart the service on SQLite, synthesize CDK apps, run seeded
 *   property, fuzz or load checks, or wait on real timeouts;
 * - e2e: whole programs, services and the local cloud together (test/e2e);
 * - browser: the e2e suites that drive Chromium.
 * A new slow file belongs in INTEGRATION, so that the unit tier stays fast.
 */
const BROWSER = ['test/e2e/console/**/*.test.ts', 'test/e2e/hostile-page.test.ts'];
const E2E = ['test/e2e/**/*.test.ts'];
const INTEGRATION = [
  'test/pattern/infra/**/*.test.ts',
  'test/cli/synthesize.test.ts',
  'test/cli/synth-stamp.test.ts',
  'test/cli/watch/**/*.test.ts',
  'test/cli/load/run-load.test.ts',
  // Each runs bin/xray-tracer.js in a child process once ("wired into the CLI"): seconds each.
  'test/cli/groups/run-groups.test.ts',
  'test/cli/map/run-map.test.ts',
  'test/cli/sampling/run-sampling.test.ts',
  'test/cli/trace/run-trace.test.ts',
  'test/cli/traces/run-traces.test.ts',
  'test/cloud/pattern-assembly.test.ts',
  'test/cloud/gateway/lambda-rest-api.test.ts',
  'test/cloud/http-api/http-api-cdk.test.ts',
  'test/cloud/gateway/cdk-request-features.test.ts',
  'test/cloud/template/assembly.test.ts',
  'test/cloud/xray-config/template-rules.test.ts',
  'test/cloud/sampling/local-cloud-sampling.test.ts',
  'test/cloud/xray-config/template-groups.test.ts',
  'test/cloud/endpoint/durability.test.ts',
  'test/cloud/sqs/durability.test.ts',
  // Runs the AWS CLI (about a second a call).
  'test/cloud/sqs/fifo-cli.test.ts',
  // Runs the AWS CLI (a Python process per call).
  'test/cloud/eventbridge/aws-cli.test.ts',
  'test/cloud/metrics/aws-cli.test.ts',
  // Runs the AWS CLI (a Python process per call).
  'test/cloud/dynamodb-streams/aws-cli.test.ts',
  'test/cloud/sns/filter-policy-api.test.ts',
  // Starts a Lambda environment (a Node process).
  'test/cloud/dynamodb-streams/traced-invocation.test.ts',
  'test/cloud/logs/logs-cli.test.ts',
  'test/cloud/lambda/service.test.ts',
  'test/cloud/lambda/lambda-api.test.ts',
  'test/cloud/lambda/runtime-modules.test.ts',
  'test/cloud/lambda/invoke-trace.test.ts',
  'test/cloud/lambda/destinations.test.ts',
  'test/xray/service.test.ts',
  'test/xray/segments/python-sdk.test.ts',
  // Start the service on a SQLite folder, stop it and start it again.
  'test/xray/segments/extreme-numbers.test.ts',
  'test/xray/store/unusable-rows.test.ts',
  'test/xray/store/sqlite-store.test.ts',
  'test/xray/store/*-filter.test.ts',
  'test/xray/writer/thread-writer.test.ts',
  'test/xray/otlp/load.test.ts',
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
    // expect.poll gives up after 1 s by default: too short for a page that reads in batches while CI's two cores run both tiers.
    expect: { poll: { timeout: 10_000 } },
    // Two cores: keep heavy suites (CDK synth, servers) from starving each other.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...INTEGRATION, ...E2E] } },
      { extends: true, test: { name: 'integration', include: INTEGRATION, exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E, exclude: BROWSER } },
      { extends: true, test: { name: 'browser', include: BROWSER } },
    ],
  },
});
