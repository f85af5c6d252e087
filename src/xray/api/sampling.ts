/**
 * The sampling operations in AWS's shapes and paths (all POST):
 * - what the SDKs call, on the daemon's TCP port and the API alike: GetSamplingRules
 *   (`/GetSamplingRules`) and GetSamplingTargets (`/SamplingTargets`);
 * - what manages rules, on the API: CreateSamplingRule (`/CreateSamplingRule`), UpdateSamplingRule
 *   (`/UpdateSamplingRule`), DeleteSamplingRule (`/DeleteSamplingRule`) and
 *   GetSamplingStatisticSummaries (`/SamplingStatisticSummaries`).
 * Refusals are InvalidRequestException naming the field, or RuleLimitExceededException.
 */
import type {
  CreateSamplingRuleResult, DeleteSamplingRuleResult, GetSamplingRulesResult, GetSamplingStatisticSummariesResult, GetSamplingTargetsResult,
  SamplingTargetDocument, UnprocessedStatistics, UpdateSamplingRuleResult,
} from '../../common/xray-api/index.ts';
import { checkTags, type ResourceTags } from '../tags/tags.ts';
import { tagsFrom, withTags } from './tags.ts';
import { ApiError, invalidRequest } from '../http/errors.ts';
import { optionalString } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import { pageOf, ruleOrderKey } from '../sampling/pages.ts';
import { newRuleFrom, ruleRecordJson, ruleRef, ruleUpdateFrom } from './sampling-rule-json.ts';
import { SamplingRuleLimitError, SamplingRuleRequestError } from '../sampling/rules.ts';
import { statisticsDocumentsFrom, summaryJson, targetJson, unprocessedJson } from './sampling-statistics-json.ts';
import type { Sampling, SamplingRuleRecord } from '../sampling/types.ts';

/** One set of rules and statistics, shared by the daemon and the API. */
export type { Sampling } from '../sampling/types.ts';

/** `POST /GetSamplingRules` and `POST /SamplingTargets`: the paths the SDKs ask the daemon's TCP port and the X-Ray API alike. */
export function addSamplingRoutes(router: Router, sampling: Sampling): Router {
  return router
    .postJson('/GetSamplingRules', (body): GetSamplingRulesResult => {
      const rules = sampling.rules.list();
      const page = pageOf(rules, orderKey, optionalString(body, 'NextToken'), sampling.pageSize);
      return { SamplingRuleRecords: page.items.map(ruleRecordJson), ...nextToken(page.nextToken) };
    })
    .postJson('/SamplingTargets', (body): GetSamplingTargetsResult => {
      const targets: SamplingTargetDocument[] = [];
      const unprocessed: UnprocessedStatistics[] = [];
      for (const document of statisticsDocumentsFrom(body)) {
        const rule = sampling.rules.find(document.ruleName);
        if (rule === undefined) unprocessed.push(unprocessedJson(document.ruleName));
        else targets.push(targetJson(sampling.statistics.report(rule, document)));
      }
      return { SamplingTargetDocuments: targets, LastRuleModification: sampling.rules.lastModification(), UnprocessedStatistics: unprocessed };
    });
}

/** The operations that change rules and read their statistics: the X-Ray API's only. */
export function addSamplingRuleRoutes(router: Router, sampling: Sampling, tags?: ResourceTags): Router {
  const { rules, statistics } = sampling;
  return router
    .postJson('/CreateSamplingRule', (body): CreateSamplingRuleResult => {
      const rule = newRuleFrom(body, (name) => rules.arnOf(name));
      const given = tagsFrom(body);
      // Checked before the rule is made, so that bad tags make nothing.
      if (given !== undefined) withTags(rule.name, () => checkTags(given));
      const created = withRules(() => rules.create(rule));
      if (given !== undefined && tags !== undefined) tags.set(created.arn, given);
      return { SamplingRuleRecord: ruleRecordJson(created) };
    })
    .postJson('/UpdateSamplingRule', (body): UpdateSamplingRuleResult => {
      const { ref, changes } = ruleUpdateFrom(body);
      return { SamplingRuleRecord: ruleRecordJson(withRules(() => rules.update(ref, changes))) };
    })
    .postJson('/DeleteSamplingRule', (body): DeleteSamplingRuleResult => {
      const deleted = withRules(() => rules.delete(ruleRef(body)));
      statistics.forget(deleted.name);
      tags?.forget(deleted.arn);
      return { SamplingRuleRecord: ruleRecordJson(deleted) };
    })
    .postJson('/SamplingStatisticSummaries', (body): GetSamplingStatisticSummariesResult => {
      const order = new Map(rules.list().map((rule) => [rule.name, orderKey(rule)]));
      const summaries = statistics.summaries()
        .filter((summary) => order.has(summary.ruleName))
        .sort((a, b) => (order.get(a.ruleName)! < order.get(b.ruleName)! ? -1 : 1));
      const page = pageOf(summaries, (summary) => order.get(summary.ruleName)!, optionalString(body, 'NextToken'), sampling.pageSize);
      return { SamplingStatisticSummaries: page.items.map(summaryJson), ...nextToken(page.nextToken) };
    });
}

function orderKey(rule: SamplingRuleRecord): string {
  return ruleOrderKey(rule.priority, rule.name);
}

function nextToken(token: string | undefined): { NextToken?: string } {
  return token === undefined ? {} : { NextToken: token };
}

/** Runs a rule action, answering its refusals in AWS's exceptions. */
function withRules<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof SamplingRuleRequestError) throw invalidRequest(error.message);
    // Modelled without an HTTP status: a client error, 400.
    if (error instanceof SamplingRuleLimitError) throw new ApiError(400, 'RuleLimitExceededException', error.message);
    throw error;
  }
}

