import type { SamplingRuleRecord } from './types.ts';

/**
 * The Default rule every account has, as AWS serves it: the lowest priority, every match field a
 * wildcard. It always exists; only its FixedRate, ReservoirSize and SamplingRateBoost can change.
 *
 * Every rule we serve stays within what the X-Ray SDKs accept: the SDKs skip a rule unless it has
 * Version 1, ResourceARN "*", empty Attributes, a non-zero Priority and a numeric FixedRate (so a
 * rule with a ResourceARN or Attributes is kept and listed, but no SDK applies it); the SDK for
 * Node also requires a numeric LastRuleModification in the targets answer.
 */
export interface SamplingSettings {
  /** Fraction of requests sampled beyond the reservoir, 0..1. Locally 1: sample everything. */
  readonly fixedRate: number;
  /** Requests a second sampled before the fixed rate applies. */
  readonly reservoirSize: number;
}

export const DEFAULT_RULE_NAME = 'Default';
/** Priority of AWS's own default rule: the lowest, out of reach of the 1..9999 other rules take. */
export const DEFAULT_PRIORITY = 10000;
/** The only rule format there is. */
export const RULE_VERSION = 1;
/** Matches everything, in every match field. */
export const WILDCARD = '*';

export function validateSamplingSettings(settings: SamplingSettings): SamplingSettings {
  if (!(settings.fixedRate >= 0 && settings.fixedRate <= 1)) {
    throw new Error(`sampling rate must be a number from 0 to 1, got ${settings.fixedRate}`);
  }
  if (!Number.isInteger(settings.reservoirSize) || settings.reservoirSize < 0) {
    throw new Error(`sampling reservoir size must be a whole number >= 0, got ${settings.reservoirSize}`);
  }
  return settings;
}

/** The Default rule with `settings`, created and last changed at `at` (epoch seconds). */
export function defaultRule(arn: string, settings: SamplingSettings, at: number): SamplingRuleRecord {
  return {
    name: DEFAULT_RULE_NAME,
    arn,
    resourceArn: WILDCARD,
    priority: DEFAULT_PRIORITY,
    fixedRate: settings.fixedRate,
    reservoirSize: settings.reservoirSize,
    serviceName: WILDCARD,
    serviceType: WILDCARD,
    host: WILDCARD,
    httpMethod: WILDCARD,
    urlPath: WILDCARD,
    version: RULE_VERSION,
    attributes: {},
    createdAt: at,
    modifiedAt: at,
  };
}
