import { PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AwsEndpoint } from '../../../src/cloud/endpoint/index.ts';
import { QueryInput, queryParams } from '../../../src/cloud/protocol/query-protocol.ts';
import type { EndpointRequest } from '../../../src/cloud/protocol/service.ts';
import { SnsApi, SnsService } from '../../../src/cloud/sns/index.ts';
import type { Authorizer, InvokeResult } from '../../../src/cloud/core/types.ts';
import { clientConfig, countingIds, FakeClock, post, startEndpoint } from '../endpoint/harness.ts';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:limits';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A Publish form with `count` attributes, each value `valueChars` long. */
function publishForm(count: number, valueChars: number, message = 'hello'): string {
  const parts = ['Action=Publish', `TopicArn=${encodeURIComponent(TOPIC)}`, `Message=${message}`];
  const value = 'v'.repeat(valueChars);
  for (let n = 1; n <= count; n += 1) {
    parts.push(`MessageAttributes.entry.${n}.Name=a${n}`, `MessageAttributes.entry.${n}.Value.DataType=String`, `MessageAttributes.entry.${n}.Value.StringValue=${value}`);
  }
  return parts.join('&');
}

describe('SNS Publish limits', () => {
  let sns: SnsService;
  let endpoint: AwsEndpoint;
  let published: number;

  async function start(authorizer?: Authorizer): Promise<void> {
    endpoint = await startEndpoint([new SnsApi(sns)], authorizer);
  }

  beforeEach(async () => {
    published = 0;
    const lambda = { invoke: async (): Promise<InvokeResult> => ({ statusCode: 202 }) };
    const queues = { send: () => ({ messageId: 'm', md5OfMessageBody: '' }) } as never;
    sns = new SnsService({ lambda, queues, clock: new FakeClock(), ids: countingIds() });
    sns.createTopic('limits');
    const publish = sns.publish.bind(sns);
    sns.publish = (input) => {
      published += 1;
      return publish(input);
    };
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await endpoint.stop();
    await sns.stop();
  });

  it('refuses 10,000 attributes over 256 KB with InvalidParameter, having read only those that fit', async () => {
    await start();
    const reads = vi.spyOn(QueryInput.prototype, 'optionalString');
    const refused = await post(endpoint, FORM, publishForm(10_000, 300));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<Code>InvalidParameter</Code>');
    expect(refused.text).toContain('Message too long');
    // 262,144 bytes hold about 840 attributes of ~310 bytes: reading stops there, not at 10,000.
    expect(reads.mock.calls.length).toBeLessThan(3 * 1000);
    expect(published).toBe(0);
  });

  it('counts the message and the attributes together against 262,144 bytes', async () => {
    await start();
    const fits = await post(endpoint, FORM, publishForm(1, 262_144 - 5 - 2 - 6, 'x'.repeat(5)));
    expect(fits.status).toBe(200);
    const over = await post(endpoint, FORM, publishForm(1, 262_144 - 5 - 2 - 6 + 1, 'x'.repeat(5)));
    expect(over.status).toBe(400);
    expect(over.text).toContain('Message too long');
    expect(published).toBe(1);
  });

  it('accepts more than 10 attributes, as SNS does', async () => {
    await start();
    expect((await post(endpoint, FORM, publishForm(11, 10))).status).toBe(200);
  });

  it('refuses attribute names SNS refuses, with its InvalidParameterValue', async () => {
    await start();
    const form = `Action=Publish&TopicArn=${encodeURIComponent(TOPIC)}&Message=m&MessageAttributes.entry.1.Name=a%23b&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=v`;
    const refused = await post(endpoint, FORM, form);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<Code>InvalidParameterValue</Code>');
    expect(refused.text).toContain('Invalid non-alphanumeric character &apos;#x23&apos; was found in the message attribute name.');
    const badType = await post(endpoint, FORM, form.replace('a%23b', 'ab').replace('DataType=String', 'DataType=Text'));
    expect(badType.text).toContain('the set of supported type prefixes is Binary, Number, and String.');
  });

  it('asks IAM before it reads the attributes', async () => {
    const deny: Authorizer = { authorize: () => ({ allowed: false, reason: 'no identity-based policy allows the sns:Publish action' }) };
    await start(deny);
    const reads = vi.spyOn(QueryInput.prototype, 'optionalString');
    const refused = await post(endpoint, FORM, publishForm(2000, 300));
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('<Code>AuthorizationError</Code>');
    expect(reads.mock.calls.length).toBeLessThan(20);
  });
});

