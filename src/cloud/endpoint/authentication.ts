/**
 * Who may call the endpoint. A request must be signed: one without an Authorization header or a
 * presigned query is refused as AWS refuses it, which alone stops a cross-site HTML form (a page
 * can set neither that header nor, without a CORS preflight the endpoint never grants, any other).
 * Role keys (the ones this install issued to the Lambda environments and API Gateway's
 * integrations) must carry a valid SigV4 signature of their secret, their session token and a
 * time within 15 minutes. Any other key is the user's own CLI or SDK: taken as it is, with any
 * secret, but only from the Authorization header (a presigned URL is something a page can forge),
 * unless `strict` (`--strict-iam`) refuses them as AWS refuses a key it never issued.
 */
import { isRoleAccessKey } from '../iam/credentials.ts';
import type { RoleCredentials } from '../iam/credentials.ts';
import { AwsError } from '../protocol/errors.ts';
import { CORAL } from '../protocol/json-protocol.ts';
import { AuthFailure, SigV4Verifier, signedRequestParts } from '../protocol/sigv4.ts';
import type { AuthFailureKind, VerifiableRequest } from '../protocol/sigv4.ts';

export interface RequestAuthenticatorOptions {
  /** The roles' credentials whose signatures are verified; without them every role key is unknown. */
  readonly roleCredentials?: RoleCredentials;
  /** Epoch milliseconds. */
  readonly clock: () => number;
  /** Refuse keys that are not the roles' (`--strict-iam`), as AWS refuses a key it never issued. @default false */
  readonly strict?: boolean;
}

export class RequestAuthenticator {
  private readonly verifier: SigV4Verifier;
  private readonly strict: boolean;

  constructor(options: RequestAuthenticatorOptions) {
    this.strict = options.strict ?? false;
    this.verifier = new SigV4Verifier({ secretOf: (accessKeyId) => options.roleCredentials?.byAccessKeyId(accessKeyId), clock: options.clock });
  }

  /** Throws AuthFailure when the request may not be served. */
  authenticate(request: VerifiableRequest): void {
    const parts = signedRequestParts(request);
    if (parts === undefined) {
      throw new AuthFailure('missing', 'Request is missing Authentication Token: sign it with AWS Signature Version 4 (an Authorization header or a presigned URL).');
    }
    if (isRoleAccessKey(parts.accessKeyId)) {
      this.verifier.verify(request, parts);
      return;
    }
    if (this.strict) {
      throw new AuthFailure('unknown-key', `The security token included in the request is invalid: ${parts.accessKeyId} is not a key of this install's roles, and --strict-iam refuses every other key.`);
    }
    if (parts.presigned) {
      throw new AuthFailure('unknown-key', `The security token included in the request is invalid: a presigned request must be signed by a role key of this install; ${parts.accessKeyId} is not one (send it in an Authorization header instead).`);
    }
  }
}

/** AWS's codes for each failure: the JSON protocols' shape name and the Query protocol's code. */
const CODES: Record<AuthFailureKind, { json: string; query: string; clientError?: 400 }> = {
  missing: { json: 'MissingAuthenticationTokenException', query: 'MissingAuthenticationToken' },
  incomplete: { json: 'IncompleteSignatureException', query: 'IncompleteSignature', clientError: 400 },
  'unknown-key': { json: 'UnrecognizedClientException', query: 'InvalidClientTokenId' },
  mismatch: { json: 'InvalidSignatureException', query: 'SignatureDoesNotMatch' },
  expired: { json: 'RequestExpired', query: 'RequestExpired', clientError: 400 },
};

/**
 * The failure as the service answers it. `deniedStatus` is what the service answers a refused
 * credential with: 403 for SNS and SQS, 400 for DynamoDB (which answers every client error 400).
 */
export function authFailureError(failure: AuthFailure, deniedStatus = 403): AwsError {
  const codes = CODES[failure.kind];
  return new AwsError(codes.json, failure.message, { status: codes.clientError ?? deniedStatus, queryCode: codes.query, namespace: CORAL });
}
