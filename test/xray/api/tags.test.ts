import {
  CreateGroupCommand, CreateSamplingRuleCommand, DeleteGroupCommand, DeleteSamplingRuleCommand, GetGroupsCommand, ListTagsForResourceCommand,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ACCOUNT, failure, REGION, startApiService, type ApiService } from '../support/api-service.ts';

const RULE = {
  RuleName: 'tagged', ResourceARN: '*', Priority: 10, FixedRate: 0.1, ReservoirSize: 1, ServiceName: '*', ServiceType: '*', Host: '*',
  HTTPMethod: '*', URLPath: '*', Version: 1,
};

describe('tags on groups and sampling rules through XRayClient', () => {
  let api: ApiService;
  beforeAll(async () => {
    api = await startApiService();
  });
  afterAll(async () => api.stop());

  test("CreateGroup's Tags are kept; TagResource adds and overwrites, UntagResource removes; DeleteGroup drops them", async () => {
    const created = await api.client.send(new CreateGroupCommand({ GroupName: 'tagged', Tags: [{ Key: 'team', Value: 'orders' }, { Key: 'stage', Value: 'dev' }] }));
    const arn = created.Group!.GroupARN!;
    expect((await api.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'team', Value: 'orders' }, { Key: 'stage', Value: 'dev' }]);

    await api.client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'stage', Value: 'prod' }, { Key: 'cost center', Value: 'a+b=c @x:/y.z_-' }] }));
    await api.client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team', 'not-there'] }));
    const listed = await api.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
    expect(listed.Tags).toEqual([{ Key: 'stage', Value: 'prod' }, { Key: 'cost center', Value: 'a+b=c @x:/y.z_-' }]);
    expect(listed.NextToken).toBeUndefined();

    await api.client.send(new DeleteGroupCommand({ GroupARN: arn }));
    expect(await failure(api.client.send(new ListTagsForResourceCommand({ ResourceARN: arn })))).toEqual({
      name: 'ResourceNotFoundException', message: `no X-Ray group or sampling rule has the ARN "${arn}"`, status: 404, ResourceName: arn,
    });
  });

  test("CreateSamplingRule's Tags are kept with the rule, by its ARN, and go when it is deleted", async () => {
    const created = await api.client.send(new CreateSamplingRuleCommand({ SamplingRule: RULE, Tags: [{ Key: 'owner', Value: 'tracing' }] }));
    const arn = created.SamplingRuleRecord!.SamplingRule!.RuleARN!;
    expect(arn).toBe(`arn:aws:xray:${REGION}:${ACCOUNT}:sampling-rule/tagged`);
    expect((await api.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'owner', Value: 'tracing' }]);
    await api.client.send(new DeleteSamplingRuleCommand({ RuleName: 'tagged' }));
    await api.client.send(new CreateSamplingRuleCommand({ SamplingRule: RULE }));
    expect((await api.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([]);
    await api.client.send(new DeleteSamplingRuleCommand({ RuleName: 'tagged' }));
  });

  test('the Default group can be tagged', async () => {
    const arn = (await api.client.send(new GetGroupsCommand({}))).Groups![0]!.GroupARN!;
    await api.client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k', Value: '' }] }));
    expect((await api.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'k', Value: '' }]);
  });

  test('at most 50 tags a resource: TooManyTagsException naming the resource', async () => {
    const arn = (await api.client.send(new CreateGroupCommand({ GroupName: 'full', Tags: Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }))).Group!.GroupARN!;
    // Overwriting one of the 50 is fine; a 51st is not.
    await api.client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k0', Value: 'w' }] }));
    expect(await failure(api.client.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'k50', Value: 'v' }] })))).toEqual({
      name: 'TooManyTagsException', message: 'a resource can have at most 50 tags; this would give it 51', status: 400, ResourceName: arn,
    });
    expect((await api.client.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toHaveLength(50);
    expect((await failure(api.client.send(new CreateGroupCommand({ GroupName: 'too-many', Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })))).name)
      .toBe('TooManyTagsException');
    expect((await api.client.send(new GetGroupsCommand({}))).Groups?.map((g) => g.GroupName)).not.toContain('too-many');
  });

  test.each([
    ['the reserved aws: prefix', [{ Key: 'aws:cloudformation:stack-name', Value: 'x' }], 'Tags[0].Key: the prefix "aws:" is reserved for AWS'],
    ['AWS: in capitals', [{ Key: 'AWS:x', Value: 'x' }], 'Tags[0].Key: the prefix "aws:" is reserved for AWS'],
    ['an empty key', [{ Key: '', Value: 'x' }], 'Tags[0].Key must be 1 to 128 characters long, got 0'],
    ['a 129-character key', [{ Key: 'k'.repeat(129), Value: 'x' }], 'Tags[0].Key must be 1 to 128 characters long, got 129'],
    ['a 257-character value', [{ Key: 'k', Value: 'v'.repeat(257) }], 'Tags[0].Value must be at most 256 characters long, got 257'],
    ['a key with a semicolon', [{ Key: 'a;b', Value: 'x' }], 'Tags[0].Key may contain only letters, digits, spaces and _ . : / = + - @'],
  ])('TagResource refuses %s with InvalidRequestException, and CreateGroup makes nothing', async (_what, tags, message) => {
    const arn = (await api.client.send(new GetGroupsCommand({}))).Groups![0]!.GroupARN!;
    expect(await failure(api.client.send(new TagResourceCommand({ ResourceARN: arn, Tags: tags })))).toEqual({ name: 'InvalidRequestException', message, status: 400 });
    expect((await failure(api.client.send(new CreateGroupCommand({ GroupName: 'refused', Tags: tags })))).message).toBe(message);
    expect((await api.client.send(new GetGroupsCommand({}))).Groups?.map((g) => g.GroupName)).not.toContain('refused');
  });

  test('UntagResource cannot remove aws: tags', async () => {
    const arn = (await api.client.send(new GetGroupsCommand({}))).Groups![0]!.GroupARN!;
    expect(await failure(api.client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['aws:x'] })))).toEqual({
      name: 'InvalidRequestException', message: 'TagKeys[0]: the prefix "aws:" is reserved for AWS', status: 400,
    });
  });

  test('an ARN of nothing is ResourceNotFoundException for each of the three', async () => {
    const arn = `arn:aws:xray:${REGION}:${ACCOUNT}:group/none/X`;
    for (const command of [new ListTagsForResourceCommand({ ResourceARN: arn }), new TagResourceCommand({ ResourceARN: arn, Tags: [] }), new UntagResourceCommand({ ResourceARN: arn, TagKeys: [] })]) {
      expect(await failure(api.client.send(command as never))).toMatchObject({ name: 'ResourceNotFoundException', status: 404, ResourceName: arn });
    }
  });
});
