/**
 * The rule options of `sampling create` and `sampling update`, checked for form only: a number
 * that is no number, an attribute without `=`. Ranges and lengths are the service's to check, so
 * its message (naming the API field) is the one the user sees, as for a group's filter.
 */
import type { SamplingRule, SamplingRuleUpdate } from '@aws-sdk/client-xray';
import { OptionError } from '../xray-api/index.ts';

/** As commander hands them over: strings, `attribute` repeated. */
export interface RuleOptions {
  readonly priority?: string | undefined;
  readonly fixedRate?: string | undefined;
  readonly reservoir?: string | undefined;
  readonly serviceName?: string | undefined;
  readonly serviceType?: string | undefined;
  readonly host?: string | undefined;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly resourceArn?: string | undefined;
  readonly attribute?: readonly string[] | undefined;
}

type RuleFields = Omit<SamplingRuleUpdate, 'RuleName' | 'RuleARN' | 'SamplingRateBoost'>;

const WILDCARD = '*';

/** CreateSamplingRule's rule: priority, rate and reservoir required; what is not given matches everything. */
export function ruleToCreate(name: string, options: RuleOptions): SamplingRule {
  const fields = ruleFields(options);
  const missing = ([['--priority N', fields.Priority], ['--fixed-rate R', fields.FixedRate], ['--reservoir N', fields.ReservoirSize]] as const)
    .filter(([, value]) => value === undefined)
    .map(([option]) => option);
  if (missing.length > 0) throw new OptionError(`create needs ${missing.join(', ')}: every rule has a priority, a fixed rate and a reservoir`);
  return {
    RuleName: name,
    Priority: fields.Priority!,
    FixedRate: fields.FixedRate!,
    ReservoirSize: fields.ReservoirSize!,
    ServiceName: fields.ServiceName ?? WILDCARD,
    ServiceType: fields.ServiceType ?? WILDCARD,
    Host: fields.Host ?? WILDCARD,
    HTTPMethod: fields.HTTPMethod ?? WILDCARD,
    URLPath: fields.URLPath ?? WILDCARD,
    ResourceARN: fields.ResourceARN ?? WILDCARD,
    Version: 1,
    ...(fields.Attributes === undefined ? {} : { Attributes: fields.Attributes }),
  };
}

/** UpdateSamplingRule's changes: at least one, or the update would change nothing. */
export function ruleToUpdate(name: string, options: RuleOptions): SamplingRuleUpdate {
  const fields = ruleFields(options);
  if (Object.values(fields).every((value) => value === undefined)) {
    throw new OptionError('update needs at least one change: --priority, --fixed-rate, --reservoir, --service-name, --service-type, --host, --method, --path, --resource-arn or --attribute');
  }
  return { RuleName: name, ...fields };
}

function ruleFields(options: RuleOptions): RuleFields {
  return {
    Priority: wholeNumber('--priority', options.priority),
    FixedRate: number('--fixed-rate', options.fixedRate),
    ReservoirSize: wholeNumber('--reservoir', options.reservoir),
    ServiceName: options.serviceName,
    ServiceType: options.serviceType,
    Host: options.host,
    HTTPMethod: options.method,
    URLPath: options.path,
    ResourceARN: options.resourceArn,
    Attributes: attributes(options.attribute),
  };
}

function number(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new OptionError(`${option} "${text}" must be a number`);
  return value;
}

function wholeNumber(option: string, text: string | undefined): number | undefined {
  const value = number(option, text);
  if (value !== undefined && !Number.isInteger(value)) throw new OptionError(`${option} "${text}" must be a whole number`);
  return value;
}

/** `--attribute key=value`, repeated; the value may hold `=`. */
function attributes(pairs: readonly string[] | undefined): Record<string, string> | undefined {
  if (pairs === undefined || pairs.length === 0) return undefined;
  const entries = pairs.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new OptionError(`--attribute "${pair}" must be KEY=VALUE`);
    return [pair.slice(0, at), pair.slice(at + 1)] as const;
  });
  return Object.fromEntries(entries);
}
