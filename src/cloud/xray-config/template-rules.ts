import { CreateSamplingRuleCommand, paginateGetSamplingRules, UpdateSamplingRuleCommand } from '@aws-sdk/client-xray';
import type { SamplingRule, XRayClient } from '@aws-sdk/client-xray';
import type { CloudModel, CloudResource } from '../core/types.ts';
import { isRecord } from '../../common/is-record.ts';
import { provision, tagsOf, type ProvisionedKind, type ProvisionOptions } from './provision.ts';

export const SAMPLING_RULE_TYPE = 'AWS::XRay::SamplingRule';

export type TemplateRulesOptions = ProvisionOptions;

const NUMBER_FIELDS = ['Priority', 'FixedRate', 'ReservoirSize', 'Version'] as const;

/** The rule's name as the template reader named it: the tail of its ARN. */
function ruleName(resource: CloudResource): string {
  const arn = resource.arn ?? resource.physicalId;
  return arn.slice(arn.indexOf('sampling-rule/') + 'sampling-rule/'.length);
}

/**
 * The CreateSamplingRule input of a template's `SamplingRule` property. Numbers a template wrote
 * as strings are read as numbers, as CloudFormation does; the rest is left for the API to judge.
 */
function samplingRuleOf(resource: CloudResource): SamplingRule | undefined {
  const given = resource.properties['SamplingRule'];
  if (!isRecord(given)) return undefined;
  const rule: Record<string, unknown> = { Version: 1, ...given, RuleName: ruleName(resource) };
  for (const field of NUMBER_FIELDS) {
    const value = rule[field];
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) rule[field] = Number(value);
  }
  delete rule['RuleARN'];
  return rule as unknown as SamplingRule;
}

async function existingRuleNames(client: XRayClient): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const page of paginateGetSamplingRules({ client }, {})) {
    for (const record of page.SamplingRuleRecords ?? []) {
      if (record.SamplingRule?.RuleName !== undefined) names.add(record.SamplingRule.RuleName);
    }
  }
  return names;
}

const RULES: ProvisionedKind = {
  type: SAMPLING_RULE_TYPE,
  label: 'sampling rule',
  plural: 'rules',
  logName: 'sampling: rule',
  nameOf: ruleName,
  existing: existingRuleNames,
  async apply(client, resource, exists) {
    const rule = samplingRuleOf(resource);
    if (rule === undefined) return 'it has no SamplingRule property (the only form read here)';
    if (exists) {
      // The format version is fixed at creation; an update carries everything else.
      const changes: Partial<SamplingRule> = { ...rule };
      delete changes.Version;
      await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: changes }));
    } else {
      const tags = tagsOf(resource);
      await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule, ...(tags !== undefined ? { Tags: tags } : {}) }));
    }
    return undefined;
  },
};

/**
 * Creates the templates' `AWS::XRay::SamplingRule` resources in the X-Ray API with the AWS SDK, as
 * CloudFormation does; a rule that already exists by name (from an earlier run) is updated to the
 * template's settings instead. Returns a warning for each rule that could not be, naming the rule
 * and the reason; never throws.
 */
export function provisionSamplingRules(model: CloudModel, options: TemplateRulesOptions): Promise<string[]> {
  return provision(model, RULES, options);
}
