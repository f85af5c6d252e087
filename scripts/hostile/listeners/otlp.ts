/**
 * The OTLP/HTTP receiver: OTLP JSON made hostile as every JSON listener's bodies are, and protobuf
 * that is random, truncated, flipped, nested past any limit, full of extreme times and doubles,
 * 10K attributes or spans, badly gzipped, or a gzip bomb.
 */
import { gzipSync } from 'node:zlib';
import { jsonText, type Fuzz, type FuzzValue } from '../../../test/support/fuzz.ts';
import { otlpJsonRequest, otlpJsonSpan, otlpProtobufRequest } from '../../../test/support/otlp-requests.ts';
import { nestedAttributeRequest } from '../../../test/xray/otlp/spans.ts';
import { WHOLE, type HostileCase, type InputClass } from '../cases.ts';
import { draftJsonCase, pickShare } from '../draft.ts';
import { httpRequestBytes } from '../http-bytes.ts';
import { check, exchange, shown, streamCase, type Listener } from '../listener.ts';
import type { Address } from '../send.ts';

const PROTOBUF = 'application/x-protobuf';

const PROTOBUF_SHARES: ReadonlyArray<readonly [string, number]> = [
  ['random', 15], ['truncated', 15], ['flipped', 15], ['deep', 10], ['extreme', 20], ['huge-count', 5], ['bad-gzip', 10], ['gzip-bomb', 2], ['valid', 8],
];

const nested = new Map<number, Buffer>();
/** Built once per depth: writing 20K levels takes a while. */
function nestedRequest(levels: number): Buffer {
  const cached = nested.get(levels) ?? nestedAttributeRequest(levels);
  nested.set(levels, cached);
  return cached;
}

let bomb: Buffer | undefined;

export function otlpListener(options: { url: string; nowSeconds: number; timeoutMs: number }): Listener {
  const url = new URL(options.url);
  const address: Address = { host: url.hostname, port: Number(url.port) };
  const host = url.host;
  const path = url.pathname;
  const now = options.nowSeconds;
  return {
    name: 'otlp',
    where: options.url,
    address,
    caseAt(fuzz: Fuzz, index: number): HostileCase {
      const span = (number: number): Record<string, FuzzValue> => otlpJsonSpan(now, index * 16 + number).span;
      if (fuzz.chance(0.6)) {
        const draft = draftJsonCase(fuzz, {
          host, target: path, contentType: 'application/json', valid: otlpJsonRequest([span(0)]),
          hugeCount: (f) => f.chance(0.5)
            ? { label: '10,000 attributes', body: jsonText(otlpJsonRequest([{ ...span(0), attributes: Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: { intValue: String(i) } })) }])) }
            : { label: '10,000 spans', body: jsonText(otlpJsonRequest(Array.from({ length: 10_000 }, (_, i) => ({ traceId: span(0).traceId ?? '', spanId: (i + 1).toString(16).padStart(16, '0'), name: 'n', startTimeUnixNano: '1', endTimeUnixNano: '2' })))) },
        });
        return streamCase({ ...draft, label: `JSON ${draft.label}` }, 'tcp');
      }
      const kind = pickShare(fuzz, PROTOBUF_SHARES);
      const make = (inputClass: InputClass, label: string, body: Buffer, headers: ReadonlyArray<readonly [string, string]> = []): HostileCase => ({
        transport: 'tcp', inputClass, label: `protobuf ${label}`, delivery: WHOLE,
        bytes: httpRequestBytes({ method: 'POST', target: path, host, headers: [['Content-Type', PROTOBUF], ...headers], body }),
      });
      const valid = (): Buffer => otlpProtobufRequest([span(0), span(1)]);
      switch (kind) {
        case 'random':
          return make('random-bytes', 'random bytes', fuzz.bytes(1 + fuzz.int(2000)));
        case 'truncated': {
          const bytes = valid();
          return make('wrong-value', 'truncated', bytes.subarray(0, 1 + fuzz.int(bytes.length - 1)));
        }
        case 'flipped': {
          const bytes = Buffer.from(valid());
          for (let flips = 1 + fuzz.int(3); flips > 0; flips--) bytes[fuzz.int(bytes.length)] = fuzz.int(256);
          return make('wrong-value', 'flipped bytes', bytes);
        }
        case 'deep': {
          const levels = fuzz.pick([1000, 5000, 20_000]);
          return make('deep-nesting', `attribute value nested ${levels} levels`, nestedRequest(levels));
        }
        case 'extreme': {
          const time = fuzz.pick(['18446744073709551615', '9223372036854775807', '0', '1']);
          const double = fuzz.pick([Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, NaN, 5e-324]);
          const base = span(0);
          const extreme: Record<string, FuzzValue> = { ...base, startTimeUnixNano: time, endTimeUnixNano: fuzz.pick([time, '0', '1']), attributes: [{ key: 'd', value: { doubleValue: double } }, { key: 'i', value: { intValue: '-9223372036854775808' } }] as FuzzValue[] };
          return make('extreme-number', `start ${time}, a double of ${double}`, otlpProtobufRequest([extreme]));
        }
        case 'huge-count':
          return make('huge-count', '10,000 attributes', otlpProtobufRequest([{ ...span(0), attributes: Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: { intValue: String(i) } })) }]));
        case 'bad-gzip': {
          const zipped = gzipSync(valid());
          return make('wrong-value', 'bad gzip', fuzz.chance(0.5) ? fuzz.bytes(1 + fuzz.int(200)) : zipped.subarray(0, 1 + fuzz.int(zipped.length - 2)), [['Content-Encoding', 'gzip']]);
        }
        case 'gzip-bomb':
          bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024));
          return make('huge-length', `gzip bomb: ${bomb.length} bytes, 64 MB unzipped`, bomb, [['Content-Encoding', 'gzip']]);
        default:
          return make('wrong-value', 'valid request', valid());
      }
    },
    liveness: () => check('OTLP', async () => {
      const exported = await exchange(options.url, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: jsonText(otlpJsonRequest([otlpJsonSpan(Math.floor(Date.now() / 1000), 1).span])), timeoutMs: options.timeoutMs,
      });
      return { ok: exported.status === 200, detail: `export of one span: ${shown(exported)}` };
    }),
  };
}
