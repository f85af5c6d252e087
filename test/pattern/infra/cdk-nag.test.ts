import { Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { patternApp, testApp } from './support.ts';

/** Every finding of the pack, errors and warnings alike, as `rule at construct path`. */
function findings(pack: NagPack, scope: IConstruct): string[] {
  return pack
    .validateScope(scope)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`),
    );
}

/** Each acknowledgement in the tree: the rule and the reason given for it. */
function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe.each(['xray', 'opentelemetry'] as const)('cdk-nag, instrumented with %s', (instrumentation) => {
  const pattern = patternApp({ instrumentation });
  const stacks = [pattern.api, pattern.dynamo, pattern.http, pattern.sns, pattern.sqs];

  it.each(stacks.map((stack) => [stack.stackName, stack] as const))(
    '%s has no unacknowledged AwsSolutions or Serverless finding, error or warning',
    (_name, stack) => {
      expect(findings(new AwsSolutionsChecks(), stack)).toEqual([]);
      expect(findings(new ServerlessChecks(), stack)).toEqual([]);
    },
  );

  it('acknowledges only these rules, each with a specific reason', () => {
    const acknowledged = acknowledgements(pattern.app);
    expect([...new Set(acknowledged.map((entry) => entry.id))].sort()).toEqual([
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG3',
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-L1',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-LambdaLatestVersion',
      'Serverless-SQSRedrivePolicy',
    ]);
    for (const entry of acknowledged) {
      expect(entry.reason.length, `${entry.id} at ${entry.path}`).toBeGreaterThanOrEqual(40);
    }
    // Nothing is acknowledged for a whole stack: each acknowledgement sits on the resource it excuses.
    expect(acknowledged.filter((entry) => stacks.some((stack) => stack.node.path === entry.path))).toEqual([]);
  });

  it('reports findings that are not acknowledged (the check can fail)', () => {
    const stack = new Stack(testApp(), 'Careless');
    new Queue(stack, 'Plain');
    expect(findings(new AwsSolutionsChecks(), stack)).toEqual([
      'error AwsSolutions-SQS3 at Careless/Plain/Resource',
      'error AwsSolutions-SQS4 at Careless/Plain/Resource',
    ]);
    expect(findings(new ServerlessChecks(), stack)).toEqual(['error Serverless-SQSRedrivePolicy at Careless/Plain/Resource']);
  });
});