describe('SNS PublishBatch', () => {
  let sns: SnsService;
  let endpoint: AwsEndpoint;
  let client: SNSClient;
  let messages: string[];
  let asked: string[];

  beforeEach(async () => {
    messages = [];
    asked = [];
    const lambda = { invoke: async (): Promise<InvokeResult> => ({ statusCode: 202 }) };
    sns = new SnsService({ lambda, queues: {} as never, clock: new FakeClock(), ids: countingIds() });
    sns.createTopic('limits');
    const publish = sns.publish.bind(sns);
    sns.publish = (input) => {
      messages.push(input.message);
      return publish(input);
    };
    const recording: Authorizer = { authorize: (_principal, action, resource) => (asked.push(`${action} ${resource}`), { allowed: true }) };
    endpoint = await startEndpoint([new SnsApi(sns)], recording);
    client = new SNSClient(clientConfig(endpoint));
  });

  afterEach(async () => {
    client.destroy();
    await endpoint.stop();
    await sns.stop();
  });

  const entry = (id: string, message = `message ${id}`, attributes: Record<string, { DataType: string; StringValue: string }> = {}) => ({
    Id: id,
    Message: message,
    MessageAttributes: attributes,
  });

  it('publishes each entry, authorized as sns:Publish, and reports a bad entry on its own', async () => {
    const result = await client.send(
      new PublishBatchCommand({ TopicArn: TOPIC, PublishBatchRequestEntries: [entry('a'), entry('b', 'x', { 'bad name': { DataType: 'String', StringValue: 'v' } }), entry('c')] }),
    );
    expect(result.Successful?.map((item) => item.Id)).toEqual(['a', 'c']);
    expect(result.Successful?.every((item) => typeof item.MessageId === 'string')).toBe(true);
    expect(result.Failed).toEqual([{ Id: 'b', Code: 'InvalidParameterValue', Message: expect.stringContaining("Invalid non-alphanumeric character '#x20'"), SenderFault: true }]);
    expect(messages).toEqual(['message a', 'message c']);
    expect(asked).toEqual([`sns:Publish ${TOPIC}`]);
  });

  it('refuses the whole batch past 10 entries, with repeated or bad Ids, or past 256 KB in all', async () => {
    const refused = (entries: ReturnType<typeof entry>[]) => client.send(new PublishBatchCommand({ TopicArn: TOPIC, PublishBatchRequestEntries: entries }));
    await expect(refused(Array.from({ length: 11 }, (_, index) => entry(`e${index}`)))).rejects.toMatchObject({ name: 'TooManyEntriesInBatchRequestException' });
    await expect(refused([entry('same'), entry('same')])).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinctException' });
    await expect(refused([entry('not ok')])).rejects.toMatchObject({ name: 'InvalidBatchEntryIdException' });
    await expect(refused([])).rejects.toMatchObject({ name: 'EmptyBatchRequestException' });
    const half = 'x'.repeat(131_072);
    await expect(refused([entry('a', half), entry('b', half, { k: { DataType: 'String', StringValue: 'v' } })])).rejects.toMatchObject({ name: 'BatchRequestTooLongException' });
    expect(messages).toEqual([]);
    const fits = await refused([entry('a', half), entry('b', half.slice(0, -8), { k: { DataType: 'String', StringValue: 'v' } })]);
    expect(fits.Successful).toHaveLength(2);
  });
});

describe('Query parameters', () => {
  function request(body: string): EndpointRequest {
    return { method: 'POST', path: '/', target: '/', query: new URLSearchParams(), headers: {}, body: Buffer.from(body), requestId: 'r', caller: undefined, trace: undefined };
  }

  /**
   * The least CPU time of a few runs reading every attribute of a form of `count` entries: CPU time
   * of this process, so that other processes on the machine do not count.
   */
  function readMicros(count: number): number {
    const body = publishForm(count, 1);
    let best = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run += 1) {
      const started = process.cpuUsage();
      const input = new QueryInput(queryParams(request(body)));
      const entries = input.entries('MessageAttributes');
      for (const entry of entries) entry.string('Value.StringValue');
      const used = process.cpuUsage(started);
      expect(entries).toHaveLength(count);
      best = Math.min(best, used.user + used.system);
    }
    return best;
  }

  it('reads a form in time linear in its entries', () => {
    readMicros(500); // warm up
    const ratio = readMicros(8000) / readMicros(500);
    // Sixteen times the entries: the linear reading costs about 25 to 30 times as much (allocation,
    // garbage collection and caches grow with it); the quadratic scan it replaces, about 240 times.
    expect(ratio).toBeLessThan(80);
  }, 60_000);

  it('keeps the first value of a repeated name and lists that stop at the first gap', () => {
    const input = new QueryInput(queryParams(request('A=1&A=2&L.member.1=x&L.member.2=y&L.member.4=z&L.member.03=w')));
    expect(input.string('A')).toBe('1');
    expect(input.members('L').map((member) => member.value())).toEqual(['x', 'y']);
  });
});
