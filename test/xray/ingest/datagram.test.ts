import { describe, expect, test } from 'vitest';
import { parseDatagram } from '../../../src/xray/ingest/datagram.ts';

const LIMIT = 65_600;
const doc = '{"name":"svc","id":"70de5b6f19ff9a0a"}';
const datagram = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('parseDatagram', () => {
  test.each([
    ['the SDK for Node header', '{"format":"json","version":1}'],
    ['the spaced header of other SDKs', '{"format": "json", "version": 1}'],
    ['an upper-case format name, as the daemon allows', '{ "format" : "JSON" , "version" : 1 }'],
  ])('accepts %s', (_name, header) => {
    expect(parseDatagram(datagram(`${header}\n${doc}`), LIMIT)).toEqual({ ok: true, document: doc });
  });

  test('keeps every byte of a document with newlines and multi-byte text', () => {
    const body = '{\n  "name": "caf\u00e9 \u2615",\n  "id": "70de5b6f19ff9a0a"\n}';
    expect(parseDatagram(datagram(`{"format":"json","version":1}\n${body}`), LIMIT)).toEqual({ ok: true, document: body });
  });

  test.each([
    ['no newline at all', doc, 'MissingHeader', 'datagram does not start with a header line'],
    ['binary garbage', '\u0000\u0001\u0002garbage\ufffd', 'MissingHeader', 'datagram does not start with a header line'],
    ['a header that is not JSON', '{format:json}\n{}', 'InvalidHeader', 'header "{format:json}" is not JSON'],
    ['a header that is a JSON array', '[1]\n{}', 'InvalidHeader', 'header "[1]" is not a JSON object'],
    ['another format', '{"format":"protobuf","version":1}\n{}', 'UnsupportedFormat', 'asks for format "protobuf" version 1'],
    ['another version', '{"format":"json","version":2}\n{}', 'UnsupportedFormat', 'asks for format "json" version 2'],
    ['a version as a string', '{"format":"json","version":"1"}\n{}', 'UnsupportedFormat', 'version "1"'],
    ['a header without a document', '{"format":"json","version":1}\n  ', 'EmptyDocument', 'datagram has a header but no document'],
  ])('rejects %s', (_name, text, reason, message) => {
    const result = parseDatagram(datagram(text), LIMIT);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe(reason);
    expect(result.message).toContain(message);
  });

  test('rejects a document that is not valid UTF-8 rather than storing replacement characters', () => {
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80]]) {
      const bytes = Buffer.concat([datagram('{"format":"json","version":1}\n{"name":"caf'), Buffer.from(bad), datagram('","id":"70de5b6f19ff9a0a"}')]);
      expect(parseDatagram(bytes, LIMIT)).toEqual({ ok: false, reason: 'InvalidEncoding', message: 'document is not valid UTF-8' });
    }
  });

  test('rejects a datagram over the size limit before parsing it', () => {
    const result = parseDatagram(datagram(`{"format":"json","version":1}\n${'x'.repeat(200)}`), 100);
    expect(result).toEqual({ ok: false, reason: 'DatagramTooLarge', message: 'datagram of 230 bytes is over the 100-byte limit' });
  });

  test('a newline far into the datagram is not taken for the end of a header', () => {
    const result = parseDatagram(datagram(`${'x'.repeat(300)}\n{}`), LIMIT);
    expect(result).toMatchObject({ ok: false, reason: 'MissingHeader' });
  });
});
