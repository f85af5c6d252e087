import { GetEncryptionConfigCommand, PutEncryptionConfigCommand } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, failure, NOW, REGION, startApiService, type ApiService } from '../support/api-service.ts';

describe('GetEncryptionConfig and PutEncryptionConfig through XRayClient', () => {
  let api: ApiService;
  beforeAll(async () => {
    api = await startApiService({ settingsTransitionMs: 5000 });
  });
  afterAll(async () => api.stop());

  test('default encryption until changed; a change is UPDATING, then ACTIVE', async () => {
    api.clock.nowSeconds = NOW;
    expect((await api.client.send(new GetEncryptionConfigCommand({}))).EncryptionConfig).toEqual({ Type: 'NONE', Status: 'ACTIVE' });

    const put = await api.client.send(new PutEncryptionConfigCommand({ Type: 'KMS', KeyId: 'ae4aa6d49-a4d8-9df9-a475-4ff6d7898456' }));
    const keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/ae4aa6d49-a4d8-9df9-a475-4ff6d7898456`;
    expect(put.EncryptionConfig).toEqual({ Type: 'KMS', KeyId: keyArn, Status: 'UPDATING' });
    api.clock.nowSeconds = NOW + 4.9;
    expect((await api.client.send(new GetEncryptionConfigCommand({}))).EncryptionConfig?.Status).toBe('UPDATING');
    api.clock.nowSeconds = NOW + 5;
    expect((await api.client.send(new GetEncryptionConfigCommand({}))).EncryptionConfig).toEqual({ Type: 'KMS', KeyId: keyArn, Status: 'ACTIVE' });

    await api.client.send(new PutEncryptionConfigCommand({ Type: 'NONE' }));
    expect((await api.client.send(new GetEncryptionConfigCommand({}))).EncryptionConfig).toEqual({ Type: 'NONE', Status: 'UPDATING' });
  });

  test.each([
    ['an alias', 'alias/MyKey', `arn:aws:kms:${REGION}:${ACCOUNT}:alias/MyKey`],
    ['a key ARN in another account', 'arn:aws:kms:us-east-2:111122223333:key/abc', 'arn:aws:kms:us-east-2:111122223333:key/abc'],
    ['no key: the AWS managed key', undefined, `arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/xray`],
  ])('KeyId as %s is answered as a KMS ARN', async (_what, keyId, arn) => {
    const put = await api.client.send(new PutEncryptionConfigCommand({ Type: 'KMS', KeyId: keyId }));
    expect(put.EncryptionConfig?.KeyId).toBe(arn);
  });

  test.each([
    ['no Type', {}, 'Type is required'],
    ['an unknown Type', { Type: 'AES' }, 'Type must be one of NONE, KMS, got the string "AES"'],
    ['an overlong KeyId', { Type: 'KMS', KeyId: 'k'.repeat(3001) }, 'KeyId must be 1 to 3000 characters long, got 3001'],
  ])('PutEncryptionConfig refuses %s with InvalidRequestException', async (_what, input, message) => {
    expect(await failure(api.client.send(new PutEncryptionConfigCommand(input as never)))).toEqual({ name: 'InvalidRequestException', message, status: 400 });
  });
});
