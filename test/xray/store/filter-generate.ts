/**
 * Seeded generators for the filter property test: traces shaped like the pattern's (four flows,
 * faults, throttles, in-progress documents) with random HTTP fields, users, annotations of each
 * type and hostile text; and random filter expressions over the same vocabulary, every construct
 * of the language included.
 */
import type {
  Comparison, Expression, FlagKeyword, NodeSelector, NumberKeyword, NumberOperator, RootCauseCategory, RootCauseLevel,
  StringKeyword, StringOperator,
} from '../../../src/xray/query/index.ts';
import { patternTrace, REMOTE_HOST, TraceBuilder } from '../graph/pattern-traces.ts';

export type Random = () => number;

export const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

export const HOSTILE = [
  "'; DROP TABLE traces; --", '%', '_', '%_', '\\', 'a\\b', "O'Brien", 'say "hi"', '[x]*?', 'zoë 🚀', 'café', 'CAFÉ', 'ß',
];
const PATHS = ['/prod/dynamo', '/prod/http', '/prod/sns', '/prod/sqs', '/prod/café', '/prod/100%_done', '/prod/a\\b', "/prod/'; DROP TABLE traces; --"];
const METHODS = ['GET', 'POST', 'get', 'DELETE'];
const STATUSES = [200, 201, 400, 404, 429, 500, 503];
const USERS = ['alice', 'bob', 'Alice', 'zoë 🚀', "O'Brien", '%'];
const AGENTS = ['curl/8.5.0', 'aws-sdk-js/3.0', 'Mozilla/5.0 (X11)', 'k6/0.49'];
const IPS = ['203.0.113.10', '198.51.100.7', '2001:db8::1'];
const ZONES = ['us-east-1a', 'us-east-1b'];
const KEYS = ['path', 'n', 'flag', 'note', 'message', 'message_content', 'missing'];
const SERVICES = ['xyz/prod', 'dynamo-flow', 'http-flow', 'sns-flow', 'sqs-flow', 'sns-subscriber', 'sqs-subscriber', 'fan-out', 'Hits', REMOTE_HOST, 'second-topic', 'hits-queue', 'worker', 'nope'];
const TYPES = ['AWS::ApiGateway::Stage', 'AWS::Lambda', 'AWS::Lambda::Function', 'AWS::SNS', 'AWS::SQS::Queue', 'AWS::DynamoDB::Table', 'remote', '', 'AWS::EC2::Instance'];
const EXCEPTIONS = ['Error', 'ProvisionedThroughputExceededException', 'Bad Gateway', 'Rate of requests exceeds the allowed throughput.'];

type Doc = Record<string, unknown> & { id: string };

/** The documents of trace `n`, its id's second within [t0, t0 + 600). */
export function randomTrace(n: number, t0: number, random: Random): Doc[] {
  const start = t0 + Math.floor(random() * 600) + Math.round(random() * 1000) / 1000;
  let trace: TraceBuilder;
  if (random() < 0.8) {
    trace = patternTrace(n, start, { httpFaults: random() < 0.3, dynamoThrottled: random() < 0.2 });
  } else {
    // A lone worker: no HTTP, maybe in progress, maybe on EC2.
    trace = new TraceBuilder(n, start);
    trace.segment('worker', 0, random() < 0.3 ? undefined : Math.round(random() * 4000) / 1000, {
      origin: 'AWS::EC2::Instance',
      aws: { ec2: { instance_id: `i-0abc${n}`, availability_zone: pick(random, ZONES) } },
    });
  }
  const root = trace.documents[0]!;
  if (root['http'] !== undefined || random() < 0.2) {
    const status = pick(random, STATUSES);
    root['http'] = {
      request: { method: pick(random, METHODS), url: `https://abc123.execute-api.us-east-1.amazonaws.com${pick(random, PATHS)}`, user_agent: pick(random, AGENTS), client_ip: pick(random, IPS) },
      response: { status },
    };
    if (status >= 500) root['fault'] = true;
    else if (status >= 400) root['error'] = true;
    if (status === 429) root['throttle'] = true;
  }
  // Some root segments are still in progress.
  if (random() < 0.1) {
    delete root['end_time'];
    root['in_progress'] = true;
  }
  if (random() < 0.6) root['user'] = pick(random, USERS);
  for (const doc of trace.documents.slice(1)) {
    if (doc['type'] !== 'subsegment' && random() < 0.15) doc['user'] = pick(random, USERS);
  }
  const annotations: Record<string, string | number | boolean> = {};
  if (random() < 0.7) annotations['path'] = pick(random, [...PATHS, ...HOSTILE]);
  if (random() < 0.5) annotations['n'] = pick(random, [-1, 0, 1, 2, 2.5, 3, 10]);
  if (random() < 0.5) annotations['flag'] = random() < 0.5;
  if (random() < 0.4) annotations['note'] = pick(random, [...HOSTILE, 'ok', '']);
  root['annotations'] = annotations;
  // The same key with another type in another segment: a key can hold values of several types.
  const other = trace.documents.find((doc) => doc['type'] !== 'subsegment' && doc !== root);
  if (other !== undefined && random() < 0.3) other['annotations'] = { n: pick(random, ['3', 'x']), flag: random() < 0.5 };
  return trace.documents;
}

