/** A valid new rule to start tests from: every match field a wildcard unless said otherwise. */
import type { NewSamplingRule } from '../../../src/xray/sampling/index.ts';

export function newRule(name: string, extra: Partial<NewSamplingRule> = {}): NewSamplingRule {
  return {
    name,
    resourceArn: '*',
    priority: 100,
    fixedRate: 0.05,
    reservoirSize: 1,
    serviceName: '*',
    serviceType: '*',
    host: '*',
    httpMethod: '*',
    urlPath: '*',
    version: 1,
    attributes: {},
    ...extra,
  };
}
