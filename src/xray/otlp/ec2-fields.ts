/**
 * A segment's `aws.ec2` block from the resource of a span that ran on EC2, as AWS's X-Ray
 * exporters map it (`host.id`, `cloud.availability_zone`, `host.type`, `host.image.id`). It is what
 * fills a trace summary's InstanceIds and AvailabilityZones.
 */
import { stringAttribute } from './attributes.ts';
import type { Attributes } from './model.ts';

export function ec2Fields(resource: Attributes): Record<string, string> | undefined {
  if (stringAttribute(resource, 'cloud.platform') !== 'aws_ec2') return undefined;
  const ec2: Record<string, string> = {};
  const set = (field: string, key: string): void => {
    const value = stringAttribute(resource, key);
    if (value !== undefined) ec2[field] = value;
  };
  set('instance_id', 'host.id');
  set('availability_zone', 'cloud.availability_zone');
  set('instance_size', 'host.type');
  set('ami_id', 'host.image.id');
  return Object.keys(ec2).length === 0 ? undefined : ec2;
}
