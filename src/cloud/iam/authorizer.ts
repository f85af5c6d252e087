import type { Authorizer, CloudModel, CloudResource } from '../core/types.ts';
import { isRoleAccessKey, roleNameOf } from './credentials.ts';
import type { RoleCredentials } from './credentials.ts';
import { awsManagedPolicy } from './managed-policies.ts';
import { PolicyDocumentError, readPolicyDocument, statementApplies } from './policy-document.ts';
import type { PolicyStatement } from './policy-document.ts';
import { isRecord } from '../../common/is-record.ts';

/** A role and every identity policy statement attached to it. */
export interface RoleDefinition {
  readonly name: string;
  readonly arn: string;
  readonly statements: readonly PolicyStatement[];
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

function where(resource: CloudResource): string {
  return `${resource.stack}/${resource.logicalId}`;
}

/**
 * Decides calls from the identity policies of the template's roles, as IAM does for a single
 * account: an explicit Deny wins, then any Allow, else the call is denied by default. A role's
 * caller is identified by the access key `RoleCredentials.forRole` issued it (the endpoint has
 * verified its signature). Any other key is the user's own CLI or SDK, an administrator: the
 * templates' roles bind the handlers, not the person running the cloud.
 */
export class PolicyAuthorizer implements Authorizer {
  private readonly roles: ReadonlyMap<string, RoleDefinition>;

  constructor(roles: readonly RoleDefinition[], private readonly credentials: RoleCredentials, readonly warnings: readonly string[] = []) {
    this.roles = new Map(roles.map((role) => [role.name, role]));
  }

  /** Collects, for every AWS::IAM::Role, its inline Policies, its ManagedPolicyArns and the
   *  AWS::IAM::Policy / AWS::IAM::ManagedPolicy resources that name it in Roles. */
  static fromModel(model: CloudModel, credentials: RoleCredentials): PolicyAuthorizer {
    const warnings: string[] = [];
    const statements = new Map<string, PolicyStatement[]>();
    const roles = model.byType('AWS::IAM::Role');
    for (const role of roles) statements.set(role.physicalId, []);

    const add = (roleName: string, document: unknown, source: string): void => {
      const list = statements.get(roleName);
      if (!list) {
        warnings.push(`${source} is attached to role ${roleName}, which is not in the templates`);
        return;
      }
      try {
        const { statements: parsed, skipped } = readPolicyDocument(document, source);
        warnings.push(...skipped);
        if (parsed.some((statement) => statement.hasCondition)) {
          warnings.push(`${source} has statements with a Condition, which is not evaluated: they apply as if it held`);
        }
        list.push(...parsed);
      } catch (error) {
        if (!(error instanceof PolicyDocumentError)) throw error;
        warnings.push(`${error.message}; the policy is ignored`);
      }
    };
    const customerManaged = new Map(model.byType('AWS::IAM::ManagedPolicy').map((policy) => [policy.physicalId, policy]));

    for (const role of roles) {
      const inline = role.properties['Policies'];
      if (Array.isArray(inline)) {
        for (const policy of inline) {
          const name = isRecord(policy) && typeof policy['PolicyName'] === 'string' ? policy['PolicyName'] : '?';
          add(role.physicalId, isRecord(policy) ? policy['PolicyDocument'] : undefined, `${where(role)} inline policy ${name}`);
        }
      }
      const managed = role.properties['ManagedPolicyArns'];
      for (const policyArn of Array.isArray(managed) ? managed : []) {
        if (typeof policyArn !== 'string' || customerManaged.has(policyArn)) continue;
        const known = awsManagedPolicy(policyArn);
        if (known) add(role.physicalId, known, `${where(role)} managed policy ${policyArn}`);
        else warnings.push(`${where(role)}: managed policy ${policyArn} is unknown to the local cloud, so it allows nothing`);
      }
    }
    for (const policy of [...model.byType('AWS::IAM::Policy'), ...customerManaged.values()]) {
      const attachedTo = new Set(Array.isArray(policy.properties['Roles']) ? policy.properties['Roles'] : []);
      for (const role of roles) {
        const managed = role.properties['ManagedPolicyArns'];
        if (Array.isArray(managed) && managed.includes(policy.physicalId)) attachedTo.add(role.physicalId);
      }
      for (const roleName of attachedTo) {
        if (typeof roleName === 'string') add(roleName, policy.properties['PolicyDocument'], where(policy));
      }
      if (policy.properties['Users'] !== undefined || policy.properties['Groups'] !== undefined) {
        warnings.push(`${where(policy)}: attachments to IAM users and groups are ignored (only roles act locally)`);
      }
    }
    return new PolicyAuthorizer(
      roles.map((role) => ({ name: role.physicalId, arn: role.arn ?? role.physicalId, statements: statements.get(role.physicalId) ?? [] })),
      credentials,
      warnings,
    );
  }

  /** The role an access key stands for, if it is one of ours. */
  roleForAccessKey(accessKeyId: string): RoleDefinition | undefined {
    const roleArn = this.credentials.byAccessKeyId(accessKeyId)?.roleArn;
    return roleArn === undefined ? undefined : this.roles.get(roleNameOf(roleArn));
  }

  authorize(principal: { readonly accessKeyId: string }, action: string, resourceArn: string): Decision {
    if (!isRoleAccessKey(principal.accessKeyId)) return { allowed: true };
    const role = this.roleForAccessKey(principal.accessKeyId);
    if (!role) {
      return { allowed: false, reason: `The security token included in the request is invalid: access key ${principal.accessKeyId} belongs to no role of the templates` };
    }
    const caller = `User: ${role.arn} is not authorized to perform: ${action} on resource: ${resourceArn}`;
    const deny = role.statements.find((statement) => statement.effect === 'Deny' && statementApplies(statement, action, resourceArn));
    if (deny) return { allowed: false, reason: `${caller} with an explicit deny in an identity-based policy (${deny.source})` };
    if (role.statements.some((statement) => statement.effect === 'Allow' && statementApplies(statement, action, resourceArn))) {
      return { allowed: true };
    }
    return { allowed: false, reason: `${caller} because no identity-based policy allows the ${action} action` };
  }
}
