/**
 * The local AWS endpoint: SQS and DynamoDB (awsJson1_0) and SNS (awsQuery forms), most requests
 * SigV4-signed with outside credentials as a real client would, some unsigned. Hostile members,
 * 10K entries and attributes, malformed forms and heads, lying lengths and slow bodies.
 */
import { dynamodbInputs, snsInputs, sqsInputs, type AwsNames } from '../../../test/support/aws-requests.ts';
import { badForm, jsonText, type Fuzz, type FuzzValue } from '../../../test/support/fuzz.ts';
import { deepNesting, extremeNumber } from '../../../test/support/hostile-values.ts';
import { discoverNames, fallbackNames } from '../aws-names.ts';
import type { HostileCase } from '../cases.ts';
import { WHOLE } from '../cases.ts';
import { CLASS_SHARES, draftJsonCase, pickShare, type Draft } from '../draft.ts';
import { check, exchange, shown, streamCase, type Listener } from '../listener.ts';
import type { Address } from '../send.ts';
import { signSpec } from '../sigv4.ts';

const JSON_1_0 = 'application/x-amz-json-1.0';
const FORM = 'application/x-www-form-urlencoded';
const SIGNED_SHARE = 0.7;

export function endpointListener(options: { url: string; region: string; timeoutMs: number }): Listener {
  const url = new URL(options.url);
  const address: Address = { host: url.hostname, port: Number(url.port) };
  const host = url.host;
  let names: AwsNames = fallbackNames(options.region);
  const post = async (service: string, headers: Record<string, string>, body: string) => {
    const signed = await signSpec({ method: 'POST', target: '/', host, headers: Object.entries(headers), body }, service, options.region);
    return exchange(options.url, { method: 'POST', headers: Object.fromEntries(signed.headers ?? []), body, timeoutMs: options.timeoutMs });
  };

  async function sign(draft: Draft, service: string, fuzz: Fuzz): Promise<Draft> {
    if (draft.spec === undefined || !fuzz.chance(SIGNED_SHARE)) return { ...draft, label: `unsigned ${draft.label}` };
    try {
      return { ...draft, spec: await signSpec(draft.spec, service, options.region), label: `signed ${draft.label}` };
    } catch {
      return { ...draft, label: `unsigned (not signable) ${draft.label}` };
    }
  }

  return {
    name: 'endpoint',
    where: options.url,
    address,
    async prepare(): Promise<string | undefined> {
      const found = await discoverNames({
        listQueues: async () => (await post('sqs', { 'content-type': JSON_1_0, 'x-amz-target': 'AmazonSQS.ListQueues' }, '{}')).body,
        listTables: async () => (await post('dynamodb', { 'content-type': JSON_1_0, 'x-amz-target': 'DynamoDB_20120810.ListTables' }, '{}')).body,
        listTopics: async () => (await post('sns', { 'content-type': FORM }, 'Action=ListTopics&Version=2010-03-31')).body,
      }, names, options.region);
      names = found.names;
      return found.note;
    },
    async caseAt(fuzz: Fuzz, index: number): Promise<HostileCase> {
      const protocol = pickShare(fuzz, [['sqs', 40], ['dynamodb', 35], ['sns', 25]] as const);
      if (protocol === 'sns') {
        const inputs = snsInputs(names);
        const action = fuzz.pick(Object.keys(inputs));
        const valid = inputs[action]?.(index) ?? {};
        const draft = snsDraft(fuzz, host, valid);
        return streamCase(await sign({ ...draft, label: `SNS ${action} ${draft.label}` }, 'sns', fuzz), 'tcp');
      }
      const inputs = protocol === 'sqs' ? sqsInputs(names) : dynamodbInputs(names);
      const operation = fuzz.pick(Object.keys(inputs));
      const valid = inputs[operation]?.(index) ?? {};
      const target = protocol === 'sqs' ? `AmazonSQS.${operation}` : `DynamoDB_20120810.${operation}`;
      const draft = draftJsonCase(fuzz, {
        host, target: '/', contentType: JSON_1_0, headers: [['X-Amz-Target', target]], valid,
        hugeCount: (f) => protocol === 'sqs' ? sqsHugeCount(f, names, operation) : dynamodbHugeCount(f, names),
      });
      return streamCase(await sign({ ...draft, label: `${target} ${draft.label}` }, protocol, fuzz), 'tcp');
    },
    liveness: () => check('AWS endpoint', async () => {
      const queues = await post('sqs', { 'content-type': JSON_1_0, 'x-amz-target': 'AmazonSQS.ListQueues' }, '{}');
      // Outside credentials may be refused by IAM: an AWS-shaped refusal is a correct answer too.
      const ok = (queues.status === 200 && queues.body.includes('QueueUrls')) || (queues.status >= 400 && queues.status < 500 && queues.body.includes('"__type"'));
      return { ok, detail: `signed SQS ListQueues: ${shown(queues)}` };
    }),
  };
}

