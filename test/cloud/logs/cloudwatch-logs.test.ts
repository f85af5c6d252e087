import { afterEach, describe, expect, it } from 'vitest';
import type { CloudModel, CloudResource } from '../../../src/cloud/core/types.ts';
import { CloudWatchLogs } from '../../../src/cloud/logs/cloudwatch-logs.ts';

function model(resources: Array<Pick<CloudResource, 'type' | 'logicalId' | 'physicalId' | 'properties'>>): CloudModel {
  return { byType: (type: string) => resources.filter((resource) => resource.type === type) } as unknown as CloudModel;
}

describe('CloudWatchLogs', () => {
  const opened: CloudWatchLogs[] = [];
  afterEach(() => {
    for (const logs of opened.splice(0)) logs.stop();
  });
  const open = (): CloudWatchLogs => {
    const logs = new CloudWatchLogs({ file: ':memory:', nowMs: () => 1_000_000 });
    opened.push(logs);
    return logs;
  };

  it('creates the templates\' log groups with their RetentionInDays, again on each start, and names a value AWS refuses', () => {
    const logs = open();
    const resources = [
      { type: 'AWS::Logs::LogGroup', logicalId: 'Week', physicalId: 'Stack-Week-ABC', properties: { RetentionInDays: 7 } },
      { type: 'AWS::Logs::LogGroup', logicalId: 'Forever', physicalId: '/custom/forever', properties: {} },
      { type: 'AWS::Logs::LogGroup', logicalId: 'Odd', physicalId: 'Stack-Odd-DEF', properties: { RetentionInDays: 8 } },
    ];
    expect(logs.provision(model(resources))).toEqual(['log group Odd: RetentionInDays 8 is not a value CloudWatch Logs accepts; events are kept']);
    expect(logs.store.group('Stack-Week-ABC').retentionDays).toBe(7);
    expect(logs.store.group('/custom/forever').retentionDays).toBeUndefined();
    logs.store.setRetention('Stack-Week-ABC', 30);
    logs.provision(model(resources));
    expect(logs.store.group('Stack-Week-ABC').retentionDays).toBe(7);
  });

  it('commits the lines written in one turn together, per stream, in order, and tells the ingestion listeners', async () => {
    const logs = open();
    const batches: string[] = [];
    logs.store.onIngest((group, stream, events) => batches.push(`${group}/${stream}: ${events.map((event) => event.message).join(' ')}`));
    logs.write('/aws/lambda/a', 's1', { timestampMs: 1, message: 'one' });
    logs.write('/aws/lambda/b', 's2', { timestampMs: 2, message: 'two' });
    logs.write('/aws/lambda/a', 's1', { timestampMs: 3, message: 'three' });
    expect(batches).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual(['/aws/lambda/a/s1: one three', '/aws/lambda/b/s2: two']);
    logs.write('/aws/lambda/a', 's1', { timestampMs: 4, message: 'four' });
    logs.flush();
    expect(batches.at(-1)).toBe('/aws/lambda/a/s1: four');
  });
});
