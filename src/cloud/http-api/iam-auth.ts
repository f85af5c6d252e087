/**
 * AWS_IAM authorization of function URLs (and HTTP API routes): the request must be signed with
 * SigV4 for the service (`lambda`, `execute-api`). Keys this install issued to the roles must carry a
 * valid signature and their role must allow the action on the resource; any other key is the
 * user's own, acting as the account's administrator, as the AWS endpoint takes it
 * (src/cloud/endpoint/authentication.ts). Unsigned or wrongly signed: 403, as AWS answers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errorText } from '../../common/preview.ts';
import type { Authorizer } from '../core/types.ts';
import { RequestAuthenticator } from '../endpoint/authentication.ts';
import { isRoleAccessKey } from '../iam/credentials.ts';
import type { RoleCredentials } from '../iam/credentials.ts';
import { signedRequestParts } from '../protocol/sigv4.ts';

export interface IamCaller {
  readonly accessKey: string;
  readonly accountId: string;
  readonly userArn: string;
  readonly userId: string;
}

export type IamDecision = { readonly allowed: true; readonly caller: IamCaller } | { readonly allowed: false; readonly reason: string };

export interface IamCheckOptions {
  readonly roleCredentials: RoleCredentials;
  /** The roles' policies; without it a verified role key is allowed everything. */
  readonly authorizer?: Authorizer;
  readonly accountId: string;
  readonly clock: () => number;
}

export class IamCheck {
  private readonly authenticator: RequestAuthenticator;

  constructor(private readonly options: IamCheckOptions) {
    this.authenticator = new RequestAuthenticator({ roleCredentials: options.roleCredentials, clock: options.clock });
  }

  check(request: { method: string; target: string; headers: IncomingHttpHeaders; body: Buffer }, service: string, action: string, resourceArn: string): IamDecision {
    const parts = signedRequestParts(request);
    if (parts === undefined) return { allowed: false, reason: 'the request is not signed (AWS_IAM needs SigV4)' };
    if (parts.service !== service) return { allowed: false, reason: `the request is signed for the service "${parts.service}", not "${service}"` };
    try {
      this.authenticator.authenticate(request);
    } catch (error) {
      return { allowed: false, reason: errorText(error) };
    }
    const role = isRoleAccessKey(parts.accessKeyId) ? this.options.roleCredentials.byAccessKeyId(parts.accessKeyId)?.roleArn : undefined;
    const decision = this.options.authorizer?.authorize({ accessKeyId: parts.accessKeyId }, action, resourceArn) ?? { allowed: true };
    if (!decision.allowed) return { allowed: false, reason: decision.reason };
    const accountId = this.options.accountId;
    const roleName = role?.split('/').pop();
    return {
      allowed: true,
      caller: {
        accessKey: parts.accessKeyId,
        accountId,
        userArn: roleName !== undefined ? `arn:aws:sts::${accountId}:assumed-role/${roleName}/local` : `arn:aws:iam::${accountId}:root`,
        userId: roleName !== undefined ? `${parts.accessKeyId}:local` : accountId,
      },
    };
  }
}
