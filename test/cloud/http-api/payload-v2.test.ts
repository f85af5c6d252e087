// The payload format 2.0 event and response ("Working with AWS Lambda proxy integrations for HTTP
// APIs": format of the payload, and "Lambda function response for format 2.0").
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
import { describe, expect, it } from 'vitest';
import { isTextContentType, v2Event, v2Response } from '../../../src/cloud/http-api/payload-v2.ts';
import type { V2Request } from '../../../src/cloud/http-api/payload-v2.ts';

const base: V2Request = {
  method: 'POST', rawPath: '/my/path', rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
  rawHeaders: ['Header1', 'value1', 'Header2', 'value1', 'header2', 'value2', 'Cookie', 'cookie1; cookie2', 'User-Agent', 'agent'],
  body: Buffer.from('Hello from Lambda'), sourceIp: '192.0.2.1', protocol: 'HTTP/1.1', requestId: 'id', requestTimeEpochMs: 1583348638390,
  accountId: '123456789012', apiId: 'api-id', domainName: 'id.execute-api.us-east-1.amazonaws.com', routeKey: '$default', stage: '$default',
  pathParameters: { parameter1: 'value1' }, stageVariables: { stageVariable1: 'value1' }, addedHeaders: {},
};

describe('v2Event', () => {
  it('builds the documented example: lower-case headers joined by commas, cookies apart, joined query values', () => {
    expect(v2Event({ ...base, rawHeaders: [...base.rawHeaders, 'Content-Type', 'text/plain'] })).toEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2&parameter2=value',
      cookies: ['cookie1', 'cookie2'],
      headers: { header1: 'value1', header2: 'value1,value2', 'user-agent': 'agent', 'content-type': 'text/plain' },
      queryStringParameters: { parameter1: 'value1,value2', parameter2: 'value' },
      requestContext: {
        accountId: '123456789012', apiId: 'api-id', domainName: 'id.execute-api.us-east-1.amazonaws.com', domainPrefix: 'id',
        http: { method: 'POST', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'agent' },
        requestId: 'id', routeKey: '$default', stage: '$default', time: '04/Mar/2020:19:03:58 +0000', timeEpoch: 1583348638390,
      },
      body: 'Hello from Lambda',
      pathParameters: { parameter1: 'value1' },
      isBase64Encoded: false,
      stageVariables: { stageVariable1: 'value1' },
    });
  });

  it('leaves out what the request does not have, and base64-encodes bodies that are not text', () => {
    const event = v2Event({ ...base, rawQueryString: '', rawHeaders: [], body: Buffer.from([0xff, 0x00]), pathParameters: {}, stageVariables: {} });
    expect(event).not.toHaveProperty('cookies');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('stageVariables');
    expect(event).toMatchObject({ body: '/wA=', isBase64Encoded: true });
    expect(v2Event({ ...base, body: Buffer.alloc(0) })).not.toHaveProperty('body');
    expect(isTextContentType('application/json; charset=utf-8')).toBe(true);
    expect(isTextContentType('application/vnd.api+json')).toBe(true);
    expect(isTextContentType('application/x-www-form-urlencoded')).toBe(false);
    expect(isTextContentType(undefined)).toBe(false);
  });
});

describe('v2Response', () => {
  it('reads statusCode, headers, cookies and a base64 body', () => {
    const made = v2Response({ statusCode: 201, headers: { 'X-A': 'b', n: 1 }, cookies: ['a=1'], body: 'aGk=', isBase64Encoded: true });
    expect(made).toEqual({ answer: { status: 201, headers: { 'x-a': 'b', n: '1' }, cookies: ['a=1'], body: Buffer.from('hi') } });
  });

  it('infers a 200 application/json response when the result has no statusCode', () => {
    expect(v2Response({ message: 'hi' })).toEqual({ answer: { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from('{"message":"hi"}') } });
    expect(v2Response('Hello (world)')).toMatchObject({ answer: { status: 200, body: Buffer.from('Hello (world)') } });
    expect(v2Response([1, 2])).toMatchObject({ answer: { status: 200, body: Buffer.from('[1,2]') } });
  });

  it('finds a result with a statusCode that is no status, or a body that is no string, malformed', () => {
    expect(v2Response({ statusCode: 'x' })).toHaveProperty('malformed');
    expect(v2Response({ statusCode: 200, body: { a: 1 } })).toHaveProperty('malformed');
    expect(v2Response({ statusCode: 200, cookies: 'a=1' })).toHaveProperty('malformed');
  });
});
