/**
 * The account's X-Ray resource policies (PutResourcePolicy, ListResourcePolicies,
 * DeleteResourcePolicy), with AWS's rules from the API reference:
 * - at most 5 policies an account, each document at most 5 KB;
 * - a document must be an IAM policy: a JSON object with a Statement (an object or a non-empty
 *   array of objects, each with Effect Allow or Deny);
 * - every put gives the policy a new revision id, unique in the account; a PolicyRevisionId that is
 *   not the policy's latest fails, and "0" means "create only": it fails when the policy exists;
 * - a policy that denies everyone xray:PutResourcePolicy would lock the caller out, and is refused
 *   unless BypassPolicyLockoutCheck says otherwise.
 * The policies are kept, not enforced: nothing local checks permissions against them.
 */
import type { SettingsStore } from '../settings/index.ts';
import { isRecord } from '../model/json.ts';

export const MAX_POLICIES = 5;
export const MAX_POLICY_BYTES = 5 * 1024;

export interface ResourcePolicy {
  readonly name: string;
  readonly document: string;
  readonly revisionId: string;
  /** Epoch seconds. */
  readonly lastUpdatedTime: number;
}

export type PolicyErrorKind = 'InvalidPolicyRevisionId' | 'LockoutPrevention' | 'MalformedPolicyDocument' | 'PolicyCountLimitExceeded' | 'PolicySizeLimitExceeded';

/** A refusal; `kind` names AWS's exception (`${kind}Exception`). */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(readonly kind: PolicyErrorKind, message: string) {
    super(message);
  }
}

export interface PutPolicy {
  readonly name: string;
  readonly document: string;
  readonly revisionId?: string | undefined;
  readonly bypassLockoutCheck?: boolean | undefined;
}

const PREFIX = 'policy/';
const REVISION_KEY = 'policy-revision';

export class ResourcePolicies {
  constructor(private readonly options: { readonly settings: SettingsStore; readonly nowSeconds: () => number }) {}

  list(): ResourcePolicy[] {
    return this.options.settings.list(PREFIX).map((entry) => entry.value as ResourcePolicy);
  }

  put(request: PutPolicy): ResourcePolicy {
    const size = Buffer.byteLength(request.document);
    if (size > MAX_POLICY_BYTES) throw new PolicyError('PolicySizeLimitExceeded', `PolicyDocument is ${size} bytes; a policy can be at most ${MAX_POLICY_BYTES}`);
    const statements = parsePolicy(request.document);
    if (request.bypassLockoutCheck !== true && locksOut(statements)) {
      throw new PolicyError('LockoutPrevention', 'the policy would deny xray:PutResourcePolicy to every principal, including the caller; set BypassPolicyLockoutCheck to put it anyway');
    }
    const { settings } = this.options;
    return settings.transaction(() => {
      const current = settings.get(PREFIX + request.name) as ResourcePolicy | undefined;
      checkRevision(current, request.revisionId);
      if (current === undefined && this.list().length >= MAX_POLICIES) {
        throw new PolicyError('PolicyCountLimitExceeded', `an account can have at most ${MAX_POLICIES} resource policies`);
      }
      // One counter for the account: a revision id is never reused, not even after a delete.
      const revision = ((settings.get(REVISION_KEY) as number | undefined) ?? 0) + 1;
      settings.put(REVISION_KEY, revision);
      const policy: ResourcePolicy = { name: request.name, document: request.document, revisionId: String(revision), lastUpdatedTime: this.options.nowSeconds() };
      settings.put(PREFIX + request.name, policy);
      return policy;
    });
  }

  /** Deleting a policy that does not exist changes nothing and is not an error, unless a revision was asked for. */
  delete(name: string, revisionId: string | undefined): void {
    const { settings } = this.options;
    settings.transaction(() => {
      const current = settings.get(PREFIX + name) as ResourcePolicy | undefined;
      if (revisionId !== undefined) {
        if (current === undefined) throw new PolicyError('InvalidPolicyRevisionId', `there is no resource policy named ${JSON.stringify(name)} at revision ${JSON.stringify(revisionId)}`);
        checkRevision(current, revisionId);
      }
      settings.delete(PREFIX + name);
    });
  }
}

function checkRevision(current: ResourcePolicy | undefined, revisionId: string | undefined): void {
  if (revisionId === undefined) return;
  if (revisionId === '0') {
    if (current !== undefined) throw new PolicyError('InvalidPolicyRevisionId', `PolicyRevisionId 0 creates only, and a policy named ${JSON.stringify(current.name)} exists (revision ${current.revisionId})`);
    return;
  }
  if (current === undefined) throw new PolicyError('InvalidPolicyRevisionId', `PolicyRevisionId ${JSON.stringify(revisionId)} names a revision of a policy that does not exist; use 0 to create it`);
  if (current.revisionId !== revisionId) {
    throw new PolicyError('InvalidPolicyRevisionId', `PolicyRevisionId ${JSON.stringify(revisionId)} is not the latest revision of ${JSON.stringify(current.name)} (${current.revisionId})`);
  }
}

type Statement = Readonly<Record<string, unknown>>;

function parsePolicy(document: string): Statement[] {
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch (error) {
    throw new PolicyError('MalformedPolicyDocument', `PolicyDocument is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(policy)) throw new PolicyError('MalformedPolicyDocument', 'PolicyDocument must be a JSON object');
  const statement = (policy as Record<string, unknown>).Statement;
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  if (statements.length === 0) throw new PolicyError('MalformedPolicyDocument', 'PolicyDocument must have a Statement');
  statements.forEach((item: unknown, index) => {
    if (!isRecord(item)) throw new PolicyError('MalformedPolicyDocument', `Statement[${index}] must be an object`);
    const effect = (item as Statement).Effect;
    if (effect !== 'Allow' && effect !== 'Deny') throw new PolicyError('MalformedPolicyDocument', `Statement[${index}].Effect must be Allow or Deny`);
    if ((item as Statement).Action === undefined && (item as Statement).NotAction === undefined) {
      throw new PolicyError('MalformedPolicyDocument', `Statement[${index}] must have an Action or NotAction`);
    }
  });
  return statements as Statement[];
}

/** A Deny of xray:PutResourcePolicy (or a wildcard covering it) to every principal. */
function locksOut(statements: ReadonlyArray<Statement>): boolean {
  return statements.some((statement) => statement.Effect === 'Deny'
    && everyone(statement.Principal)
    && asList(statement.Action).some((action) => /^(\*|xray:\*|xray:putresourcepolicy)$/i.test(action)));
}

function everyone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'object' && principal !== null) return asList((principal as Record<string, unknown>).AWS).includes('*');
  return false;
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