const NUMBER_OPS: readonly NumberOperator[] = ['=', '!=', '<', '<=', '>', '>='];
const STRING_OPS: readonly StringOperator[] = ['=', '!=', 'CONTAINS', 'BEGINSWITH', 'ENDSWITH'];

function text(random: Random, pool: readonly string[]): string {
  const value = pick(random, [...pool, ...HOSTILE]);
  // Parts of values make CONTAINS / BEGINSWITH / ENDSWITH match now and then.
  if (random() < 0.3 && value.length > 2) {
    const from = Math.floor(random() * (value.length - 1));
    return value.slice(from, from + 1 + Math.floor(random() * (value.length - from)));
  }
  return value;
}

function comparison(random: Random, pool: readonly string[], numbers: readonly number[]): Comparison {
  const r = random();
  if (r < 0.45) return { type: 'string', operator: pick(random, STRING_OPS), value: text(random, pool) };
  if (r < 0.8) return { type: 'number', operator: pick(random, NUMBER_OPS), value: pick(random, numbers) };
  return { type: 'boolean', operator: pick(random, ['=', '!='] as const), value: random() < 0.5 };
}

function node(random: Random): NodeSelector {
  const r = random();
  if (r < 0.6) return { name: pick(random, SERVICES), type: undefined };
  if (r < 0.8) return { name: undefined, type: pick(random, TYPES) };
  return { name: pick(random, SERVICES), type: pick(random, TYPES) };
}

type Scope = 'trace' | 'service' | 'edge' | `rootcause.${RootCauseCategory}.${RootCauseLevel}`;

