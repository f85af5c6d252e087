/**
 * What of CloudFormation the local cloud runs: one line a resource type. The start banner counts
 * what runs from this table, and lists every resource of the templates whose type is not here and
 * every property a line names as not run, so nothing of a user's app is skipped silently.
 *
 * To add a type the local cloud now runs, add its line here (and its naming in physical-ids.ts, so
 * that Ref and Fn::GetAtt resolve). To stop listing a property once it runs, delete it from `notRun`.
 */
import type { CloudResource } from '../core/types.ts';

/**
 * - `runs`: a local service creates and serves it (counted at start under `noun`);
 * - `read`: configuration a running part reads (IAM policies, API methods, subscriptions);
 * - `inert`: accepted, with nothing to do locally (CDK metadata, account settings).
 */
export type SupportLevel = 'runs' | 'read' | 'inert';

export interface TypeSupport {
  readonly level: SupportLevel;
  /** How the start banner counts resources of a type that runs: singular and plural. */
  readonly noun?: readonly [string, string];
  /** Properties of this type the local cloud does not run: property name -> what that means. */
  readonly notRun?: Readonly<Record<string, string>>;
  /** Why a resource with these properties is not created at all (e.g. a FIFO queue), if it is not. */
  readonly refused?: (properties: Readonly<Record<string, unknown>>) => string | undefined;
}

export const RESOURCE_SUPPORT: Readonly<Record<string, TypeSupport>> = {
  'AWS::Lambda::Function': {
    level: 'runs',
    noun: ['function', 'functions'],
    notRun: {
      Layers: 'layers are not mounted: code that imports from a layer fails',
      FileSystemConfigs: 'EFS file systems are not mounted',
      VpcConfig: 'no VPC: the function reaches what the machine reaches',
      SnapStart: 'no SnapStart: every cold start runs the init',
    },
    refused: (properties) => (properties['PackageType'] === 'Image' ? 'container image functions are not run locally (only .zip Node.js functions)' : undefined),
  },
  // Resource policies are not evaluated (src/cloud/iam/README.md): calls they would deny are served.
  'AWS::Lambda::Permission': { level: 'inert' },
  'AWS::Lambda::EventInvokeConfig': { level: 'read' },
  'AWS::Lambda::Version': { level: 'read' },
  'AWS::Lambda::Alias': { level: 'read' },
  'AWS::Lambda::EventSourceMapping': { level: 'read' },
  'AWS::SQS::Queue': {
    level: 'runs',
    noun: ['queue', 'queues'],
  },
  'AWS::SQS::QueuePolicy': { level: 'inert' },
  'AWS::SNS::Topic': {
    level: 'runs',
    noun: ['topic', 'topics'],
    notRun: { ArchivePolicy: 'no message archiving', DataProtectionPolicy: 'data protection policies are not applied' },
  },
  'AWS::SNS::TopicPolicy': { level: 'inert' },
  'AWS::SNS::Subscription': { level: 'read' },
  'AWS::DynamoDB::Table': {
    level: 'runs',
    noun: ['table', 'tables'],
    notRun: {
      TimeToLiveSpecification: 'items do not expire',
      KinesisStreamSpecification: 'no Kinesis stream',
    },
  },
  'AWS::IAM::Role': { level: 'read' },
  'AWS::IAM::Policy': { level: 'read' },
  'AWS::IAM::ManagedPolicy': { level: 'read' },
  'AWS::Logs::LogGroup': { level: 'read' },
  'AWS::ApiGateway::RestApi': { level: 'runs', noun: ['REST API', 'REST APIs'] },
  'AWS::ApiGateway::Resource': { level: 'read' },
  'AWS::ApiGateway::Method': { level: 'read' },
  'AWS::ApiGateway::Deployment': { level: 'read' },
  'AWS::ApiGateway::Stage': { level: 'read' },
  'AWS::ApiGateway::Account': { level: 'inert' },
  'AWS::ApiGateway::Model': { level: 'read' },
  'AWS::ApiGateway::RequestValidator': { level: 'read' },
  'AWS::ApiGateway::GatewayResponse': { level: 'read' },
  'AWS::ApiGateway::Authorizer': { level: 'read' },
  'AWS::ApiGateway::ApiKey': { level: 'read' },
  'AWS::ApiGateway::UsagePlan': { level: 'read' },
  'AWS::ApiGateway::UsagePlanKey': { level: 'read' },
  'AWS::ApiGatewayV2::Api': {
    level: 'runs',
    noun: ['HTTP API', 'HTTP APIs'],
    refused: (properties) => (properties['ProtocolType'] === 'WEBSOCKET' ? 'WebSocket APIs are not run locally: the API is not created' : undefined),
  },
  'AWS::ApiGatewayV2::Route': { level: 'read' },
  'AWS::ApiGatewayV2::Integration': { level: 'read', notRun: { RequestParameters: 'parameter mappings are not applied' } },
  'AWS::ApiGatewayV2::Authorizer': { level: 'read' },
  'AWS::ApiGatewayV2::Stage': { level: 'read', notRun: { DefaultRouteSettings: 'route throttling is not applied', RouteSettings: 'route throttling is not applied' } },
  'AWS::ApiGatewayV2::Deployment': { level: 'inert' },
  'AWS::Lambda::Url': { level: 'runs', noun: ['function URL', 'function URLs'] },
  'AWS::Events::EventBus': { level: 'runs', noun: ['event bus', 'event buses'] },
  'AWS::Events::Rule': { level: 'runs', noun: ['rule', 'rules'] },
  'AWS::XRay::Group': { level: 'runs', noun: ['X-Ray group', 'X-Ray groups'] },
  'AWS::XRay::SamplingRule': { level: 'runs', noun: ['sampling rule', 'sampling rules'] },
  'AWS::CDK::Metadata': { level: 'inert' },
};

