export { UdpSegmentSink, parseDaemonAddress, DAEMON_HEADER, MAX_DATAGRAM_BYTES } from './udp-sink.ts';
export type { UdpSegmentSinkOptions } from './udp-sink.ts';
export { parseTraceHeader, tryParseTraceHeader, formatTraceHeader, TraceHeaderError } from './trace-header.ts';
export { IdGenerator, seededRandom } from './ids.ts';
export type { Clock, Random } from './ids.ts';
