import { describe, expect, it } from 'vitest';
import { compareRules, parseRuleRecord, ruleMatches } from '../../../src/cloud/sampling/rules.ts';
import type { SamplingRule } from '../../../src/cloud/sampling/rules.ts';
import type { SamplingRequest } from '../../../src/cloud/sampling/sampler.ts';
import { wildcardMatch } from '../../../src/cloud/sampling/wildcard.ts';
import { ruleRecord } from './fake-xray-api.ts';

describe('wildcardMatch', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything at all', true],
    ['/prod/health*', '/prod/health', true],
    ['/prod/health*', '/prod/healthz/deep', true],
    ['/prod/health*', '/prod/other', false],
    ['/prod/*/items', '/prod/a/b/items', true],
    ['/prod/*/items', '/prod/items', false],
    ['*health*', '/prod/health/check', true],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['?', 'x', true],
    ['?', '', false],
    ['?', 'xy', false],
    ['G?T', 'GET', true],
    ['/v?/*', '/v1/users', true],
    ['/v?/*', '/v10/users', false],
    ['', '', true],
    ['', 'x', false],
    ['exact', 'exact', true],
    ['exact', 'exactly', false],
    ['**', 'x', true],
  ])('%j against %j is %s', (pattern, text, expected) => {
    expect(wildcardMatch(pattern, text)).toBe(expected);
  });

  it('compares letters without case, in the pattern and the text', () => {
    expect(wildcardMatch('get', 'GET')).toBe(true);
    expect(wildcardMatch('The X-Ray Tracer/*', 'the x-ray tracer/prod')).toBe(true);
    expect(wildcardMatch('/PROD/Health*', '/prod/HEALTHZ')).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(wildcardMatch('/a.b', '/axb')).toBe(false);
    expect(wildcardMatch('/a.b', '/a.b')).toBe(true);
    expect(wildcardMatch('(x)+', '(x)+')).toBe(true);
  });
});

const request: SamplingRequest = {
  serviceName: 'The X-Ray Tracer/prod',
  serviceType: 'AWS::ApiGateway::Stage',
  host: '127.0.0.1:3000',
  httpMethod: 'GET',
  urlPath: '/prod/health',
  resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/abc123/stages/prod',
};

function rule(fields: Record<string, unknown> = {}): SamplingRule {
  const parsed = parseRuleRecord(ruleRecord({ RuleName: 'r', Priority: 100, ...fields }));
  if ('invalid' in parsed) throw new Error(parsed.invalid);
  return parsed;
}

describe('parseRuleRecord', () => {
  it('reads a GetSamplingRules record', () => {
    expect(rule({ URLPath: '/prod/*', FixedRate: 0.25, ReservoirSize: 3, Attributes: { tier: 'gold' } })).toEqual({
      name: 'r',
      priority: 100,
      fixedRate: 0.25,
      reservoirSize: 3,
      serviceName: '*',
      serviceType: '*',
      host: '*',
      httpMethod: '*',
      urlPath: '/prod/*',
      resourceArn: '*',
      attributes: { tier: 'gold' },
    });
  });

  it('takes a rule without Attributes as one with none', () => {
    const record = ruleRecord({ RuleName: 'r' });
    delete (record.SamplingRule as Record<string, unknown>)['Attributes'];
    expect(parseRuleRecord(record)).toMatchObject({ attributes: {} });
  });

  it.each([
    [{ Version: 2 }, 'sampling rule r: Version 2 is not 1, the only rule format known here'],
    [{ FixedRate: 1.5 }, 'sampling rule r: FixedRate is not a number from 0 to 1'],
    [{ ReservoirSize: -1 }, 'sampling rule r: ReservoirSize is not a whole number >= 0'],
    [{ Priority: '1' }, 'sampling rule r: Priority is not a number'],
    [{ URLPath: 3 }, 'sampling rule r: URLPath is not a string'],
    [{ Attributes: { tier: 1 } }, 'sampling rule r: attribute tier is not a string'],
    [{ RuleName: '' }, 'a sampling rule without a RuleName'],
  ])('refuses %j, saying why', (fields, message) => {
    expect(parseRuleRecord(ruleRecord({ RuleName: 'r', ...fields }))).toEqual({ invalid: message });
  });

  it('refuses a record without a SamplingRule', () => {
    expect(parseRuleRecord({ CreatedAt: 1 })).toEqual({ invalid: 'a SamplingRuleRecord without a SamplingRule object' });
  });
});

describe('ruleMatches', () => {
  it('matches when every field matches, with wildcards and without case', () => {
    expect(ruleMatches(rule({
      ServiceName: 'the x-ray tracer/*',
      ServiceType: 'AWS::ApiGateway::*',
      Host: '127.0.0.1:*',
      HTTPMethod: 'get',
      URLPath: '/prod/health*',
      ResourceARN: 'arn:aws:apigateway:*::/restapis/*/stages/prod',
    }), request)).toBe(true);
  });

  it.each([
    ['ServiceName', 'Other API/*'],
    ['ServiceType', 'AWS::Lambda::Function'],
    ['Host', 'example.com'],
    ['HTTPMethod', 'POST'],
    ['URLPath', '/prod/other*'],
    ['ResourceARN', 'arn:aws:apigateway:us-east-1::/restapis/other/stages/prod'],
  ])('does not match when %s does not', (field, pattern) => {
    expect(ruleMatches(rule({ [field]: pattern }), request)).toBe(false);
  });

  it('skips the criteria a request does not give', () => {
    const bare: SamplingRequest = { serviceName: request.serviceName, serviceType: request.serviceType };
    expect(ruleMatches(rule({ Host: 'example.com', HTTPMethod: 'POST', URLPath: '/x', ResourceARN: 'arn:x' }), bare)).toBe(true);
    expect(ruleMatches(rule({ ServiceName: 'Other' }), bare)).toBe(false);
  });

  it('needs every attribute a rule names on the request, values by wildcard', () => {
    const gold = rule({ Attributes: { tier: 'gold*', region: 'eu-?' } });
    expect(ruleMatches(gold, { ...request, attributes: { tier: 'GOLD-plus', region: 'eu-1', extra: 'x' } })).toBe(true);
    expect(ruleMatches(gold, { ...request, attributes: { tier: 'gold' } })).toBe(false);
    expect(ruleMatches(gold, { ...request, attributes: { tier: 'silver', region: 'eu-1' } })).toBe(false);
    expect(ruleMatches(gold, request)).toBe(false);
  });

  it('ignores a request\'s attributes when the rule names none', () => {
    expect(ruleMatches(rule(), { ...request, attributes: { tier: 'gold' } })).toBe(true);
  });

  it('applies the Default rule to every request', () => {
    expect(ruleMatches(rule({ RuleName: 'Default', Priority: 10000, URLPath: '/nothing' }), request)).toBe(true);
  });
});

describe('compareRules', () => {
  it('orders by priority, then by name', () => {
    const rules = [
      { name: 'b', priority: 10 },
      { name: 'Default', priority: 10000 },
      { name: 'a', priority: 10 },
      { name: 'z', priority: 1 },
    ];
    expect([...rules].sort(compareRules).map((r) => r.name)).toEqual(['z', 'a', 'b', 'Default']);
  });
});