function formText(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

/** SNS's awsQuery forms: the fuzz suite's bad forms, hostile attribute values, up to 10K attributes, and the common classes. */
function snsDraft(fuzz: Fuzz, host: string, valid: Record<string, string>): Draft {
  const inputClass = pickShare(fuzz, CLASS_SHARES);
  const spec = (body: Buffer | string) => ({ method: 'POST', target: '/', host, headers: [['Content-Type', FORM]] as Array<readonly [string, string]>, body });
  const entries = Object.entries(valid);
  const attribute = (n: number, type: string, value: string): Array<[string, string]> => [
    [`MessageAttributes.entry.${n}.Name`, `a${n}`], [`MessageAttributes.entry.${n}.Value.DataType`, type], [`MessageAttributes.entry.${n}.Value.StringValue`, value],
  ];
  switch (inputClass) {
    case 'wrong-value':
    case 'bad-utf8': {
      const bad = badForm(fuzz, valid, inputClass === 'bad-utf8' ? 'invalid-utf8' : undefined);
      return { inputClass, label: bad.label, spec: spec(bad.body), delivery: WHOLE };
    }
    case 'deep-nesting': {
      const deep = deepNesting(fuzz).text;
      const params: Array<[string, string]> = fuzz.chance(0.5)
        ? [...entries.filter(([name]) => name !== 'Message'), ['Message', `{"default":${JSON.stringify(deep)},"sqs":${deep}}`], ['MessageStructure', 'json']]
        : [...entries, ...attribute(9, 'String.Array', deep)];
      return { inputClass, label: `${params.at(-1)?.[0] ?? ''} nested ${deep.length / 2} characters deep`, spec: spec(formText(params)), delivery: WHOLE };
    }
    case 'extreme-number': {
      const value = extremeNumber(fuzz).text;
      const params: Array<[string, string]> = fuzz.chance(0.5) ? [...entries, ...attribute(9, 'Number', value)] : entries.map(([name, v]) => [name, fuzz.chance(0.3) ? value : v]);
      return { inputClass, label: `number ${value}`, spec: spec(formText(params)), delivery: WHOLE };
    }
    case 'huge-count': {
      const count = fuzz.pick([1000, 2000, 5000, 10_000]);
      const params: Array<[string, string]> = [...entries, ...Array.from({ length: count }, (_, i) => attribute(i + 1, 'String', 'v')).flat()];
      return { inputClass, label: `${count} MessageAttributes entries`, spec: spec(formText(params)), delivery: WHOLE };
    }
    default:
      return draftJsonCase(fuzz, { host, target: '/', contentType: FORM, valid: valid as FuzzValue, validBody: formText(entries) }, inputClass);
  }
}

function sqsHugeCount(fuzz: Fuzz, names: AwsNames, operation: string): { label: string; body: string } {
  const QueueUrl = names.queueUrl;
  if (operation === 'SendMessageBatch' || fuzz.chance(0.3)) {
    return { label: '10,000 batch entries', body: jsonText({ QueueUrl, Entries: Array.from({ length: 10_000 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })) }) };
  }
  if (operation === 'ReceiveMessage') return { label: '10,000 attribute names', body: jsonText({ QueueUrl, AttributeNames: Array.from({ length: 10_000 }, (_, i) => `A${i}`) }) };
  const MessageAttributes = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
  return { label: '10,000 message attributes', body: jsonText({ QueueUrl, MessageBody: 'x', MessageAttributes }) };
}

function dynamodbHugeCount(fuzz: Fuzz, names: AwsNames): { label: string; body: string } {
  const { tableName: TableName, tableKey: key } = names;
  return fuzz.pick([
    () => ({ label: 'an item of 10,000 attributes', body: jsonText({ TableName, Item: { [key]: { S: 'h' }, ...Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`a${i}`, { N: String(i) }])) } }) }),
    () => ({ label: '10,000 BatchWriteItem requests', body: jsonText({ RequestItems: { [TableName]: Array.from({ length: 10_000 }, (_, i) => ({ PutRequest: { Item: { [key]: { S: `k${i}` } } } })) } }) }),
    () => ({ label: '10,000 BatchGetItem keys', body: jsonText({ RequestItems: { [TableName]: { Keys: Array.from({ length: 10_000 }, (_, i) => ({ [key]: { S: `k${i}` } })) } } }) }),
    () => ({ label: 'a list of 10,000 values', body: jsonText({ TableName, Item: { [key]: { S: 'l' }, l: { L: Array.from({ length: 10_000 }, () => ({ NULL: true })) } } }) }),
    () => ({ label: `a condition of 1,000 OR terms`, body: jsonText({ TableName, Limit: 1, FilterExpression: Array.from({ length: 1000 }, () => 'attribute_exists(a)').join(' OR ') }) }),
  ])();
}
