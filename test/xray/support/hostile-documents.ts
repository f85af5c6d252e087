/**
 * Every member of a rich segment document given, in turn, each value of the two classes that once
 * stopped or bricked the service: nesting thousands of levels deep and extreme numbers. A sweep
 * rather than a random pick, so no member is left out; the fuzz suites of the daemon and the API
 * send these and check each is refused with a reason naming its member, or stored and returned.
 */
import { jsonText, pathsOf, Raw, showPath, withMember, type FuzzValue, type Path } from '../../support/fuzz.ts';
import { newId, newTraceId, segmentCore } from './documents.ts';

export interface HostileDocument {
  readonly label: string;
  readonly path: Path;
  readonly value: FuzzValue;
  readonly text: string;
  readonly traceId: string;
  /** Undefined when the hostile value replaced the id itself. */
  readonly id: string | undefined;
}

/**
 * Deep values that overflow a recursive walk (String() of 5,000 nested arrays did), yet keep a
 * document far under 64 KB: `arrays` levels of `[`, and `objects` levels of `{"a":`.
 */
export function deepValues(arrays = 8000, objects = 3000): FuzzValue[] {
  return [
    new Raw(`${'['.repeat(arrays)}${']'.repeat(arrays)}`),
    new Raw(`${'{"a":'.repeat(objects)}1${'}'.repeat(objects)}`),
  ];
}

/** Finite and non-finite extremes, as JSON text (1e400 parses to Infinity). */
export const EXTREME_NUMBERS: readonly FuzzValue[] = [
  new Raw('1e400'), new Raw('-1e400'), new Raw('1.7976931348623157e308'), new Raw('-1.7976931348623157e308'),
  new Raw('5e-324'), 1e300, -1e300, 2 ** 53 + 2, -1, 0, new Raw('123456789012345678901234567890'),
];

/** A segment with an HTTP call, an AWS call with a cause, annotations, metadata and a link. */
function richSegment(traceId: string, start: number): Record<string, FuzzValue> {
  return {
    ...segmentCore(traceId, start),
    origin: 'AWS::EC2::Instance',
    user: 'alice',
    http: { request: { method: 'GET', url: 'https://api.example.com/orders/7', client_ip: '203.0.113.5' }, response: { status: 200, content_length: 512 } },
    aws: { ec2: { instance_id: 'i-0abc', availability_zone: 'eu-west-1a' }, account_id: '123456789012' },
    annotations: { customer: 'alice', total: 42.5, vip: true },
    metadata: { debug: { ids: [1, 2] } },
    links: [{ trace_id: newTraceId(start), id: newId(), attributes: { kind: 'producer' } }],
    subsegments: [
      {
        name: 'DynamoDB', id: newId(), start_time: start + 0.01, end_time: start + 0.05, namespace: 'aws', fault: true,
        aws: { operation: 'GetItem', table_name: 'Orders', retries: 1 },
        http: { response: { status: 500, content_length: 10 } },
        cause: { working_directory: '/app', exceptions: [{ id: newId(), message: 'boom', type: 'Error', stack: [{ path: 'a.js', line: 3 }] }] },
        annotations: { attempt: 2 },
      },
    ],
  };
}

/** One document per member of the rich segment and hostile value; `now` in epoch seconds. */
export function hostileDocuments(now: number, values: readonly FuzzValue[] = [...deepValues(), ...EXTREME_NUMBERS]): HostileDocument[] {
  const shape = richSegment(newTraceId(now), now);
  const documents: HostileDocument[] = [];
  for (const path of pathsOf(shape)) {
    for (const value of values) {
      // Fresh ids per document, so each accepted one is a trace of its own.
      const traceId = newTraceId(now);
      const fresh = richSegment(traceId, now);
      const doc = withMember(fresh, path, value) as Record<string, FuzzValue>;
      const id = typeof doc['id'] === 'string' ? doc['id'] : undefined;
      const text = jsonText(doc);
      documents.push({ label: `${showPath(path)} = ${jsonText(value).slice(0, 24)}`, path, value, text, traceId: typeof doc['trace_id'] === 'string' ? doc['trace_id'] : traceId, id });
    }
  }
  return documents;
}
