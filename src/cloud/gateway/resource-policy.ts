import { BlockList, isIP } from 'node:net';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';

/**
 * A REST API's resource policy (RestApi `Policy`) for callers without IAM credentials, as API
 * Gateway evaluates it: an explicit Deny matching the request wins; else an Allow must match;
 * else 403. A statement matches when its Principal admits anonymous callers (`*`, `{"AWS": "*"}`),
 * its Action covers `execute-api:Invoke`, its Resource (full ARN or the `execute-api:/stage/VERB/path`
 * shorthand, `*` wildcards) the method ARN, and its Condition holds. Conditions read here:
 * IpAddress/NotIpAddress on `aws:SourceIp`, and the VPC keys (`aws:SourceVpc`, `aws:SourceVpce`),
 * absent for a local caller, with the String operators. Any other condition makes the policy
 * unsupported (named at start; requests answer 500).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies.html
 */

interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly anonymous: boolean;
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions: ReadonlyArray<{ readonly operator: string; readonly key: string; readonly values: string[] }>;
}

const SUPPORTED_OPERATORS = new Set(['IpAddress', 'NotIpAddress', 'StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike']);
const SUPPORTED_KEYS = new Set(['aws:sourceip', 'aws:sourcevpc', 'aws:sourcevpce']);

export class ResourcePolicy {
  private constructor(private readonly statements: ReadonlyArray<Statement>) {}

  /** The policy, or why it cannot be evaluated here (a start warning; requests then answer 500). */
  static read(policy: unknown): ResourcePolicy | { unsupported: string } {
    let document: unknown = policy;
    if (typeof document === 'string') {
      try {
        document = JSON.parse(document) as unknown;
      } catch {
        return { unsupported: 'the Policy is not JSON' };
      }
    }
    const raw = (document as { Statement?: unknown } | null)?.Statement;
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const statements: Statement[] = [];
    for (const entry of list) {
      const s = entry as Record<string, unknown>;
      if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return { unsupported: `a statement's Effect is ${JSON.stringify(s.Effect) ?? 'missing'}` };
      if (s.NotAction !== undefined || s.NotResource !== undefined || s.NotPrincipal !== undefined) return { unsupported: 'NotAction, NotResource and NotPrincipal are not read' };
      const conditions: Statement['conditions'][number][] = [];
      for (const [operator, block] of Object.entries((s.Condition ?? {}) as Record<string, unknown>)) {
        if (!SUPPORTED_OPERATORS.has(operator)) return { unsupported: `Condition operator ${operator} is not read` };
        for (const [key, values] of Object.entries((block ?? {}) as Record<string, unknown>)) {
          if (!SUPPORTED_KEYS.has(key.toLowerCase())) return { unsupported: `Condition key ${key} is not read` };
          conditions.push({ operator, key: key.toLowerCase(), values: strings(values) });
        }
      }
      const principal = s.Principal;
      const anonymous = principal === '*' || (typeof principal === 'object' && principal !== null && strings((principal as Record<string, unknown>).AWS).includes('*'));
      statements.push({ effect: s.Effect, anonymous, actions: strings(s.Action), resources: strings(s.Resource), conditions });
    }
    return new ResourcePolicy(statements);
  }

  /** undefined lets the request through; else the 403 API Gateway answers. */
  check(methodArn: string, sourceIp: string): GatewayAnswer | undefined {
    const applies = (statement: Statement): boolean =>
      statement.anonymous &&
      statement.actions.some((action) => glob(action.toLowerCase(), 'execute-api:invoke')) &&
      statement.resources.some((resource) => glob(expand(resource, methodArn), methodArn)) &&
      statement.conditions.every((condition) => holds(condition, sourceIp));
    if (this.statements.some((statement) => statement.effect === 'Deny' && applies(statement))) {
      return answers.resourcePolicyDenied(`User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${methodArn} with an explicit deny`);
    }
    if (this.statements.some((statement) => statement.effect === 'Allow' && applies(statement))) return undefined;
    return answers.resourcePolicyDenied(`User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${methodArn} because no resource-based policy allows the execute-api:Invoke action`);
  }
}

/** `execute-api:/prod/GET/pets` is shorthand for the API's own ARN prefix. */
function expand(resource: string, methodArn: string): string {
  if (!resource.startsWith('execute-api:/')) return resource;
  const prefix = methodArn.slice(0, methodArn.indexOf('/'));
  return `${prefix}${resource.slice('execute-api:'.length)}`;
}

function holds(condition: Statement['conditions'][number], sourceIp: string): boolean {
  if (condition.key === 'aws:sourceip') {
    const list = new BlockList();
    for (const value of condition.values) {
      const [address = '', bits] = value.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (isIP(address) === 0) continue;
      if (bits === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(bits), family);
    }
    const ip = sourceIp.replace(/^::ffff:/, '');
    const inside = isIP(ip) !== 0 && list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
    return condition.operator === 'IpAddress' ? inside : condition.operator === 'NotIpAddress' ? !inside : false;
  }
  // A local caller comes through no VPC: the key is absent, so only the negated operators hold.
  return condition.operator === 'StringNotEquals' || condition.operator === 'StringNotLike';
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((entry): entry is string => typeof entry === 'string');
}

function glob(pattern: string, text: string): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(text);
}
