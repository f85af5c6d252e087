/**
 * The daemon's UDP segment port. A datagram has no answer: the harness checks the daemon with
 * probes on its TCP port during the run and, after it, that a valid datagram still reaches the
 * store (found through the X-Ray API).
 */
import { badDatagram, UDP_MAX } from '../../../test/support/datagrams.ts';
import { jsonText, Raw, type Fuzz, type FuzzValue } from '../../../test/support/fuzz.ts';
import { withHostileMember } from '../../../test/support/hostile-values.ts';
import { datagram } from '../../../test/xray/support/documents.ts';
import type { HostileCase, InputClass } from '../cases.ts';
import { pickShare } from '../draft.ts';
import { traceIdAt, validSegment } from '../ids.ts';
import { check, exchange, type Listener } from '../listener.ts';
import type { Address } from '../send.ts';

const SHARES: ReadonlyArray<readonly [InputClass, number]> = [
  ['malformed-datagram', 30], ['deep-nesting', 20], ['extreme-number', 20], ['huge-count', 5], ['oversized', 5], ['random-bytes', 10], ['bad-utf8', 5], ['wrong-value', 5],
];
/** Deep enough to break a recursive reader, small enough for one datagram. */
const ARRAY_DEPTHS = [1000, 3000, 10_000, 25_000];
const OBJECT_DEPTHS = [1000, 3000, 10_000];

export function daemonUdpListener(options: { address: Address; xrayApiUrl: string; nowSeconds: number; timeoutMs: number; settleMs?: number }): Listener {
  const { address } = options;
  const now = options.nowSeconds;
  return {
    name: 'daemon-udp',
    where: `udp://${address.host}:${address.port}`,
    address,
    caseAt(fuzz: Fuzz): HostileCase {
      const inputClass = pickShare(fuzz, SHARES);
      const segment = (): Record<string, unknown> => validSegment(fuzz, traceIdAt(fuzz, now - 30), now - 30);
      const make = (label: string, bytes: Buffer): HostileCase => ({ transport: 'udp', inputClass, label, bytes: bytes.subarray(0, UDP_MAX) });
      const withMember = (kind: 'deep-nesting' | 'extreme-number' | 'wrong-value'): HostileCase => {
        let valid = segment() as FuzzValue;
        if (kind === 'deep-nesting') {
          // A member set to a nesting small enough for UDP.
          const depth = fuzz.chance(0.6) ? fuzz.pick(ARRAY_DEPTHS) : -fuzz.pick(OBJECT_DEPTHS);
          const deep = depth > 0 ? new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`) : new Raw(`${'{"a":'.repeat(-depth)}1${'}'.repeat(-depth)}`);
          const field = fuzz.pick(['metadata', 'annotations', 'http', 'aws', 'name', 'start_time', 'end_time', 'subsegments', 'cause', 'error', 'sql', 'service', 'user']);
          valid = { ...(valid as Record<string, FuzzValue>), [field]: deep };
          return make(`${field} nested ${Math.abs(depth)} levels (${depth > 0 ? 'arrays' : 'objects'})`, datagram(jsonText(valid)));
        }
        const { value, label } = withHostileMember(fuzz, valid, kind);
        return make(label, datagram(jsonText(value)));
      };
      switch (inputClass) {
        case 'deep-nesting':
        case 'extreme-number':
        case 'wrong-value':
          return withMember(inputClass);
        case 'huge-count': {
          const document = segment();
          return fuzz.chance(0.5)
            ? make('3,000 annotations', datagram({ ...document, annotations: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`k${i}`, i])) }))
            : make('400 subsegments', datagram({ ...document, subsegments: Array.from({ length: 400 }, (_, i) => ({ name: 's', id: i.toString(16).padStart(16, '0'), start_time: now - 30, end_time: now - 29 })) }));
        }
        case 'oversized':
          return make('a document of 60,000 bytes', datagram({ ...segment(), metadata: { blob: 'x'.repeat(UDP_MAX) } }));
        case 'random-bytes':
          return make('random bytes', fuzz.bytes(1 + fuzz.int(1400)));
        case 'bad-utf8': {
          const bytes = datagram(segment());
          const at = 40 + fuzz.int(bytes.length - 41);
          return make('invalid UTF-8', Buffer.concat([bytes.subarray(0, at), Buffer.from(fuzz.pick([[0xff, 0xfe], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80]])), bytes.subarray(at)]));
        }
        default: {
          const bad = badDatagram(fuzz, segment, 50_000);
          return make(bad.label, bad.bytes);
        }
      }
    },
    liveness: () => check('daemon UDP', async () => {
      // A valid segment sent now must be found by BatchGetTraces within a few seconds.
      const { createSocket } = await import('node:dgram');
      const nowSeconds = Date.now() / 1000;
      const traceId = `1-${Math.floor(nowSeconds).toString(16)}-${'0123456789abcdef'.repeat(2).slice(0, 16)}${Math.floor(Math.random() * 0xffffffff).toString(16).padStart(8, '0')}`;
      const id = Math.floor(Math.random() * 0xffffffff).toString(16).padStart(16, '0');
      const socket = createSocket('udp4');
      await new Promise<void>((resolve, reject) => socket.send(datagram({ name: 'hostile-liveness', id, trace_id: traceId, start_time: nowSeconds - 1, end_time: nowSeconds }), address.port, address.host, (error) => (error ? reject(error) : resolve())));
      socket.close();
      const deadline = Date.now() + (options.settleMs ?? 10_000);
      let last = '';
      while (Date.now() < deadline) {
        const traces = await exchange(`${options.xrayApiUrl}/Traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ TraceIds: [traceId] }), timeoutMs: options.timeoutMs });
        last = `${traces.status}`;
        if (traces.status === 200 && traces.body.includes(id)) return { ok: true, detail: `a valid datagram (trace ${traceId}) was stored and returned by BatchGetTraces` };
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return { ok: false, detail: `a valid datagram (trace ${traceId}) was not returned by BatchGetTraces within ${options.settleMs ?? 10_000} ms (last answer ${last})` };
    }),
  };
}
