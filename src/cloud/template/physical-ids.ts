// Physical ids and attributes the way CloudFormation assigns them. Generated names follow
// CloudFormation's `<stack>-<logicalId>-<suffix>` shape; the suffix comes from a hash of the stack and
// logical id instead of randomness, so a restart finds the same queues, tables and topics on disk.
import { createHash } from 'node:crypto';

export interface NamingContext {
  readonly stack: string;
  readonly logicalId: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Base URL of the local AWS endpoint (queue URLs are built on it), without a trailing slash. */
  readonly endpointUrl: string;
  /** A resolved property of the resource (undefined when absent). */
  prop(name: string): unknown;
  /** Where the local cloud serves this resource (an HTTP API, a function URL), when it does. */
  readonly localUrl?: string;
}

export interface ResourceNaming {
  /** What Ref returns. */
  readonly physicalId: string;
  /** What Fn::GetAtt Arn returns, if the type has an ARN. */
  readonly arn: string | undefined;
  /** Fn::GetAtt attributes besides Arn. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

type TypeSpec = (context: NamingContext) => ResourceNaming;

function digest(context: NamingContext, salt = ''): Buffer {
  return createHash('sha256').update(`${context.stack}/${context.logicalId}${salt}`).digest();
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

function code(context: NamingContext, length: number, alphabet: string, salt = ''): string {
  const bytes = digest(context, salt);
  let out = '';
  for (let i = 0; i < length; i += 1) out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  return out;
}

/** `<stack>-<logicalId>-<SUFFIX>`, the stack and logical id shortened as needed to fit `maxLength`. */
export function generatedName(context: NamingContext, maxLength: number): string {
  const suffix = code(context, 12, UPPER_ALNUM);
  const room = maxLength - suffix.length - 2;
  let stack = context.stack;
  let logicalId = context.logicalId;
  while (stack.length + logicalId.length > room) {
    if (stack.length >= logicalId.length) stack = stack.slice(0, -1);
    else logicalId = logicalId.slice(0, -1);
  }
  return `${stack}-${logicalId}-${suffix}`;
}

/** A deterministic UUID (version 4 layout) for ids CloudFormation takes from the service. */
function uuid(context: NamingContext): string {
  const hex = digest(context, '#uuid').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function nameFrom(context: NamingContext, property: string, maxLength: number): string {
  const given = context.prop(property);
  return typeof given === 'string' && given !== '' ? given : generatedName(context, maxLength);
}

function arn(context: NamingContext, service: string, resource: string, region = context.region, account = context.accountId): string {
  return `arn:${context.partition}:${service}:${region}:${account}:${resource}`;
}

/** SamplingRule.RuleName, the deprecated top-level RuleName, or a generated name within X-Ray's 32 characters. */
function samplingRuleName(context: NamingContext): string {
  const rule = context.prop('SamplingRule');
  const given = typeof rule === 'object' && rule !== null ? (rule as Record<string, unknown>)['RuleName'] : undefined;
  if (typeof given === 'string' && given !== '') return given;
  const topLevel = context.prop('RuleName');
  return typeof topLevel === 'string' && topLevel !== '' ? topLevel : generatedName(context, 32);
}

/** A FunctionName property (name, ARN or partial ARN) as the function's name. */
function lambdaFunctionName(value: unknown): string {
  if (typeof value !== 'string') return 'unknown-function';
  const at = value.split(':').indexOf('function');
  return at >= 0 ? (value.split(':')[at + 1] ?? value) : value;
}
/** The label of every stream a template's AWS::DynamoDB::Table declares (see below). */
export const TEMPLATE_STREAM_LABEL = '1970-01-01T00:00:00.000';

/** Resources that only exist in CloudFormation's bookkeeping (policies, permissions): Ref is an opaque id. */
const opaque: TypeSpec = (context) => ({ physicalId: generatedName(context, 64), arn: undefined, attributes: {} });

const specs: Readonly<Record<string, TypeSpec>> = {
  'AWS::SQS::Queue': (context) => {
    const fifo = context.prop('FifoQueue') === true || context.prop('FifoQueue') === 'true';
    const given = context.prop('QueueName');
    const name = typeof given === 'string' && given !== '' ? given : `${generatedName(context, fifo ? 75 : 80)}${fifo ? '.fifo' : ''}`;
    const queueUrl = `${context.endpointUrl}/${context.accountId}/${name}`;
    const queueArn = arn(context, 'sqs', name);
    return { physicalId: queueUrl, arn: queueArn, attributes: { QueueName: name, QueueUrl: queueUrl } };
  },
  'AWS::SQS::QueuePolicy': opaque,
  'AWS::SNS::Topic': (context) => {
    const fifo = context.prop('FifoTopic') === true || context.prop('FifoTopic') === 'true';
    const given = context.prop('TopicName');
    const name = typeof given === 'string' && given !== '' ? given : `${generatedName(context, fifo ? 251 : 256)}${fifo ? '.fifo' : ''}`;
    const topicArn = arn(context, 'sns', name);
    return { physicalId: topicArn, arn: topicArn, attributes: { TopicArn: topicArn, TopicName: name } };
  },
  'AWS::SNS::TopicPolicy': opaque,
  'AWS::SNS::Subscription': (context) => {
    const topic = context.prop('TopicArn');
    const subscriptionArn = typeof topic === 'string' ? `${topic}:${uuid(context)}` : arn(context, 'sns', `unknown-topic:${uuid(context)}`);
    return { physicalId: subscriptionArn, arn: subscriptionArn, attributes: {} };
  },
  'AWS::Lambda::Function': (context) => {
    const name = nameFrom(context, 'FunctionName', 64);
    return { physicalId: name, arn: arn(context, 'lambda', `function:${name}`), attributes: {} };
  },
  // Lambda numbers a function's versions from 1; one AWS::Lambda::Version a function is what CDK
  // writes (currentVersion), so the first is 1 (lambda/function-catalog.ts warns about more).
  'AWS::Lambda::Version': (context) => {
    const versionArn = arn(context, 'lambda', `function:${lambdaFunctionName(context.prop('FunctionName'))}:1`);
    return { physicalId: versionArn, arn: versionArn, attributes: { Version: '1', FunctionArn: versionArn } };
  },
  'AWS::Lambda::Alias': (context) => {
    const name = context.prop('Name');
    const aliasArn = arn(context, 'lambda', `function:${lambdaFunctionName(context.prop('FunctionName'))}:${typeof name === 'string' ? name : context.logicalId}`);
    return { physicalId: aliasArn, arn: aliasArn, attributes: { AliasArn: aliasArn } };
  },
  'AWS::Lambda::Permission': opaque,
  'AWS::Lambda::EventInvokeConfig': opaque,
  'AWS::Lambda::EventSourceMapping': (context) => {
    const id = uuid(context);
    return { physicalId: id, arn: undefined, attributes: { Id: id, EventSourceMappingArn: arn(context, 'lambda', `event-source-mapping:${id}`) } };
  },
  'AWS::DynamoDB::Table': (context) => {
    // A template's stream has a fixed label: the model is resolved before any stream exists, and the
    // local DynamoDB creates the stream under this same ARN (dynamodb-streams/from-model.ts).
    const name = nameFrom(context, 'TableName', 255);
    const tableArn = arn(context, 'dynamodb', `table/${name}`);
    const attributes: Record<string, unknown> = {};
    if (context.prop('StreamSpecification') !== undefined) attributes['StreamArn'] = `${tableArn}/stream/${TEMPLATE_STREAM_LABEL}`;
    return { physicalId: name, arn: tableArn, attributes };
  },
  'AWS::IAM::Role': (context) => {
    const name = nameFrom(context, 'RoleName', 64);
    const path = typeof context.prop('Path') === 'string' ? (context.prop('Path') as string) : '/';
    return {
      physicalId: name,
      arn: arn(context, 'iam', `role${path}${name}`, ''),
      attributes: { RoleId: `AROA${code(context, 17, UPPER_ALNUM, '#id')}` },
    };
  },
  'AWS::IAM::Policy': opaque,
  'AWS::IAM::ManagedPolicy': (context) => {
    const name = nameFrom(context, 'ManagedPolicyName', 128);
    const path = typeof context.prop('Path') === 'string' ? (context.prop('Path') as string) : '/';
    const policyArn = arn(context, 'iam', `policy${path}${name}`, '');
    return { physicalId: policyArn, arn: policyArn, attributes: { PolicyArn: policyArn } };
  },
  'AWS::Logs::LogGroup': (context) => {
    const name = nameFrom(context, 'LogGroupName', 512);
    return { physicalId: name, arn: arn(context, 'logs', `log-group:${name}:*`), attributes: {} };
  },
  'AWS::ApiGateway::RestApi': (context) => ({
    physicalId: code(context, 10, LOWER_ALNUM),
    arn: undefined,
    attributes: { RestApiId: code(context, 10, LOWER_ALNUM), RootResourceId: code(context, 10, LOWER_ALNUM, '#root') },
  }),
  'AWS::ApiGateway::Resource': (context) => {
    const id = code(context, 6, LOWER_ALNUM);
    return { physicalId: id, arn: undefined, attributes: { ResourceId: id } };
  },
  'AWS::ApiGateway::Method': opaque,
  'AWS::ApiGateway::Deployment': (context) => {
    const id = code(context, 6, LOWER_ALNUM);
    return { physicalId: id, arn: undefined, attributes: { DeploymentId: id } };
  },
  'AWS::ApiGateway::Stage': (context) => {
    const name = context.prop('StageName');
    return { physicalId: typeof name === 'string' ? name : generatedName(context, 128), arn: undefined, attributes: {} };
  },
  'AWS::ApiGateway::Account': opaque,
  // Ref of a Model is its name; of a RequestValidator, Authorizer, ApiKey or UsagePlan its id.
  'AWS::ApiGateway::Model': (context) => ({ physicalId: nameFrom(context, 'Name', 128), arn: undefined, attributes: {} }),
  'AWS::ApiGateway::RequestValidator': (context) => {
    const id = code(context, 6, LOWER_ALNUM);
    return { physicalId: id, arn: undefined, attributes: { RequestValidatorId: id } };
  },
  'AWS::ApiGateway::GatewayResponse': opaque,
  'AWS::ApiGateway::Authorizer': (context) => {
    const id = code(context, 6, LOWER_ALNUM);
    return { physicalId: id, arn: undefined, attributes: { AuthorizerId: id } };
  },
  'AWS::ApiGateway::ApiKey': (context) => {
    const id = code(context, 10, LOWER_ALNUM);
    return { physicalId: id, arn: undefined, attributes: { APIKeyId: id } };
  },
  'AWS::ApiGateway::UsagePlan': (context) => {
    const id = code(context, 6, LOWER_ALNUM);
    return { physicalId: id, arn: undefined, attributes: { Id: id } };
  },
  'AWS::ApiGateway::UsagePlanKey': opaque,
  'AWS::XRay::Group': (context) => {
    const name = context.prop('GroupName');
    const groupArn = arn(context, 'xray', `group/${typeof name === 'string' ? name : context.logicalId}/${code(context, 26, UPPER_ALNUM)}`);
    return { physicalId: groupArn, arn: groupArn, attributes: { GroupARN: groupArn } };
  },
  'AWS::XRay::SamplingRule': (context) => {
    const ruleArn = arn(context, 'xray', `sampling-rule/${samplingRuleName(context)}`);
    return { physicalId: ruleArn, arn: ruleArn, attributes: { RuleARN: ruleArn } };
  },
  'AWS::Events::EventBus': (context) => {
    const name = nameFrom(context, 'Name', 256);
    const busArn = arn(context, 'events', `event-bus/${name}`);
    return { physicalId: name, arn: busArn, attributes: { Name: name, Arn: busArn } };
  },
  'AWS::Events::Rule': (context) => {
    const name = nameFrom(context, 'Name', 64);
    // EventBusName may be a name or an ARN; a rule of a custom bus is `<bus>|<rule>` to Ref and `rule/<bus>/<rule>` in its ARN.
    const given = context.prop('EventBusName');
    const bus = typeof given === 'string' && given !== '' ? given.slice(given.lastIndexOf('/') + 1) : 'default';
    const custom = bus !== 'default';
    return { physicalId: custom ? `${bus}|${name}` : name, arn: arn(context, 'events', custom ? `rule/${bus}/${name}` : `rule/${name}`), attributes: {} };
  },
  'AWS::CDK::Metadata': opaque,
  // HTTP APIs and function URLs: their URL attributes are the local ones when served, so that
  // environment variables and outputs built on them reach the local listeners.
  'AWS::ApiGatewayV2::Api': (context) => {
    const id = code(context, 10, LOWER_ALNUM);
    const endpoint = context.localUrl ?? `https://${id}.execute-api.${context.region}.amazonaws.com`;
    return { physicalId: id, arn: undefined, attributes: { ApiId: id, ApiEndpoint: endpoint } };
  },
  'AWS::ApiGatewayV2::Route': (context) => ({ physicalId: code(context, 7, LOWER_ALNUM), arn: undefined, attributes: { RouteId: code(context, 7, LOWER_ALNUM) } }),
  'AWS::ApiGatewayV2::Integration': (context) => ({ physicalId: code(context, 7, LOWER_ALNUM), arn: undefined, attributes: { IntegrationId: code(context, 7, LOWER_ALNUM) } }),
  'AWS::ApiGatewayV2::Authorizer': (context) => ({ physicalId: code(context, 6, LOWER_ALNUM), arn: undefined, attributes: { AuthorizerId: code(context, 6, LOWER_ALNUM) } }),
  'AWS::ApiGatewayV2::Deployment': (context) => ({ physicalId: code(context, 6, LOWER_ALNUM), arn: undefined, attributes: { DeploymentId: code(context, 6, LOWER_ALNUM) } }),
  'AWS::ApiGatewayV2::Stage': (context) => {
    const name = context.prop('StageName');
    return { physicalId: typeof name === 'string' ? name : '$default', arn: undefined, attributes: {} };
  },
  'AWS::Lambda::Url': (context) => {
    const target = context.prop('TargetFunctionArn');
    const functionArn = typeof target === 'string' ? target : arn(context, 'lambda', 'function:unknown');
    const url = context.localUrl ?? `https://${functionUrlId(context.stack, context.logicalId)}.lambda-url.${context.region}.on.aws/`;
    return { physicalId: functionArn, arn: undefined, attributes: { FunctionArn: functionArn, FunctionUrl: url } };
  },
};

/** The 32 characters of a function URL's `<url-id>.lambda-url.<region>.on.aws`, the same on every start. */
export function functionUrlId(stack: string, logicalId: string): string {
  const bytes = createHash('sha256').update(`${stack}/${logicalId}#function-url`).digest();
  let out = '';
  for (let i = 0; i < 32; i += 1) out += LOWER_ALNUM[(bytes[i] ?? 0) % LOWER_ALNUM.length];
  return out;
}

/** Names a resource of a type listed here; any other gets an opaque generated id and no ARN. Whether
 *  the type runs locally is support.ts's to say. */
export function nameResource(type: string, context: NamingContext): ResourceNaming {
  return (specs[type] ?? opaque)(context);
}