function leaf(random: Random, scope: Scope, groups: readonly string[]): Expression {
  const flag = (keywords: readonly FlagKeyword[]): Expression => ({ kind: 'flag', keyword: pick(random, keywords), value: random() < 0.8 });
  const number = (keywords: readonly NumberKeyword[], values: readonly number[]): Expression =>
    random() < 0.15 ? { kind: 'present', keyword: pick(random, keywords) }
      : { kind: 'number', keyword: pick(random, keywords), operator: pick(random, NUMBER_OPS), value: pick(random, values) };
  const string = (keywords: readonly StringKeyword[], pool: readonly string[]): Expression =>
    random() < 0.1 ? { kind: 'present', keyword: pick(random, keywords) }
      : { kind: 'string', keyword: pick(random, keywords), operator: pick(random, STRING_OPS), value: text(random, pool) };
  const r = random();
  switch (scope) {
    case 'trace': {
      if (r < 0.12) return flag(['ok', 'error', 'throttle', 'fault', 'partial', 'inferred']);
      if (r < 0.24) return number(['responsetime', 'duration', 'http.status'], [0, 0.05, 0.1, 0.5, 1, 1.5, 200, 404, 429, 500]);
      if (r < 0.4) {
        return string(['http.url', 'http.method', 'http.useragent', 'http.clientip', 'user', 'availabilityzone', 'instance.id', 'resource.arn'],
          [...PATHS, ...METHODS, ...USERS, ...AGENTS, ...IPS, ...ZONES, 'https://abc123', 'i-0abc', ':function:']);
      }
      if (r < 0.6) {
        const key = pick(random, KEYS);
        return { kind: 'annotation', key, comparison: random() < 0.2 ? undefined : comparison(random, [...PATHS, 'ok', '3', 'Simulated'], [-1, 0, 1, 2, 2.5, 3]) };
      }
      if (r < 0.75) {
        const selector = random() < 0.15 ? { name: undefined, type: undefined } : node(random);
        return { kind: 'service', node: selector, filter: random() < 0.6 ? tree(random, 'service', groups, 1) : undefined };
      }
      if (r < 0.83) return { kind: 'edge', source: node(random), destination: node(random), filter: random() < 0.6 ? tree(random, 'edge', groups, 1) : undefined };
      if (r < 0.92) {
        const category = pick(random, ['fault', 'error', 'responsetime'] as const);
        const level = category === 'responsetime' ? pick(random, ['service', 'entity'] as const) : pick(random, ['service', 'entity', 'exception'] as const);
        return { kind: 'rootcause', category, level, filter: random() < 0.7 ? tree(random, `rootcause.${category}.${level}`, groups, 1) : undefined };
      }
      return { kind: 'group', field: random() < 0.7 ? 'name' : 'arn', operator: random() < 0.7 ? '=' : '!=', value: pick(random, groups) };
    }
    case 'service':
      if (r < 0.4) return flag(['ok', 'error', 'throttle', 'fault', 'root', 'inferred']);
      if (r < 0.6) return number(['responsetime'], [0, 0.05, 0.1, 0.3, 0.46, 1]);
      return string(['name', 'type'], [...SERVICES, ...TYPES, 'flow', 'AWS::']);
    case 'edge':
      return r < 0.6 ? flag(['ok', 'error', 'throttle', 'fault']) : number(['responsetime'], [0, 0.05, 0.1, 0.3, 1]);
    default: {
      const [, category, level] = scope.split('.') as [string, RootCauseCategory, RootCauseLevel];
      if (r < 0.3) return flag(level === 'service' ? ['first', 'last', 'inferred'] : level === 'entity' ? ['first', 'last', 'remote'] : ['first', 'last']);
      if (r < 0.5) return number(level === 'entity' && category === 'responsetime' ? ['index', 'coverage'] : ['index'], [0, 1, 2, 0.5]);
      const keywords: StringKeyword[] = level === 'service' ? ['name', 'type'] : level === 'entity' ? ['name'] : ['name', 'message'];
      return string(keywords, [...SERVICES, ...TYPES, ...EXCEPTIONS, '## index.handler', 'external HTTP Request']);
    }
  }
}

function tree(random: Random, scope: Scope, groups: readonly string[], depth: number): Expression {
  const r = random();
  if (depth >= 3 || r < 0.5) return leaf(random, scope, groups);
  if (r < 0.65) return { kind: 'not', operand: tree(random, scope, groups, depth + 1) };
  const operands: Expression[] = [];
  const kind = r < 0.85 ? 'and' : 'or';
  for (let i = 2 + Math.floor(random() * 2); i > 0; i--) {
    const operand = tree(random, scope, groups, depth + 1);
    // The parser never puts an AND directly in an AND (nor OR in OR); print and parse would flatten it.
    if (operand.kind === kind) operands.push(...operand.operands);
    else operands.push(operand);
  }
  return { kind, operands };
}

/** A filter over the trace scope; `groups` are the names and ARNs `group.*` tests may use. */
export function randomFilter(random: Random, groups: readonly string[]): Expression {
  return tree(random, 'trace', groups, 0);
}
