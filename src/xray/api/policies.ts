/**
 * PutResourcePolicy (`POST /PutResourcePolicy`), ListResourcePolicies (`POST /ListResourcePolicies`)
 * and DeleteResourcePolicy (`POST /DeleteResourcePolicy`) in AWS's shapes; each refusal is the
 * exception AWS models for it (all 400).
 */
import { ApiError, invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe, optionalBoolean, optionalString, requiredString } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import { PolicyError, type ResourcePolicies, type ResourcePolicy } from '../policies/policies.ts';

const MAX_NAME_LENGTH = 128;
const NAME_PATTERN = /^[\w+=,.@-]+$/;
const MAX_REVISION_LENGTH = 128;

export function policyJson(policy: ResourcePolicy): Record<string, unknown> {
  return { PolicyName: policy.name, PolicyDocument: policy.document, PolicyRevisionId: policy.revisionId, LastUpdatedTime: policy.lastUpdatedTime };
}

function policyName(body: JsonObject): string {
  const name = requiredString(body, 'PolicyName');
  if (name.length > MAX_NAME_LENGTH) throw invalidRequest(`PolicyName must be 1 to ${MAX_NAME_LENGTH} characters long, got ${name.length}`);
  if (!NAME_PATTERN.test(name)) throw invalidRequest(`PolicyName ${describe(name)} may contain only letters, digits and _ + = , . @ -`);
  return name;
}

function revisionId(body: JsonObject): string | undefined {
  const revision = optionalString(body, 'PolicyRevisionId');
  if (revision !== undefined && (revision.length < 1 || revision.length > MAX_REVISION_LENGTH)) {
    throw invalidRequest(`PolicyRevisionId must be 1 to ${MAX_REVISION_LENGTH} characters long, got ${revision.length}`);
  }
  return revision;
}

function withPolicies<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof PolicyError) throw new ApiError(400, `${error.kind}Exception`, error.message);
    throw error;
  }
}

export function addPolicyRoutes(router: Router, policies: ResourcePolicies): Router {
  return router
    .postJson('/PutResourcePolicy', (body) => {
      const request = {
        name: policyName(body),
        document: requiredString(body, 'PolicyDocument'),
        revisionId: revisionId(body),
        bypassLockoutCheck: optionalBoolean(body, 'BypassPolicyLockoutCheck'),
      };
      return { ResourcePolicy: policyJson(withPolicies(() => policies.put(request))) };
    })
    .postJson('/ListResourcePolicies', (body) => {
      const nextToken = optionalString(body, 'NextToken');
      // Five policies fit one answer, so no token is ever issued.
      if (nextToken !== undefined) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued by this service`);
      return { ResourcePolicies: policies.list().map(policyJson) };
    })
    .postJson('/DeleteResourcePolicy', (body) => {
      const name = policyName(body);
      const revision = revisionId(body);
      withPolicies(() => policies.delete(name, revision));
      return {};
    });
}
