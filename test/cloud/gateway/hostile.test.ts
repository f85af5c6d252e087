/**
 * The gateway under seeded hostile requests: bodies nested deeper than a recursive walk survives,
 * extreme numbers, huge values and malformed JSON, read by request templates that walk the body
 * ($input.json, $input.path, $util.escapeJavaScript). Each is answered with a 4xx or the
 * integration's answer, never a 5xx, a hang or the end of the process, and the gateway keeps serving.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiGateway } from '../../../src/cloud/gateway/index.ts';
import type { Logger } from '../../../src/cloud/core/runtime.ts';
import { seededRandom } from '../../../src/cloud/tracing/ids.ts';
import { UdpSegmentSink } from '../../../src/cloud/tracing/udp-sink.ts';
import { extremeValue, Fuzz, hostileValue, jsonText, send } from '../../support/fuzz.ts';
import { FakeAwsEndpoint, patternLikeModel, snsIntegration, UdpCapture } from './support.ts';

const TEMPLATE = "Action=Publish&TopicArn=x&Message=$util.urlEncode($input.json('$'))&Subject=$util.escapeJavaScript($input.path('$.a'))&Version=2010-03-31";
const fake = new FakeAwsEndpoint();
const capture = new UdpCapture();
const logged: string[] = [];
const logger: Logger = { info: () => {}, warn: (m) => logged.push(m), error: (m) => logged.push(m) };
let sink: UdpSegmentSink;
let gateway: ApiGateway;

beforeAll(async () => {
  await fake.start();
  await capture.start();
  sink = new UdpSegmentSink({ daemonAddress: capture.address });
  await sink.start();
  const model = patternLikeModel({ integration: snsIntegration({ RequestTemplates: { 'application/json': TEMPLATE } }) });
  gateway = new ApiGateway({ model, awsEndpointUrl: fake.url, port: 0, segmentSink: sink, random: seededRandom(77), logger });
  await gateway.start();
});

afterAll(async () => {
  await gateway?.stop();
  await sink?.stop();
  await capture.stop();
  await fake.stop();
});

describe('the gateway under hostile requests', () => {
  test('bodies that are deep, huge, extreme or not JSON are each answered; the gateway keeps serving', async () => {
    const fuzz = new Fuzz(61);
    const bodies: string[] = [
      `{"a":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
      `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
      '{"a":1e308,"b":-1e308,"c":5e-324}',
      '{"a":1e400}',
      `{"a":"${'x'.repeat(1_000_000)}"}`,
      '{"a":',
    ];
    for (let i = 0; i < 30; i++) bodies.push(jsonText({ a: fuzz.chance(0.5) ? extremeValue(fuzz) : hostileValue(fuzz), b: { c: extremeValue(fuzz) } }));
    for (const [i, body] of bodies.entries()) {
      const label = `seed 61 case ${i}: ${body.slice(0, 40)} (${body.length} chars)`;
      const response = await send(gateway.url, { method: 'GET', path: '/prod/foo', headers: { 'content-type': 'application/json' }, body });
      // Bad input is the client's fault: a 4xx as API Gateway answers it, or the integration's answer.
      expect(response.status, `${label}: ${response.body.toString('utf8').slice(0, 200)}`).toBeLessThan(500);
      expect(response.body.length, label).toBeLessThan(2000);
    }
    const ok = await send(gateway.url, { method: 'GET', path: '/prod/foo', headers: { 'content-type': 'application/json' }, body: '{"a":"fine"}' });
    expect(ok.status).toBe(200);
    expect(logged.filter((line) => line.includes('configuration error') || line.startsWith('api gateway: GET /prod/foo failed'))).toEqual([]);
  });
});
