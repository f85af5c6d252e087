import { describe, expect, it } from 'vitest';
import { contextObject, formatRequestTime, mappingVariables } from '../../../src/cloud/gateway/mapping-variables.ts';
import type { InputSource, RequestContextSource } from '../../../src/cloud/gateway/mapping-variables.ts';
import { TemplateError, VelocityEngine } from '../../../src/cloud/gateway/vtl.ts';
import { escapeJavaScript, urlDecode, urlEncode } from '../../../src/cloud/gateway/util-functions.ts';

const contextSource: RequestContextSource = {
  accountId: '000000000000',
  apiId: 'abc123',
  stage: 'prod',
  httpMethod: 'GET',
  path: '/prod/hello world',
  resourcePath: '/{proxy+}',
  resourceId: 'res1',
  requestId: 'req-1',
  extendedRequestId: 'ext-1=',
  requestTimeEpoch: Date.UTC(2026, 3, 9, 12, 34, 56),
  sourceIp: '127.0.0.1',
  userAgent: 'curl/8',
  protocol: 'HTTP/1.1',
  domainName: '127.0.0.1:3000',
  traceId: '1-6925a1b0-0123456789abcdef01234567',
};

const input: InputSource = {
  body: JSON.stringify({ name: 'Ann "A"', items: [{ id: 1 }, { id: 2 }], nested: { ok: true } }),
  pathParameters: { proxy: 'hello world' },
  queryParameters: { q: 'x', lang: 'en' },
  headers: { 'Content-Type': 'application/json', 'X-Custom': 'v' },
};

const engine = new VelocityEngine();
const render = (template: string, source: InputSource = input): string =>
  engine.render(template, mappingVariables(source, contextObject(contextSource), { env: 'test' }));

describe('mapping templates', () => {
  // One row per variable or function: the template and what API Gateway renders for it.
  const table: ReadonlyArray<readonly [string, string]> = [
    ['$context.path', '/prod/hello world'],
    ['$context.resourcePath', '/{proxy+}'],
    ['$context.httpMethod', 'GET'],
    ['$context.stage', 'prod'],
    ['$context.apiId', 'abc123'],
    ['$context.accountId', '000000000000'],
    ['$context.requestId', 'req-1'],
    ['$context.identity.sourceIp', '127.0.0.1'],
    ['$context.identity.userAgent', 'curl/8'],
    ['[$context.identity.user]', '[]'],
    ['$context.requestTime', '09/Apr/2026:12:34:56 +0000'],
    ['$context.requestTimeEpoch', String(Date.UTC(2026, 3, 9, 12, 34, 56))],
    ['$context.xrayTraceId', '1-6925a1b0-0123456789abcdef01234567'],
    ['$stageVariables.env', 'test'],
    ['$input.body', input.body],
    ["$input.path('$.name')", 'Ann "A"'],
    ["$input.path('$.items').size()", '2'],
    ["$input.path('$.items[1].id')", '2'],
    ["$input.json('$.nested')", '{"ok":true}'],
    ["$input.json('$.items[0]')", '{"id":1}'],
    ["[$input.path('$.missing')]", '[]'],
    ["$input.params('proxy')", 'hello world'],
    ["$input.params('q')", 'x'],
    ["$input.params('x-custom')", 'v'],
    ["$input.params().querystring.lang", 'en'],
    ["#foreach($name in $input.params().path.keySet())$name#end", 'proxy'],
    ['$util.urlEncode($context.path)', '%2Fprod%2Fhello+world'],
    ["$util.urlEncode('a&b=c~*._-é')", 'a%26b%3Dc%7E*._-%C3%A9'],
    ["$util.urlDecode('a%26b+c')", 'a&b c'],
    ["$util.escapeJavaScript($input.path('$.name'))", 'Ann \\"A\\"'],
    ["$util.escapeJavaScript(\"it's\")", "it\\'s"],
    ["$util.base64Encode('hello')", 'aGVsbG8='],
    ["$util.base64Decode('aGVsbG8=')", 'hello'],
    ["$util.parseJson('{\"a\":{\"b\":3}}').a.b", '3'],
    ["#set($x = $input.path('$.nested'))#if($x.ok)yes#{else}no#end", 'yes'],
    ["#foreach($item in $input.path('$.items'))$item.id#if($foreach.hasNext),#end#end", '1,2'],
    ["$context.path.length()", '17'],
    ["$context.path.replaceAll('[aeiou]', '_')", '/pr_d/h_ll_ w_rld'],
    ["#if($context.httpMethod.equalsIgnoreCase('get'))get#end", 'get'],
  ];

  it.each(table)('%s renders %s', (template, expected) => {
    expect(render(template)).toBe(expected);
  });

  it("renders the pattern's request template to the Publish form", () => {
    const template = "Action=Publish&TopicArn=$util.urlEncode('arn:aws:sns:us-east-1:000000000000:fan-out')&Message=$util.urlEncode($context.path)&Version=2010-03-31";
    expect(render(template)).toBe('Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Afan-out&Message=%2Fprod%2Fhello+world&Version=2010-03-31');
  });

  it('reads an empty body as an empty object and refuses a body that is not JSON', () => {
    const empty = { ...input, body: '' };
    expect(render("$input.json('$')", empty)).toBe('{}');
    expect(render('[$input.body]', empty)).toBe('[]');
    const text = { ...input, body: 'plain words' };
    expect(render('$input.body', text)).toBe('plain words');
    expect(() => render("$input.path('$.a')", text)).toThrow(TemplateError);
  });

  it('names the problem of a template that does not parse', () => {
    expect(() => render('#if($x')).toThrow(/does not parse/);
  });
});

describe('$util as the JVM does it', () => {
  it('urlEncode leaves only letters, digits and .-*_ and writes a space as +', () => {
    expect(urlEncode(' !"#$%&\'()+,/:;<=>?@[]^`{|}~')).toBe('+%21%22%23%24%25%26%27%28%29%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5D%5E%60%7B%7C%7D%7E');
    expect(urlEncode('AZaz09.-*_')).toBe('AZaz09.-*_');
    expect(urlEncode('😀')).toBe('%F0%9F%98%80');
    expect(urlDecode(urlEncode('a b/ü😀'))).toBe('a b/ü😀');
    expect(() => urlDecode('%zz')).toThrow(/malformed/);
  });

  it('escapeJavaScript escapes quotes, backslash, slash, control and non-ASCII characters', () => {
    expect(escapeJavaScript('"\'\\/')).toBe('\\"\\\'\\\\\\/');
    expect(escapeJavaScript('a\nb\tc\rd\be\ff\u0001')).toBe('a\\nb\\tc\\rd\\be\\ff\\u0001');
    expect(escapeJavaScript('é😀')).toBe('\\u00E9\\uD83D\\uDE00');
    expect(escapeJavaScript(undefined)).toBe('');
  });

  it('formats requestTime as CLF in UTC', () => {
    expect(formatRequestTime(Date.UTC(2015, 3, 9, 1, 2, 3))).toBe('09/Apr/2015:01:02:03 +0000');
  });
});
