import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateGroupCommand, DeleteGroupCommand, GetGroupCommand, GetGroupsCommand, GetTraceSummariesCommand, PutTraceSegmentsCommand,
  UpdateGroupCommand, XRayClient,
} from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryGroupStorage } from '../../../src/xray/groups/index.ts';
import { silentLogger } from '../../../src/xray/log/logger.ts';
import { startXrayService, type XrayService } from '../../../src/xray/service.ts';
import { MemoryTraceStore } from '../../../src/xray/store/index.ts';
import { newTraceId, segment } from '../support/documents.ts';

const NOW = 1_750_000_000;
const ARN = 'arn:aws:xray:eu-west-1:123456789012:group';
let ids = 0;

function clientFor(service: XrayService): XRayClient {
  return new XRayClient({
    endpoint: service.api.url, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' }, maxAttempts: 1,
  });
}

async function start(options: { dataDir?: string } = {}): Promise<XrayService> {
  return startXrayService({
    ...(options.dataDir === undefined ? { store: new MemoryTraceStore({ nowSeconds: () => NOW }), groups: new MemoryGroupStorage() } : { dataDir: options.dataDir }),
    daemonPort: 0, apiPort: 0, logger: silentLogger, nowMs: () => NOW * 1000,
    region: 'eu-west-1', accountId: '123456789012', newGroupId: () => `ID${++ids}`,
  });
}

