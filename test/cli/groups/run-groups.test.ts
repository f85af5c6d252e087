import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runGroups, type GroupsAction, type GroupsFlags } from '../../../src/cli/groups/index.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { capture, freePort, runBin, startService, type Run } from '../support/xray-service.ts';

const NOW = 1_750_000_000;
let service: XrayService;
const ARN = /^arn:aws:xray:us-east-1:000000000000:group\//;

beforeAll(async () => {
  service = await startService(NOW);
});

afterAll(async () => {
  await service.stop();
});

async function run(action: GroupsAction, flags: GroupsFlags = {}): Promise<Run> {
  return capture(NOW, (output) => runGroups(action, { endpoint: service.api.url, ...flags }, output));
}

describe('xray-tracer groups', () => {
  test('create, list, update, delete: each says what the service now holds', async () => {
    const created = await run({ kind: 'create', name: 'http-faults', filter: 'service("http-flow") { fault }' });
    expect(created.code).toBe(0);
    expect(created.out.slice(0, 2)).toEqual(['created group "http-faults"', '  filter  service("http-flow") { fault }']);
    expect(created.out[2]).toMatch(/^ {2}arn {5}arn:aws:xray:us-east-1:000000000000:group\/http-faults\/\w+$/);
    expect((await run({ kind: 'create', name: 'all' })).out[1]).toBe('  filter  (none: every trace)');

    const listed = await run({ kind: 'list' });
    expect(listed.code).toBe(0);
    expect(listed.out.map((line) => line.replace(/arn:aws:xray:\S+/, 'ARN'))).toEqual([
      'group        filter                          insights  arn',
      'Default      (every trace)                   off       ARN',
      'all          (every trace)                   off       ARN',
      'http-faults  service("http-flow") { fault }  off       ARN',
      '3 groups',
    ]);

    expect((await run({ kind: 'update', name: 'http-faults', filter: 'responsetime > 2' })).out.slice(0, 2))
      .toEqual(['updated group "http-faults"', '  filter  responsetime > 2']);
    expect(await run({ kind: 'delete', name: 'all' })).toEqual({ code: 0, out: ['deleted group "all"'], err: [] });
    expect((await run({ kind: 'list' })).out.at(-1)).toBe('2 groups');
  });

  test('--json prints the GetGroups, CreateGroup, UpdateGroup and DeleteGroup response shapes', async () => {
    const created = JSON.parse((await run({ kind: 'create', name: 'slow', filter: 'duration > 1' }, { json: true })).out.join('\n')) as { Group: Record<string, unknown> };
    expect(created).toEqual({ Group: { GroupName: 'slow', GroupARN: expect.stringMatching(ARN), FilterExpression: 'duration > 1', InsightsConfiguration: { InsightsEnabled: false, NotificationsEnabled: false } } });
    const listed = JSON.parse((await run({ kind: 'list' }, { json: true })).out.join('\n')) as { Groups: Array<{ GroupName: string }> };
    expect(Object.keys(listed)).toEqual(['Groups']);
    expect(listed.Groups.map((g) => g.GroupName)).toContain('slow');
    const updated = JSON.parse((await run({ kind: 'update', name: 'slow', filter: 'duration > 2' }, { json: true })).out.join('\n')) as { Group: Record<string, unknown> };
    expect(updated.Group).toMatchObject({ GroupName: 'slow', FilterExpression: 'duration > 2' });
    expect(await run({ kind: 'delete', name: 'slow' }, { json: true })).toEqual({ code: 0, out: ['{}'], err: [] });
  });

  test('a bad filter prints the service\'s message with its column and exits 1, as traces --filter does', async () => {
    expect(await run({ kind: 'create', name: 'broken', filter: 'service("a") { fault' }))
      .toEqual({ code: 1, out: [], err: ["xray-tracer groups: InvalidRequestException: FilterExpression: '{' is never closed at column 14"] });
    await run({ kind: 'create', name: 'kept', filter: 'fault' });
    expect(await run({ kind: 'update', name: 'kept', filter: 'http.status >' }))
      .toEqual({ code: 1, out: [], err: ["xray-tracer groups: InvalidRequestException: FilterExpression: expected a number after '>' at column 14"] });
    expect((await run({ kind: 'list' })).out).not.toContain('broken');
  });

  test('the service\'s other refusals are said in its words', async () => {
    expect((await run({ kind: 'delete', name: 'nope' })).err).toEqual(['xray-tracer groups: InvalidRequestException: there is no group named "nope"']);
    expect((await run({ kind: 'delete', name: 'Default' })).err).toEqual(['xray-tracer groups: InvalidRequestException: the Default group cannot be deleted']);
    await run({ kind: 'create', name: 'twice' });
    expect(await run({ kind: 'create', name: 'twice' })).toEqual({ code: 1, out: [], err: ['xray-tracer groups: InvalidRequestException: a group named "twice" already exists'] });
  });

  test('update without --filter, and a bad endpoint, exit 2 without asking; no service exits 1', async () => {
    expect(await run({ kind: 'update', name: 'kept' })).toEqual({ code: 2, out: [], err: ['xray-tracer groups: update needs --filter EXPR: the new filter expression'] });
    expect((await run({ kind: 'list' }, { endpoint: 'ftp://x' })).code).toBe(2);
    const port = await freePort();
    const unreachable = await run({ kind: 'list' }, { endpoint: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err[0]).toMatch(/^xray-tracer groups: cannot reach the X-Ray service at .* \(ECONNREFUSED\)/);
  });

  test('wired into the CLI: list is the default subcommand; create takes --filter', async () => {
    const made = await runBin(['groups', 'create', 'from-cli', '--filter', 'error', '--endpoint', service.api.url]);
    expect([made.code, made.stdout.split('\n')[0]]).toEqual([0, 'created group "from-cli"']);
    const listed = await runBin(['groups', '--json', '--endpoint', service.api.url]);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { Groups: Array<{ GroupName: string }> }).Groups.map((g) => g.GroupName)).toContain('from-cli');
    const bad = await runBin(['groups', 'update', 'from-cli', '--filter', 'fault AND', '--endpoint', service.api.url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n').at(-1)).toMatch(/^xray-tracer groups: InvalidRequestException: FilterExpression: .* at column \d+$/);
  }, 30_000);
});
