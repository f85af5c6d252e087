/**
 * The X-Ray Insights operations in AWS's shapes and paths: GetInsightSummaries
 * (`POST /InsightSummaries`), GetInsight (`/Insight`), GetInsightEvents (`/InsightEvents`) and
 * GetInsightImpactGraph (`/InsightImpactGraph`). AWS detects insights (anomalies in a group's fault
 * rate) with models it does not publish; the local service detects none, so the summaries are an
 * empty list and every insight id is unknown, answered as AWS answers an unknown id:
 * InvalidRequestException. The requests are checked as AWS checks them.
 */
import { withGroups } from './groups.ts';
import type { Groups } from '../groups/index.ts';
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe, optionalNumber, optionalString, requiredEpochSeconds, requiredString } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';

const INSIGHT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;
const INSIGHT_STATES = ['ACTIVE', 'CLOSED'];
const MAX_AGE_SECONDS = 30 * 24 * 3600;
const MAX_IMPACT_GRAPH_SECONDS = 6 * 3600;

export interface InsightsOptions {
  readonly groups: Groups | undefined;
  readonly nowSeconds: () => number;
}

function insightId(body: JsonObject): string {
  const id = requiredString(body, 'InsightId');
  if (!INSIGHT_ID.test(id)) throw invalidRequest(`InsightId ${describe(id)} is not an insight id (a UUID, as GetInsightSummaries gives them)`);
  return id;
}

function unknownInsight(id: string): never {
  throw invalidRequest(`there is no insight with InsightId ${JSON.stringify(id)}`);
}

function wholeNumber(body: JsonObject, field: string, min: number, max: number): void {
  const value = optionalNumber(body, field);
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) throw invalidRequest(`${field} must be a whole number from ${min} to ${max}, got ${value}`);
}

function refuseNextToken(body: JsonObject): void {
  const nextToken = optionalString(body, 'NextToken');
  if (nextToken !== undefined) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued by this service`);
}

function timeRange(body: JsonObject, nowSeconds: number, maxSeconds?: number): void {
  const startTime = requiredEpochSeconds(body, 'StartTime');
  const endTime = requiredEpochSeconds(body, 'EndTime');
  if (endTime < startTime) throw invalidRequest(`EndTime (${endTime}) must not be before StartTime (${startTime})`);
  if (startTime < nowSeconds - MAX_AGE_SECONDS) throw invalidRequest(`StartTime (${startTime}) must not be more than 30 days old`);
  if (maxSeconds !== undefined && endTime - startTime > maxSeconds) throw invalidRequest(`the time from StartTime to EndTime must be at most ${maxSeconds / 3600} hours`);
}

export function addInsightRoutes(router: Router, options: InsightsOptions): Router {
  return router
    .postJson('/InsightSummaries', (body) => {
      const name = optionalString(body, 'GroupName');
      const arn = optionalString(body, 'GroupARN');
      if (name === undefined && arn === undefined) throw invalidRequest('GroupName or GroupARN is required');
      if (options.groups !== undefined) withGroups(() => options.groups!.get({ name, arn }));
      const states = body.States;
      if (states !== undefined && states !== null) {
        if (!Array.isArray(states) || states.length > 1) throw invalidRequest(`States must be an array of at most 1 state, got ${describe(states)}`);
        states.forEach((state: unknown, index) => {
          if (typeof state !== 'string' || !INSIGHT_STATES.includes(state)) throw invalidRequest(`States[${index}] must be one of ${INSIGHT_STATES.join(', ')}, got ${describe(state)}`);
        });
      }
      timeRange(body, options.nowSeconds());
      wholeNumber(body, 'MaxResults', 1, 100);
      refuseNextToken(body);
      return { InsightSummaries: [] };
    })
    .postJson('/Insight', (body) => unknownInsight(insightId(body)))
    .postJson('/InsightEvents', (body) => {
      const id = insightId(body);
      wholeNumber(body, 'MaxResults', 1, 50);
      refuseNextToken(body);
      return unknownInsight(id);
    })
    .postJson('/InsightImpactGraph', (body) => {
      const id = insightId(body);
      timeRange(body, options.nowSeconds(), MAX_IMPACT_GRAPH_SECONDS);
      refuseNextToken(body);
      return unknownInsight(id);
    });
}