/** Whether the local cloud knows this resource type (runs it, reads it, or has nothing to do for it). */
export function isKnownType(type: string): boolean {
  return Object.hasOwn(RESOURCE_SUPPORT, type);
}

/** One thing of the templates that does not run locally. */
export interface NotRun {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** The property concerned; none when the whole resource is not created. */
  readonly property?: string;
  readonly reason: string;
}

export interface SupportReport {
  /** Resources of types that run, by noun (plural), those not created left out. */
  readonly running: ReadonlyArray<{ readonly noun: readonly [string, string]; readonly count: number }>;
  readonly notRun: readonly NotRun[];
}

/** What of these resources runs locally, and everything that does not, each named. */
export function supportReport(resources: ReadonlyArray<CloudResource>): SupportReport {
  const notRun: NotRun[] = [];
  const counts = new Map<string, { noun: readonly [string, string]; count: number }>();
  for (const resource of resources) {
    const { stack, logicalId, type } = resource;
    const support = Object.hasOwn(RESOURCE_SUPPORT, type) ? RESOURCE_SUPPORT[type] : undefined;
    if (support === undefined) {
      notRun.push({ stack, logicalId, type, reason: 'this resource type is not run locally: the resource is not created' });
      continue;
    }
    const refusal = support.refused?.(resource.properties);
    if (refusal !== undefined) {
      notRun.push({ stack, logicalId, type, reason: refusal });
      continue;
    }
    for (const [property, reason] of Object.entries(support.notRun ?? {})) {
      if (resource.properties[property] !== undefined) notRun.push({ stack, logicalId, type, property, reason });
    }
    if (support.level === 'runs' && support.noun !== undefined) {
      const entry = counts.get(type) ?? { noun: support.noun, count: 0 };
      entry.count += 1;
      counts.set(type, entry);
    }
  }
  // In the table's order, so the banner reads the same on every start.
  const order = Object.keys(RESOURCE_SUPPORT);
  const running = [...counts.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)).map(([, entry]) => entry);
  return { running, notRun };
}

/** `Stack/LogicalId (Type) Property: reason`, one line. */
export function describeNotRun(entry: NotRun): string {
  return `${entry.stack}/${entry.logicalId} (${entry.type})${entry.property !== undefined ? ` ${entry.property}` : ''}: ${entry.reason}`;
}

/** e.g. `6 functions, 2 topics, 1 table`. */
export function describeRunning(report: SupportReport): string {
  return report.running.map(({ noun, count }) => `${count} ${count === 1 ? noun[0] : noun[1]}`).join(', ');
}
