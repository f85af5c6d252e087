/** A hand-resolved CloudModel shaped like the template reader's output for the pattern's resources. */
import type { CloudModel, CloudResource } from '../../../src/cloud/core/types.ts';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

export function resource(stack: string, logicalId: string, type: string, properties: Record<string, unknown>, physicalId: string, arn?: string): CloudResource {
  return { stack, logicalId, type, properties, physicalId, arn };
}

export function queueResource(stack: string, logicalId: string, name: string, properties: Record<string, unknown> = {}): CloudResource {
  return resource(stack, logicalId, 'AWS::SQS::Queue', properties, `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`, queueArn(name));
}

export function queueArn(name: string): string {
  return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
}

export function topicArn(name: string): string {
  return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
}

export function functionArn(name: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
}

export function cloudModel(resources: CloudResource[]): CloudModel {
  return {
    region: REGION,
    accountId: ACCOUNT,
    resources,
    byType: (type) => resources.filter((r) => r.type === type),
    warnings: [],
  };
}
