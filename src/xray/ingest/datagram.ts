/**
 * The daemon wire format: one UDP datagram per document, a JSON header line such as
 * `{"format":"json","version":1}`, a newline, then the segment document. The header is parsed as
 * JSON because SDKs differ in its spacing; like AWS's daemon we take the format name in any case.
 */
import { preview } from '../../common/preview.ts';
import { isUtf8 } from 'node:buffer';
import { isRecord } from '../model/json.ts';

export type WireResult =
  | { readonly ok: true; readonly document: string }
  | { readonly ok: false; readonly reason: WireRejectReason; readonly message: string };

export type WireRejectReason = 'DatagramTooLarge' | 'MissingHeader' | 'InvalidHeader' | 'UnsupportedFormat' | 'EmptyDocument' | 'InvalidEncoding';

/** Newline, the header delimiter. */
const NEWLINE = 0x0a;
/** No real header is this long; stops us parsing a kilobyte of garbage as one. */
const MAX_HEADER_BYTES = 256;
/** What the SDK for Node sends: recognised without parsing, since it comes with every datagram. */
const USUAL_HEADER = Buffer.from('{"format":"json","version":1}');

export function parseDatagram(datagram: Buffer, maxBytes: number): WireResult {
  if (datagram.length > maxBytes) {
    return { ok: false, reason: 'DatagramTooLarge', message: `datagram of ${datagram.length} bytes is over the ${maxBytes}-byte limit` };
  }
  const newline = datagram.indexOf(NEWLINE);
  if (newline < 0 || newline > MAX_HEADER_BYTES) {
    return { ok: false, reason: 'MissingHeader', message: 'datagram does not start with a header line ({"format":"json","version":1} and a newline)' };
  }
  if (newline === USUAL_HEADER.length && datagram.subarray(0, newline).equals(USUAL_HEADER)) return document(datagram, newline);
  const headerText = datagram.toString('utf8', 0, newline);
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    return { ok: false, reason: 'InvalidHeader', message: `header ${quote(headerText)} is not JSON` };
  }
  if (!isRecord(header)) {
    return { ok: false, reason: 'InvalidHeader', message: `header ${quote(headerText)} is not a JSON object` };
  }
  const { format, version } = header as { format?: unknown; version?: unknown };
  if (typeof format !== 'string' || format.toLowerCase() !== 'json' || version !== 1) {
    return {
      ok: false,
      reason: 'UnsupportedFormat',
      message: `header ${quote(headerText)} asks for format ${preview(format, 40)} version ${preview(version, 40)}; only format "json" version 1 is supported`,
    };
  }
  return document(datagram, newline);
}

function document(datagram: Buffer, newline: number): WireResult {
  // JSON is UTF-8; read leniently, other bytes would be stored as U+FFFD without a word.
  if (!isUtf8(datagram.subarray(newline + 1))) return { ok: false, reason: 'InvalidEncoding', message: 'document is not valid UTF-8' };
  const text = datagram.toString('utf8', newline + 1);
  if (text.trim() === '') return { ok: false, reason: 'EmptyDocument', message: 'datagram has a header but no document' };
  return { ok: true, document: text };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}
