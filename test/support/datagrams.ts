/** Seeded malformed daemon datagrams, for the daemon's fuzz suite and the hostile-input harness. */
import { DAEMON_HEADER, datagram } from '../xray/support/documents.ts';
import { hostileValue, jsonText, type Fuzz, type FuzzValue } from './fuzz.ts';

/** UDP carries at most 65,507 bytes. */
export const UDP_MAX = 60_000;

export interface BadDatagram {
  readonly label: string;
  readonly bytes: Buffer;
  /** When the change can leave a valid document (a name of "NaN"): the document's ids. */
  readonly mayBeValid?: { traceId: string; id: string };
}

/** `segment()` makes a fresh valid segment document; `maxDatagramBytes` is the daemon's limit, for the huge ones. */
export function badDatagram(fuzz: Fuzz, segment: () => Record<string, unknown>, maxDatagramBytes: number): BadDatagram {
  const document = JSON.stringify(segment());
  const kinds: Array<() => BadDatagram> = [
    () => ({ label: 'random bytes', bytes: fuzz.bytes(1 + fuzz.int(400)) }),
    () => ({ label: 'empty', bytes: Buffer.alloc(0) }),
    () => ({ label: 'no header', bytes: Buffer.from(document) }),
    () => ({ label: 'header only', bytes: Buffer.from(DAEMON_HEADER) }),
    () => ({ label: 'header and blanks', bytes: Buffer.from(`${DAEMON_HEADER}  \n\t`) }),
    () => {
      const header = fuzz.pick(['{"format":"json","version":2}', '{"format":"xml","version":1}', '[1]', 'null', '{', '"json"', '{"format":1}', `{"x":"${'y'.repeat(300)}"}`]);
      return { label: `header ${header.slice(0, 30)}`, bytes: Buffer.from(`${header}\n${document}`) };
    },
    () => ({ label: 'huge', bytes: datagram(JSON.stringify({ ...segment(), metadata: { blob: 'x'.repeat(maxDatagramBytes) } })) }),
    () => {
      const text = fuzz.text(1 + fuzz.int(80));
      return { label: `not JSON ${JSON.stringify(text.slice(0, 20))}`, bytes: datagram(text.startsWith('{') ? `${text}}` : `{${text}`) };
    },
    () => {
      const value = hostileValue(fuzz);
      const field = fuzz.pick(['id', 'trace_id', 'start_time', 'end_time', 'name', 'metadata']);
      const valid = segment() as Record<string, FuzzValue>;
      const bytes = datagram(jsonText({ ...valid, [field]: value }));
      // Cut to what UDP carries, it is still over the daemon's limit.
      return { label: `${field} = ${jsonText(value).slice(0, 30)}`, bytes: bytes.subarray(0, UDP_MAX), mayBeValid: { traceId: String(valid.trace_id), id: String(valid.id) } };
    },
    () => {
      const bytes = datagram(document);
      const at = DAEMON_HEADER.length + 1 + fuzz.int(document.length - 2);
      return { label: 'invalid UTF-8', bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xfe]), bytes.subarray(at)]) };
    },
  ];
  return fuzz.pick(kinds)();
}
