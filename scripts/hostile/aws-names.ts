/**
 * The names of a queue, table and topic of the running system, for valid-looking requests; when
 * the endpoint refuses to list them (IAM and outside credentials), made-up names in the same shape.
 */
import type { AwsNames } from '../../test/support/aws-requests.ts';

const ACCOUNT = '000000000000';

export function fallbackNames(region: string): AwsNames {
  return names(region, `https://sqs.${region}.amazonaws.com/${ACCOUNT}/hostile-queue`, 'hostile-table', `arn:aws:sns:${region}:${ACCOUNT}:hostile-topic`, 'path');
}

function names(region: string, queueUrl: string, tableName: string, topicArn: string, tableKey: string): AwsNames {
  const queueName = queueUrl.slice(queueUrl.lastIndexOf('/') + 1);
  return {
    queueUrl, queueName, queueArn: `arn:aws:sqs:${region}:${ACCOUNT}:${queueName}`, tableName, tableKey, topicArn,
    receiptHandle: () => 'AQEBhostile-receipt-handle==', subscriptionArn: () => `${topicArn}:00000000-0000-0000-0000-000000000000`,
    doomedTopicArn: (i) => `arn:aws:sns:${region}:${ACCOUNT}:doomed-${i}`,
  };
}

export interface Listings {
  readonly listQueues: () => Promise<string>;
  readonly listTables: () => Promise<string>;
  readonly listTopics: () => Promise<string>;
}

/** Names from the list operations' answers where they give some; a note says what was made up. */
export async function discoverNames(list: Listings, fallback: AwsNames, region: string): Promise<{ names: AwsNames; note?: string }> {
  const first = async (run: () => Promise<string>, pattern: RegExp): Promise<string | undefined> => {
    try {
      return pattern.exec(await run())?.[1];
    } catch {
      return undefined;
    }
  };
  const queueUrl = await first(list.listQueues, /"QueueUrls":\["([^"]+)"/);
  const tableName = await first(list.listTables, /"TableNames":\["([^"]+)"/);
  const topicArn = await first(list.listTopics, /<TopicArn>([^<]+)<\/TopicArn>/);
  const missing = [queueUrl === undefined ? 'queues' : '', tableName === undefined ? 'tables' : '', topicArn === undefined ? 'topics' : ''].filter((word) => word !== '');
  const found = names(region, queueUrl ?? fallback.queueUrl, tableName ?? fallback.tableName, topicArn ?? fallback.topicArn, 'path');
  return { names: found, ...(missing.length > 0 ? { note: `could not list ${missing.join(', ')} with outside credentials; made-up names used` } : {}) };
}
