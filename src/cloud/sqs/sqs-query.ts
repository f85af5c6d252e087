/**
 * SQS's Query protocol (the form-encoded `Action=SendMessage&QueueUrl=...&MessageBody=...` that API
 * Gateway's SQS integrations and older SDKs send), read into the JSON protocol's input so one set of
 * operations serves both; answered as XML, or as JSON when the caller sends `Accept: application/json`
 * (`{"SendMessageResponse":{"SendMessageResult":{..},"ResponseMetadata":{"RequestId":..}}}`, what
 * API Gateway's mapping templates read).
 */
import type { QueryParams } from '../protocol/query-protocol.ts';
import { xml } from '../protocol/query-protocol.ts';
import type { EndpointReply } from '../protocol/service.ts';

export const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

const INTEGERS = new Set(['DelaySeconds', 'MaxNumberOfMessages', 'WaitTimeSeconds', 'VisibilityTimeout', 'MaxResults']);
/** `Name.N` lists and the JSON member they become. */
const LISTS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
};
/** `Name.N.Name` / `Name.N.Value.*` maps of message attributes. */
const VALUE_MAPS: Readonly<Record<string, string>> = { MessageAttribute: 'MessageAttributes', MessageSystemAttribute: 'MessageSystemAttributes' };

/**
 * The JSON input of a Query request: scalars as they are (integers as numbers), `Attribute.N.Name/Value`
 * as `Attributes`, message attributes as maps of `{DataType, StringValue, BinaryValue}`. A queue URL
 * that is not a parameter is the request's path (`POST /<account>/<queue>`), as SQS takes it.
 */
export function queryToJsonInput(params: Pick<QueryParams, 'get'>, names: Iterable<string>, path: string, origin: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const lists: Record<string, Map<number, string>> = {};
  const maps: Record<string, Map<number, Record<string, string>>> = {};
  // A batch's `<Action>RequestEntry.N.<member>`: each entry is read as a request of its own.
  const entries = new Map<number, string[]>();
  for (const name of names) {
    const entry = /^\w+BatchRequestEntry\.([1-9]\d{0,8})\.(.+)$/.exec(name);
    if (entry !== null) {
      const index = Number(entry[1]);
      entries.set(index, [...(entries.get(index) ?? []), name]);
      continue;
    }
    const value = params.get(name) ?? '';
    if (name === 'Action' || name === 'Version') continue;
    const parts = name.split('.');
    const [head = '', index, ...rest] = parts;
    if (parts.length === 1) {
      input[name] = INTEGERS.has(name) && /^-?\d+$/.test(value) ? Number(value) : value;
    } else if (Object.hasOwn(LISTS, head) && rest.length === 0) {
      ((lists[head] ??= new Map()) as Map<number, string>).set(Number(index), value);
    } else if ((Object.hasOwn(VALUE_MAPS, head) || head === 'Attribute') && index !== undefined) {
      const entry = (maps[head] ??= new Map()).get(Number(index)) ?? {};
      entry[rest.join('.')] = value;
      maps[head].set(Number(index), entry);
    } else {
      input[name] = value;
    }
  }
  for (const [head, values] of Object.entries(lists)) input[LISTS[head] ?? head] = [...values.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);
  for (const [head, entries] of Object.entries(maps)) {
    const map: Record<string, unknown> = {};
    for (const entry of entries.values()) {
      const key = entry['Name'];
      if (key === undefined) continue;
      if (head === 'Attribute') {
        map[key] = entry['Value'] ?? '';
      } else {
        map[key] = {
          DataType: entry['Value.DataType'],
          ...(entry['Value.StringValue'] !== undefined ? { StringValue: entry['Value.StringValue'] } : {}),
          ...(entry['Value.BinaryValue'] !== undefined ? { BinaryValue: entry['Value.BinaryValue'] } : {}),
        };
      }
    }
    input[head === 'Attribute' ? 'Attributes' : (VALUE_MAPS[head] ?? head)] = map;
  }
  if (entries.size > 0) {
    input['Entries'] = [...entries.entries()].sort(([a], [b]) => a - b).map(([, entryNames]) => {
      const prefix = entryNames[0]?.slice(0, entryNames[0].indexOf('.', entryNames[0].indexOf('.') + 1) + 1) ?? '';
      const scoped = { get: (name: string): string | undefined => params.get(`${prefix}${name}`) };
      return queryToJsonInput(scoped, entryNames.map((name) => name.slice(prefix.length)), '/', origin);
    });
  }
  if (input['QueueUrl'] === undefined && /^\/[^/]+\/[^/]+\/?$/.test(path)) input['QueueUrl'] = `${origin}${path}`;
  return input;
}

export function queryResultReply(action: string, requestId: string, result: unknown, json: boolean): EndpointReply {
  const output = typeof result === 'object' && result !== null ? (result as Record<string, unknown>) : {};
  if (json) {
    const body = JSON.stringify({ [`${action}Response`]: { [`${action}Result`]: output, ResponseMetadata: { RequestId: requestId } } });
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  }
  const children = [xml(`${action}Result`, xmlMembers(output, action)), xml('ResponseMetadata', [xml('RequestId', requestId)])];
  return { status: 200, headers: { 'content-type': 'text/xml' }, body: `<?xml version="1.0"?>\n<${action}Response xmlns="${SQS_XMLNS}">${children.join('')}</${action}Response>` };
}

/** The Query protocol's flattened XML: a list `Messages` is repeated `<Message>`, a map `Attributes` repeated `<Attribute><Name/><Value/>`. */
function xmlMembers(output: Readonly<Record<string, unknown>>, action = ''): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(output)) {
    // A batch's results: `<SendMessageBatchResultEntry>` and `<BatchResultErrorEntry>` members.
    const singular = name === 'Successful' ? `${action}ResultEntry` : name === 'Failed' ? 'BatchResultErrorEntry' : name.endsWith('s') ? name.slice(0, -1) : name;
    if (Array.isArray(value)) {
      for (const item of value) out.push(typeof item === 'object' && item !== null ? xml(singular, xmlMembers(item as Record<string, unknown>)) : xml(singular, String(item)));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, entry] of Object.entries(value)) {
        const inner = typeof entry === 'object' && entry !== null ? xmlMembers(entry as Record<string, unknown>) : [xmlEscapeText(entry)];
        out.push(xml(singular, [xml('Name', key), `<Value>${inner.join('')}</Value>`]));
      }
    } else if (value !== undefined && value !== null) {
      out.push(xml(name, String(value)));
    }
  }
  return out;
}

function xmlEscapeText(value: unknown): string {
  return xml('x', String(value)).slice(3, -4);
}
