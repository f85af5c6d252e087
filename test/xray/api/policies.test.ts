import { DeleteResourcePolicyCommand, ListResourcePoliciesCommand, PutResourcePolicyCommand } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { failure, NOW, startApiService, type ApiService } from '../support/api-service.ts';

const ALLOW_SNS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'SNSAccess', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['xray:PutTraceSegments', 'xray:GetSamplingRules'], Resource: '*' }],
});
const LOCKOUT = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', Principal: '*', Action: 'xray:*', Resource: '*' } });

describe('resource policies through XRayClient', () => {
  let api: ApiService;
  beforeAll(async () => {
    api = await startApiService();
  });
  afterAll(async () => api.stop());
  beforeEach(async () => {
    for (const policy of (await api.client.send(new ListResourcePoliciesCommand({}))).ResourcePolicies ?? []) {
      await api.client.send(new DeleteResourcePolicyCommand({ PolicyName: policy.PolicyName }));
    }
  });

  test('put, update, list and delete, each put a new revision', async () => {
    api.clock.nowSeconds = NOW;
    const first = await api.client.send(new PutResourcePolicyCommand({ PolicyName: 'sns', PolicyDocument: ALLOW_SNS }));
    expect(first.ResourcePolicy).toEqual({ PolicyName: 'sns', PolicyDocument: ALLOW_SNS, PolicyRevisionId: expect.stringMatching(/^\d+$/), LastUpdatedTime: new Date(NOW * 1000) });
    api.clock.nowSeconds = NOW + 60;
    const second = await api.client.send(new PutResourcePolicyCommand({ PolicyName: 'sns', PolicyDocument: ALLOW_SNS, PolicyRevisionId: first.ResourcePolicy!.PolicyRevisionId }));
    expect(second.ResourcePolicy!.PolicyRevisionId).not.toBe(first.ResourcePolicy!.PolicyRevisionId);
    expect(second.ResourcePolicy!.LastUpdatedTime).toEqual(new Date((NOW + 60) * 1000));
    expect((await api.client.send(new ListResourcePoliciesCommand({}))).ResourcePolicies).toEqual([second.ResourcePolicy]);

    expect(await failure(api.client.send(new DeleteResourcePolicyCommand({ PolicyName: 'sns', PolicyRevisionId: first.ResourcePolicy!.PolicyRevisionId })))).toMatchObject({
      name: 'InvalidPolicyRevisionIdException', status: 400,
    });
    await api.client.send(new DeleteResourcePolicyCommand({ PolicyName: 'sns', PolicyRevisionId: second.ResourcePolicy!.PolicyRevisionId }));
    expect((await api.client.send(new ListResourcePoliciesCommand({}))).ResourcePolicies).toEqual([]);
    // Deleting what is not there is not an error without a revision, as AWS.
    await api.client.send(new DeleteResourcePolicyCommand({ PolicyName: 'sns' }));
  });

  test('PolicyRevisionId: a stale one fails, 0 creates only', async () => {
    const created = await api.client.send(new PutResourcePolicyCommand({ PolicyName: 'p', PolicyDocument: ALLOW_SNS, PolicyRevisionId: '0' }));
    expect(await failure(api.client.send(new PutResourcePolicyCommand({ PolicyName: 'p', PolicyDocument: ALLOW_SNS, PolicyRevisionId: '0' })))).toEqual({
      name: 'InvalidPolicyRevisionIdException', status: 400,
      message: `PolicyRevisionId 0 creates only, and a policy named "p" exists (revision ${created.ResourcePolicy!.PolicyRevisionId})`,
    });
    expect((await failure(api.client.send(new PutResourcePolicyCommand({ PolicyName: 'p', PolicyDocument: ALLOW_SNS, PolicyRevisionId: '999' })))).name).toBe('InvalidPolicyRevisionIdException');
    expect((await failure(api.client.send(new PutResourcePolicyCommand({ PolicyName: 'new', PolicyDocument: ALLOW_SNS, PolicyRevisionId: '7' })))).name).toBe('InvalidPolicyRevisionIdException');
  });

  test('at most 5 policies: PolicyCountLimitExceededException; replacing one of them is fine', async () => {
    for (let i = 0; i < 5; i++) await api.client.send(new PutResourcePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: ALLOW_SNS }));
    expect(await failure(api.client.send(new PutResourcePolicyCommand({ PolicyName: 'p5', PolicyDocument: ALLOW_SNS })))).toEqual({
      name: 'PolicyCountLimitExceededException', message: 'an account can have at most 5 resource policies', status: 400,
    });
    await api.client.send(new PutResourcePolicyCommand({ PolicyName: 'p4', PolicyDocument: ALLOW_SNS }));
    expect((await api.client.send(new ListResourcePoliciesCommand({}))).ResourcePolicies).toHaveLength(5);
  });

  test('a document over 5 KB: PolicySizeLimitExceededException', async () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'xray:PutTraceSegments', Resource: '*', Sid: 'x'.repeat(5200) }] });
    expect(await failure(api.client.send(new PutResourcePolicyCommand({ PolicyName: 'big', PolicyDocument: big })))).toEqual({
      name: 'PolicySizeLimitExceededException', message: `PolicyDocument is ${big.length} bytes; a policy can be at most 5120`, status: 400,
    });
  });

  test.each([
    ['not JSON', '{"Statement": ['],
    ['not an object', '[1]'],
    ['no Statement', '{"Version":"2012-10-17"}'],
    ['a statement without Effect', '{"Statement":[{"Action":"xray:*"}]}'],
    ['a statement without Action', '{"Statement":[{"Effect":"Allow"}]}'],
  ])('a document that is %s: MalformedPolicyDocumentException', async (_what, document) => {
    expect((await failure(api.client.send(new PutResourcePolicyCommand({ PolicyName: 'bad', PolicyDocument: document })))).name).toBe('MalformedPolicyDocumentException');
  });

  test('a policy denying everyone PutResourcePolicy: LockoutPreventionException unless BypassPolicyLockoutCheck', async () => {
    expect((await failure(api.client.send(new PutResourcePolicyCommand({ PolicyName: 'lock', PolicyDocument: LOCKOUT })))).name).toBe('LockoutPreventionException');
    const put = await api.client.send(new PutResourcePolicyCommand({ PolicyName: 'lock', PolicyDocument: LOCKOUT, BypassPolicyLockoutCheck: true }));
    expect(put.ResourcePolicy?.PolicyName).toBe('lock');
  });

  test.each([
    ['a name with a space', { PolicyName: 'a b', PolicyDocument: ALLOW_SNS }, 'PolicyName the string "a b" may contain only letters, digits and _ + = , . @ -'],
    ['a 129-character name', { PolicyName: 'p'.repeat(129), PolicyDocument: ALLOW_SNS }, 'PolicyName must be 1 to 128 characters long, got 129'],
    ['no document', { PolicyName: 'p' }, 'PolicyDocument is required'],
  ])('PutResourcePolicy refuses %s with InvalidRequestException', async (_what, input, message) => {
    expect(await failure(api.client.send(new PutResourcePolicyCommand(input as never)))).toEqual({ name: 'InvalidRequestException', message, status: 400 });
  });
});
