import { CreateSamplingRuleCommand, paginateGetSamplingRules, UpdateSamplingRuleCommand } from '@aws-sdk/client-xray';
import type { SamplingRule, Tag, XRayClient } from '@aws-sdk/client-xray';
import type { CloudModel, CloudResource } from '../types.ts';
import { localXrayClient, reasonOf } from '../xray-config/client.ts';

export const SAMPLING_RULE_TYPE = 'AWS::XRay::SamplingRule';

export interface TemplateRulesOptions {
  /** The X-Ray API the rules are created in; without one they are not (a warning each). */
  readonly xrayApiUrl: string | undefined;
  readonly logger: { info(message: string): void };
  /** @default an XRayClient for xrayApiUrl, closed afterwards */
  readonly client?: XRayClient;
}

const NUMBER_FIELDS = ['Priority', 'FixedRate', 'ReservoirSize', 'Version'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function tagsOf(resource: CloudResource): Tag[] | undefined {
  const tags = resource.properties['Tags'];
  if (!Array.isArray(tags)) return undefined;
  return tags.filter((tag): tag is Tag => isRecord(tag) && typeof tag['Key'] === 'string' && typeof tag['Value'] === 'string');
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

/**
 * Creates the templates' `AWS::XRay::SamplingRule` resources in the X-Ray API with the AWS SDK, as
 * CloudFormation does; a rule that already exists by name (from an earlier run) is updated to the
 * template's settings instead. Returns a warning for each rule that could not be, naming the rule
 * and the reason; never throws.
 */
export async function provisionSamplingRules(model: CloudModel, options: TemplateRulesOptions): Promise<string[]> {
  const resources = model.byType(SAMPLING_RULE_TYPE);
  if (resources.length === 0) return [];
  const notCreated = (resource: CloudResource, why: string, verb = 'created'): string =>
    `sampling rule ${ruleName(resource)} (${resource.stack}/${resource.logicalId}) not ${verb}: ${why}`;
  if (options.xrayApiUrl === undefined) {
    return resources.map((resource) => notCreated(resource, 'the local cloud was started without an X-Ray API to create it in'));
  }
  const client = options.client ?? localXrayClient(options.xrayApiUrl, model.region);
  const warnings: string[] = [];
  try {
    let existing: Set<string>;
    try {
      existing = await existingRuleNames(client);
    } catch (error) {
      return resources.map((resource) => notCreated(resource, `the X-Ray API at ${options.xrayApiUrl} could not list the rules: ${reasonOf(error)}`));
    }
    for (const resource of resources) {
      const rule = samplingRuleOf(resource);
      if (rule === undefined) {
        warnings.push(notCreated(resource, 'it has no SamplingRule property (the only form read here)'));
        continue;
      }
      const name = rule.RuleName ?? '';
      const where = `${resource.stack}/${resource.logicalId}`;
      const update = existing.has(name);
      try {
        if (update) {
          // The format version is fixed at creation; an update carries everything else.
          const changes: Partial<SamplingRule> = { ...rule };
          delete changes.Version;
          await client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: changes }));
        } else {
          const tags = tagsOf(resource);
          await client.send(new CreateSamplingRuleCommand({ SamplingRule: rule, ...(tags !== undefined ? { Tags: tags } : {}) }));
        }
        options.logger.info(`sampling: rule ${name} ${update ? 'updated' : 'created'} from ${where}`);
      } catch (error) {
        warnings.push(notCreated(resource, reasonOf(error), update ? 'updated' : 'created'));
      }
    }
  } finally {
    if (options.client === undefined) client.destroy();
  }
  return warnings;
}
