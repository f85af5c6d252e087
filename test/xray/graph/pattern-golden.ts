/** The service map the pattern draws, as `digest()` shows it: the golden of graph and API tests. */
import type { Counts, NodeDigest } from './digest.ts';
import { ACCOUNT, REMOTE_HOST } from './pattern-traces.ts';

const ok = (n: number): Counts => [n, 0, 0, 0];

/** The golden map of one request through the pattern's four flows, `n` times, `faults` of them failing the HTTP call. */
export function patternGolden(n: number, faults: number): Record<string, NodeDigest> {
  const fine = n - faults;
  const fn = { root: false, state: 'active' as const, account: ACCOUNT };
  const service = { root: false, state: 'active' as const };
  const inferred = { root: false, state: 'unknown' as const };
  return {
    'Hits | AWS::DynamoDB::Table': { ...inferred, counts: ok(n), responseTime: 0.04 * n, edges: {} },
    'dynamo-flow | AWS::Lambda': {
      ...service, counts: ok(n), responseTime: 0.3 * n,
      edges: { 'dynamo-flow | AWS::Lambda::Function': { counts: ok(n), responseTime: 0.3 * n } },
    },
    'dynamo-flow | AWS::Lambda::Function': {
      ...fn, counts: ok(n), responseTime: 0.23 * n,
      edges: { 'Hits | AWS::DynamoDB::Table': { counts: ok(n), responseTime: 0.04 * n } },
    },
    'fan-out | AWS::SNS': {
      ...inferred, counts: ok(n), responseTime: 0.05 * n,
      edges: {
        'dynamo-flow | AWS::Lambda': { counts: ok(n), responseTime: 0.3 * n },
        'http-flow | AWS::Lambda': { counts: ok(n), responseTime: 0.6 * n },
        'sns-flow | AWS::Lambda': { counts: ok(n), responseTime: 0.2 * n },
        'sqs-flow | AWS::Lambda': { counts: ok(n), responseTime: 0.15 * n },
      },
    },
    'hits-queue | AWS::SQS::Queue': {
      ...inferred, counts: ok(n), responseTime: 0.09 * n,
      // The consumer started 1.4 - 0.23 = 1.17 s after the send: bucket 1.2 s; no synchronous time.
      edges: { 'sqs-subscriber | AWS::Lambda': { counts: ok(n), responseTime: 0, link: { age: [[1.2, n]] } } },
    },
    'http-flow | AWS::Lambda': {
      ...service, counts: ok(n), responseTime: 0.6 * n,
      edges: { 'http-flow | AWS::Lambda::Function': { counts: ok(n), responseTime: 0.6 * n } },
    },
    'http-flow | AWS::Lambda::Function': {
      ...fn, counts: [fine, 0, 0, faults], responseTime: 0.53 * n,
      edges: { [`${REMOTE_HOST} | remote`]: { counts: [fine, 0, 0, faults], responseTime: 0.46 * n } },
    },
    [`${REMOTE_HOST} | remote`]: { ...inferred, counts: [fine, 0, 0, faults], responseTime: 0.46 * n, edges: {} },
    'second-topic | AWS::SNS': {
      ...inferred, counts: ok(n), responseTime: 0.13 * n,
      edges: { 'sns-subscriber | AWS::Lambda': { counts: ok(n), responseTime: 0.1 * n } },
    },
    'sns-flow | AWS::Lambda': {
      ...service, counts: ok(n), responseTime: 0.2 * n,
      edges: { 'sns-flow | AWS::Lambda::Function': { counts: ok(n), responseTime: 0.2 * n } },
    },
    'sns-flow | AWS::Lambda::Function': {
      ...fn, counts: ok(n), responseTime: 0.17 * n,
      edges: { 'second-topic | AWS::SNS': { counts: ok(n), responseTime: 0.13 * n } },
    },
    'sns-subscriber | AWS::Lambda': {
      ...service, counts: ok(n), responseTime: 0.1 * n,
      edges: { 'sns-subscriber | AWS::Lambda::Function': { counts: ok(n), responseTime: 0.1 * n } },
    },
    'sns-subscriber | AWS::Lambda::Function': { ...fn, counts: ok(n), responseTime: 0.08 * n, edges: {} },
    'sqs-flow | AWS::Lambda': {
      ...service, counts: ok(n), responseTime: 0.15 * n,
      edges: { 'sqs-flow | AWS::Lambda::Function': { counts: ok(n), responseTime: 0.15 * n } },
    },
    'sqs-flow | AWS::Lambda::Function': {
      ...fn, counts: ok(n), responseTime: 0.13 * n,
      edges: { 'hits-queue | AWS::SQS::Queue': { counts: ok(n), responseTime: 0.09 * n } },
    },
    'sqs-subscriber | AWS::Lambda': {
      ...service, counts: ok(n), responseTime: 0.1 * n,
      edges: { 'sqs-subscriber | AWS::Lambda::Function': { counts: ok(n), responseTime: 0.1 * n } },
    },
    'sqs-subscriber | AWS::Lambda::Function': { ...fn, counts: ok(n), responseTime: 0.08 * n, edges: {} },
    'xyz/prod | AWS::ApiGateway::Stage': {
      root: true, state: 'active', counts: ok(n), responseTime: 0.1 * n,
      edges: { 'fan-out | AWS::SNS': { counts: ok(n), responseTime: 0.05 * n } },
    },
    'xyz/prod | client': {
      ...inferred, counts: ok(n), responseTime: 0.1 * n,
      edges: { 'xyz/prod | AWS::ApiGateway::Stage': { counts: ok(n), responseTime: 0.1 * n } },
    },
  };
}

/** Rounds the golden's products of floats the way the digest rounds sums. */
export function rounded(golden: Record<string, NodeDigest>): Record<string, NodeDigest> {
  const r = (x: number): number => Math.round(x * 1e6) / 1e6;
  return Object.fromEntries(Object.entries(golden).map(([key, node]) => [key, {
    ...node,
    responseTime: r(node.responseTime),
    edges: Object.fromEntries(Object.entries(node.edges).map(([target, edge]) => [target, { ...edge, responseTime: r(edge.responseTime) }])),
  }]));
}
