import type { Router } from '../http/router.ts';
import type { SamplingSettings } from './default-rule.ts';
import { samplingRulesResult, samplingTargetsResult, validateSamplingSettings } from './default-rule.ts';

export interface SamplingRouteOptions {
  readonly settings: SamplingSettings;
  /** Epoch seconds. */
  readonly now: () => number;
}

/**
 * `POST /GetSamplingRules` and `POST /SamplingTargets`: the paths the SDKs ask the daemon's TCP port
 * and the X-Ray API alike.
 */
export function addSamplingRoutes(router: Router, options: SamplingRouteOptions): Router {
  const settings = validateSamplingSettings(options.settings);
  const modifiedAt = Math.floor(options.now());
  return router
    .postJson('/GetSamplingRules', () => samplingRulesResult(settings, modifiedAt))
    .postJson('/SamplingTargets', (body) => samplingTargetsResult(settings, body, options.now(), modifiedAt));
}
