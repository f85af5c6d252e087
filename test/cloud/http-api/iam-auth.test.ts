// AWS_IAM on function URLs and HTTP API routes: SigV4 for the service, role keys verified and held to
// their role's policy, the user's own keys acting as the account, anything unsigned refused.
import { SignatureV4 } from '@smithy/signature-v4';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { IamCheck } from '../../../src/cloud/http-api/iam-auth.ts';
import { RoleCredentials } from '../../../src/cloud/iam/credentials.ts';
import type { Authorizer } from '../../../src/cloud/core/types.ts';
import { Sha256 } from '../../support/sha256.ts';

const NOW_MS = Date.UTC(2026, 11, 4, 12, 0, 0);
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:fn';
const roles = RoleCredentials.ephemeral();
const allowedRole = roles.forRole('arn:aws:iam::000000000000:role/Allowed');
const deniedRole = roles.forRole('arn:aws:iam::000000000000:role/Denied');
const authorizer: Authorizer = {
  authorize: (principal, action, resourceArn) => principal.accessKeyId === deniedRole.accessKeyId
    ? { allowed: false, reason: `not allowed ${action} on ${resourceArn}` }
    : { allowed: true },
};
const check = new IamCheck({ roleCredentials: roles, authorizer, accountId: '000000000000', clock: () => NOW_MS });

async function signed(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, service = 'lambda'): Promise<{ method: string; target: string; headers: IncomingHttpHeaders; body: Buffer }> {
  const signer = new SignatureV4({ service, region: 'us-east-1', sha256: Sha256, credentials, applyChecksum: false });
  const request = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 3002, path: '/run', query: { a: '1' }, headers: { host: '127.0.0.1:3002' }, body: 'hi' },
    { signingDate: new Date(NOW_MS) },
  );
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return { method: 'POST', target: '/run?a=1', headers, body: Buffer.from('hi') };
}

describe('IamCheck', () => {
  it('takes the user\'s own keys, whatever the secret, as the account', async () => {
    const decision = check.check(await signed({ accessKeyId: 'AKIAUSER0000000000001', secretAccessKey: 'anything' }), 'lambda', 'lambda:InvokeFunctionUrl', FUNCTION_ARN);
    expect(decision).toEqual({ allowed: true, caller: { accessKey: 'AKIAUSER0000000000001', accountId: '000000000000', userArn: 'arn:aws:iam::000000000000:root', userId: '000000000000' } });
  });

  it('holds a role key to a valid signature and to its role\'s policy', async () => {
    const allowed = check.check(await signed(allowedRole), 'lambda', 'lambda:InvokeFunctionUrl', FUNCTION_ARN);
    expect(allowed).toMatchObject({ allowed: true, caller: { userArn: 'arn:aws:sts::000000000000:assumed-role/Allowed/local' } });
    expect(check.check(await signed(deniedRole), 'lambda', 'lambda:InvokeFunctionUrl', FUNCTION_ARN))
      .toEqual({ allowed: false, reason: `not allowed lambda:InvokeFunctionUrl on ${FUNCTION_ARN}` });
    const forged = check.check(await signed({ ...allowedRole, secretAccessKey: 'wrong' }), 'lambda', 'lambda:InvokeFunctionUrl', FUNCTION_ARN);
    expect(forged).toMatchObject({ allowed: false, reason: expect.stringContaining('signature we calculated does not match') });
  });

  it('refuses an unsigned request and one signed for another service', async () => {
    expect(check.check({ method: 'POST', target: '/run', headers: { host: '127.0.0.1:3002' }, body: Buffer.alloc(0) }, 'lambda', 'lambda:InvokeFunctionUrl', FUNCTION_ARN))
      .toMatchObject({ allowed: false, reason: expect.stringContaining('not signed') });
    expect(check.check(await signed({ accessKeyId: 'AKIAUSER0000000000001', secretAccessKey: 'x' }, 'sqs'), 'lambda', 'lambda:InvokeFunctionUrl', FUNCTION_ARN))
      .toMatchObject({ allowed: false, reason: expect.stringContaining('"sqs"') });
  });
});
