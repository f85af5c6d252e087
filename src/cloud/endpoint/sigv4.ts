/**
 * The caller's identity from a SigV4-signed request. Locally the access key id alone says which role
 * is calling (see `accessKeyForRole`); signatures are not verified, so any secret works.
 */
export interface SigV4Scope {
  readonly accessKeyId: string;
  /** The credential scope's service, e.g. `sqs`. */
  readonly service: string;
  readonly region: string;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/** From `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs/aws4_request, ...`
 *  or a presigned URL's `X-Amz-Credential`; undefined when the request is not signed. */
export function sigV4ScopeOf(authorization: string | undefined, query?: URLSearchParams): SigV4Scope | undefined {
  const credential = authorization?.startsWith('AWS4-')
    ? authorization
    : query?.has('X-Amz-Credential') === true
      ? `Credential=${query.get('X-Amz-Credential') ?? ''}`
      : undefined;
  const match = credential === undefined ? null : CREDENTIAL.exec(credential);
  if (!match) return undefined;
  return { accessKeyId: match[1] ?? '', region: match[3] ?? '', service: match[4] ?? '' };
}
