/**
 * Realistic Lambda subsegments, as the pattern's functions stream them in Lambda (one datagram each,
 * parented to the function's facade segment): aws fields of a DynamoDB call, annotations, the SNS
 * event as metadata, one nested subsegment. About 1.2 KB each.
 *
 * Built from a template so that the sender spends its time sending, not serialising: the JSON is
 * written once with tokens, and each document is the template's pieces joined with its values.
 */
export const DAEMON_HEADER = '{"format":"json","version":1}\n';

/** Subsegments a trace gets before the next trace starts. */
export const SUBSEGMENTS_PER_TRACE = 8;

// `"##name##"` stands for a whole JSON value (a number or boolean); `@@name@@` for text inside a string.
const TEMPLATE = JSON.stringify({
  type: 'subsegment',
  trace_id: '@@traceId@@',
  parent_id: '@@parentId@@',
  id: '@@id@@',
  name: 'DynamoDB',
  namespace: 'aws',
  start_time: '##start##',
  end_time: '##end##',
  http: { response: { status: 200, content_length: 112 } },
  aws: {
    operation: 'UpdateItem',
    region: 'eu-west-1',
    request_id: 'J1V6QIHM0QKA6RJ37KQ5G7TR@@n@@',
    retries: 0,
    table_name: 'Hits',
    resource_names: ['Hits'],
  },
  annotations: { path: '/prod/item-@@item@@', cold_start: '##coldStart##', hits: '##hits##', flow: 'dynamo' },
  metadata: {
    'dynamo-flow': {
      event: {
        Records: [
          {
            EventSource: 'aws:sns',
            EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:fan-out:2f0e2a3c-6c1e-4f57-9d8f-0b7a4d1c9e21',
            Sns: {
              Type: 'Notification',
              MessageId: '95df01b4-ee98-5cb9-9903-@@n@@',
              TopicArn: 'arn:aws:sns:eu-west-1:123456789012:fan-out',
              Message: '/prod/item-@@item@@',
              Timestamp: '@@timestamp@@',
              SignatureVersion: '1',
              MessageAttributes: { AWSTraceHeader: { Type: 'String', Value: 'Root=@@traceId@@;Parent=@@parentId@@;Sampled=1' } },
            },
          },
        ],
      },
    },
  },
  subsegments: [{ id: '@@nestedId@@', name: 'marshall', start_time: '##nestedStart##', end_time: '##nestedEnd##' }],
});

type Field = 'traceId' | 'parentId' | 'id' | 'n' | 'item' | 'timestamp' | 'nestedId' | 'start' | 'end' | 'coldStart' | 'hits' | 'nestedStart' | 'nestedEnd';
const TOKEN = /"##(\w+)##"|@@(\w+)@@/g;
const pieces: string[] = [];
const fields: Field[] = [];
{
  let at = 0;
  for (const match of TEMPLATE.matchAll(TOKEN)) {
    pieces.push(TEMPLATE.slice(at, match.index));
    fields.push((match[1] ?? match[2]) as Field);
    at = match.index + match[0].length;
  }
  pieces.push(TEMPLATE.slice(at));
}

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0').slice(-width);

export function traceIdOf(run: number, n: number, epochSeconds: number): string {
  return `1-${hex(Math.floor(epochSeconds), 8)}-${hex(run, 8)}${hex(Math.floor(n / SUBSEGMENTS_PER_TRACE), 16)}`;
}

/** `run` keeps ids of separate runs apart; `n` numbers the document within the run. */
export function lambdaSubsegment(run: number, n: number, epochSeconds: number): string {
  const trace = Math.floor(n / SUBSEGMENTS_PER_TRACE);
  const start = epochSeconds + (n % 1000) / 1000;
  const values: Record<Field, string> = {
    traceId: traceIdOf(run, n, epochSeconds),
    parentId: `${hex(run & 0xffff, 4)}${hex(trace, 12)}`,
    id: `${hex(n, 12)}${hex(run & 0xffff, 4)}`,
    nestedId: `${hex(n, 12)}ffff`,
    n: hex(n, 12),
    item: String(n % 97),
    timestamp: new Date(start * 1000).toISOString(),
    start: String(start),
    end: String(start + 0.0123),
    nestedStart: String(start + 0.001),
    nestedEnd: String(start + 0.002),
    coldStart: n % 50 === 0 ? 'true' : 'false',
    hits: String(n % 1000),
  };
  let text = pieces[0] as string;
  for (let i = 0; i < fields.length; i++) text += values[fields[i] as Field] + (pieces[i + 1] as string);
  return text;
}