describe('group operations through XRayClient', () => {
  let service: XrayService;
  let client: XRayClient;
  beforeAll(async () => {
    service = await start();
    client = clientFor(service);
  });
  afterAll(async () => {
    client.destroy();
    await service.stop();
  });

  test('create, get, list, update and delete a group in AWS shapes', async () => {
    const created = await client.send(new CreateGroupCommand({
      GroupName: 'http-faults', FilterExpression: 'service("http-flow") { fault }',
      InsightsConfiguration: { InsightsEnabled: true }, Tags: [{ Key: 'team', Value: 'tracing' }],
    }));
    const arn = created.Group?.GroupARN ?? '';
    expect(arn).toMatch(new RegExp(`^${ARN}/http-faults/ID\\d+$`));
    expect(created.Group).toEqual({
      GroupName: 'http-faults', GroupARN: arn, FilterExpression: 'service("http-flow") { fault }',
      InsightsConfiguration: { InsightsEnabled: true, NotificationsEnabled: false },
    });
    expect((await client.send(new GetGroupCommand({ GroupARN: arn }))).Group).toEqual(created.Group);
    expect((await client.send(new GetGroupCommand({ GroupName: 'http-faults' }))).Group).toEqual(created.Group);

    const listed = await client.send(new GetGroupsCommand({}));
    expect(listed.Groups?.map((g) => g.GroupName)).toEqual(['Default', 'http-faults']);
    expect(listed.Groups?.[0]).toEqual({ GroupName: 'Default', GroupARN: `${ARN}/Default`, InsightsConfiguration: { InsightsEnabled: false, NotificationsEnabled: false } });
    expect(listed.NextToken).toBeUndefined();

    const updated = await client.send(new UpdateGroupCommand({ GroupName: 'http-faults', FilterExpression: 'fault', InsightsConfiguration: { NotificationsEnabled: true } }));
    expect(updated.Group).toEqual({ ...created.Group, FilterExpression: 'fault', InsightsConfiguration: { InsightsEnabled: true, NotificationsEnabled: true } });

    await client.send(new DeleteGroupCommand({ GroupARN: arn }));
    expect((await client.send(new GetGroupsCommand({}))).Groups?.map((g) => g.GroupName)).toEqual(['Default']);
  });

  test.each([
    ['a duplicate name', { GroupName: 'dup' }, 'a group named "dup" already exists'],
    ['the reserved name', { GroupName: 'Default' }, 'GroupName "Default" is reserved: the Default group always exists'],
    ['a 33-character name', { GroupName: 'x'.repeat(33) }, 'GroupName must be 1 to 32 characters long, got 33'],
    ['a name with a space', { GroupName: 'a b' }, 'GroupName "a b" may contain only letters, digits, "-" and "_"'],
    ['a bad filter', { GroupName: 'bad', FilterExpression: 'http.status >= "500"' }, `FilterExpression: expected a number after '>=', found string "500" at column 16`],
    ['a filter naming a group', { GroupName: 'bad', FilterExpression: 'group.name = "dup"' }, "FilterExpression: a group's filter cannot test group membership (group.name, group.arn)"],
    ['notifications without insights', { GroupName: 'bad', InsightsConfiguration: { NotificationsEnabled: true } }, 'InsightsConfiguration: NotificationsEnabled needs InsightsEnabled'],
  ])('CreateGroup refuses %s with InvalidRequestException', async (_what, input, message) => {
    await client.send(new CreateGroupCommand({ GroupName: 'dup', FilterExpression: 'ok' })).catch(() => undefined);
    await expect(client.send(new CreateGroupCommand(input))).rejects.toMatchObject({ name: 'InvalidRequestException', message });
  });

  test('unknown groups and Default changes are refused', async () => {
    await expect(client.send(new GetGroupCommand({ GroupName: 'nope' }))).rejects.toMatchObject({ name: 'InvalidRequestException', message: 'there is no group named "nope"' });
    await expect(client.send(new DeleteGroupCommand({ GroupName: 'Default' }))).rejects.toMatchObject({ message: 'the Default group cannot be deleted' });
    await expect(client.send(new UpdateGroupCommand({ GroupName: 'Default', FilterExpression: 'fault' }))).rejects.toMatchObject({ message: expect.stringContaining('cannot be given a FilterExpression') });
    await expect(client.send(new GetGroupCommand({}))).rejects.toMatchObject({ message: 'GroupName or GroupARN is required' });
    // Names AWS's model refuses are refused as such, not looked up (and not repeated whole).
    await expect(client.send(new GetGroupCommand({ GroupName: '' }))).rejects.toMatchObject({ message: 'GroupName must be 1 to 32 characters long, got 0' });
    await expect(client.send(new DeleteGroupCommand({ GroupName: 'x'.repeat(100_000) }))).rejects.toMatchObject({ message: 'GroupName must be 1 to 32 characters long, got 100000' });
    await expect(client.send(new GetGroupsCommand({ NextToken: 'abc' }))).rejects.toMatchObject({ message: 'NextToken the string "abc" was not issued by this service' });
  });

  test('GetTraceSummaries: group.name in a filter, and GroupName scoping with the request filter', async () => {
    await client.send(new CreateGroupCommand({ GroupName: 'faulty', FilterExpression: 'fault' }));
    const traces = [
      segment(newTraceId(NOW - 30), NOW - 30, { http: { request: { method: 'GET', url: 'https://x/a' }, response: { status: 500 } } }),
      segment(newTraceId(NOW - 20), NOW - 20, { http: { request: { method: 'POST', url: 'https://x/b' }, response: { status: 502 } } }),
      segment(newTraceId(NOW - 10), NOW - 10),
    ];
    await client.send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: traces.map((t) => JSON.stringify(t)) }));
    const range = { StartTime: new Date((NOW - 60) * 1000), EndTime: new Date(NOW * 1000) };
    const idsOf = async (input: Record<string, unknown>): Promise<string[]> =>
      ((await client.send(new GetTraceSummariesCommand({ ...range, ...input }))).TraceSummaries ?? []).map((s) => s.Id ?? '');
    expect(await idsOf({ FilterExpression: 'group.name = "faulty"' })).toEqual([traces[1]!.trace_id, traces[0]!.trace_id]);
    expect(await idsOf({ FilterExpression: 'group.name != "faulty"' })).toEqual([traces[2]!.trace_id]);
    expect(await idsOf({ FilterExpression: 'group.name = "Default"' })).toHaveLength(3);
    expect(await idsOf({ FilterExpression: '  ' })).toHaveLength(3);

    // GroupName is not in the SDK's model; the API takes it as a local extension.
    const scoped = async (body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> => {
      const response = await fetch(`${service.api.url}/TraceSummaries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ StartTime: NOW - 60, EndTime: NOW, ...body }) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    const ofScoped = (json: Record<string, unknown>): string[] => (json['TraceSummaries'] as Array<{ Id: string }>).map((s) => s.Id);
    expect(ofScoped((await scoped({ GroupName: 'faulty', FilterExpression: 'http.method = "POST"' })).json)).toEqual([traces[1]!.trace_id]);
    const arn = (await client.send(new GetGroupCommand({ GroupName: 'faulty' }))).Group?.GroupARN;
    expect(ofScoped((await scoped({ GroupARN: arn })).json)).toEqual([traces[1]!.trace_id, traces[0]!.trace_id]);
    expect(await scoped({ GroupName: 'nope' })).toEqual({ status: 400, json: expect.objectContaining({ __type: 'InvalidRequestException', message: 'there is no group named "nope"' }) });
  });
});

describe('groups persist across restarts of the service', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xray-groups-api-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('a group created before a restart is there after it, with the same ARN and filter', async () => {
    const first = await start({ dataDir });
    const client = clientFor(first);
    const created = await client.send(new CreateGroupCommand({ GroupName: 'slow', FilterExpression: 'responsetime > 2' }));
    await client.send(new UpdateGroupCommand({ GroupName: 'Default', InsightsConfiguration: { InsightsEnabled: true } }));
    client.destroy();
    await first.stop();

    const second = await start({ dataDir });
    const again = clientFor(second);
    try {
      expect((await again.send(new GetGroupCommand({ GroupName: 'slow' }))).Group).toEqual(created.Group);
      expect((await again.send(new GetGroupsCommand({}))).Groups?.map((g) => [g.GroupName, g.InsightsConfiguration?.InsightsEnabled])).toEqual([['Default', true], ['slow', false]]);
    } finally {
      again.destroy();
      await second.stop();
    }
  });
});
