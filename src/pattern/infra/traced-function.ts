import { fileURLToPath } from 'node:url';
import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel as BundlingLogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './secure-queue.ts';

/** The handler files in src/pattern/lambdas, one per function of the pattern. */
export type HandlerName = 'dynamo' | 'http' | 'sns-publish' | 'sns-subscribe' | 'sqs-publish' | 'sqs-subscribe';

/** Namespace of every metric the handlers emit through Powertools. */
export const METRICS_NAMESPACE = 'XRayTracer';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const LAMBDAS_DIR = fileURLToPath(new URL('../lambdas/', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** How the handlers are traced: Powertools Tracer (the X-Ray SDK) or the OpenTelemetry SDK. */
export type Instrumentation = 'xray' | 'opentelemetry';

/** The context key (`cdk synth -c instrumentation=opentelemetry`) that chooses it. */
export const INSTRUMENTATION_CONTEXT = 'instrumentation';

/** The context value, checked: unset is `xray`; anything else than the two is refused by name. */
export function instrumentationOf(scope: Construct): Instrumentation {
  const value: unknown = scope.node.tryGetContext(INSTRUMENTATION_CONTEXT);
  if (value === undefined || value === 'xray') return 'xray';
  if (value === 'opentelemetry') return 'opentelemetry';
  throw new Error(`context ${INSTRUMENTATION_CONTEXT} must be "xray" or "opentelemetry", got ${JSON.stringify(value)}`);
}

/**
 * What an OpenTelemetry-instrumented handler needs: the switch its shared module reads and X-Ray's
 * OTLP endpoint in the function's region. That endpoint is authorized as xray:PutTraceSegments,
 * which active tracing already grants, so the role gains nothing.
 */
function instrumentationEnvironment(instrumentation: Instrumentation): Record<string, string> {
  if (instrumentation === 'xray') return {};
  return {
    XRAY_TRACER_INSTRUMENTATION: 'opentelemetry',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `https://xray.${Aws.REGION}.${Aws.URL_SUFFIX}/v1/traces`,
  };
}

/** Where the handler of that name lives. */
export function handlerEntry(handler: HandlerName): string {
  return `${LAMBDAS_DIR}${handler}.ts`;
}

export interface TracedFunctionProps {
  /** Handler file (without `.ts`) under src/pattern/lambdas; it must export `handler`. */
  readonly handler: HandlerName;
  /** Handler-specific environment, added to the Powertools settings. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default Architecture.ARM_64 */
  readonly architecture?: Architecture;
  /** @default RetentionDays.ONE_WEEK */
  readonly logRetention?: RetentionDays;
  /** LOG_LEVEL of the handler's Powertools logger. @default 'INFO' */
  readonly logLevel?: LogLevel;
  /**
   * Topic whose messages invoke the function. The invocation is asynchronous, so the function
   * gets a dead-letter queue, and the subscription gets the same queue as its redrive target:
   * a message is never dropped silently, whether SNS cannot deliver it or the handler fails.
   * @default - not subscribed to any topic
   */
  readonly subscribeTo?: ITopic;
}

/**
 * A Lambda function of the pattern: Node.js 22, active X-Ray tracing, bundled with esbuild,
 * its own log group and a role that starts with nothing but logging to that group and X-Ray.
 * Each flow adds exactly the statements its handler needs.
 */
export class TracedFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Where failed asynchronous invocations and undeliverable SNS messages go, if subscribed. */
  readonly deadLetterQueue: Queue | undefined;

  constructor(scope: Construct, id: string, props: TracedFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Our own role instead of the default one: the default attaches the managed
    // AWSLambdaBasicExecutionRole, which may write to every log group of the account.
    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.deadLetterQueue = props.subscribeTo ? deadLetterQueue(this, 'DeadLetters') : undefined;

    this.function = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.handler),
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      architecture: props.architecture ?? Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      deadLetterQueue: this.deadLetterQueue,
      environment: {
        POWERTOOLS_SERVICE_NAME: `xray-tracer-${props.handler}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        LOG_LEVEL: props.logLevel ?? 'INFO',
        ...instrumentationEnvironment(instrumentationOf(this)),
        ...props.environment,
      },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        logLevel: BundlingLogLevel.WARNING,
        // Bundle the AWS SDK and Powertools instead of using the runtime's copy of the SDK: the
        // version we test is the version that runs, the tracer instruments the very client
        // instances the handler uses, and the local cloud runs the same self-contained file.
        externalModules: [],
        // Some bundled CommonJS dependencies call require() for Node built-ins, which an ES module
        // bundle does not define.
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });

    if (props.subscribeTo) {
      props.subscribeTo.addSubscription(
        new LambdaSubscription(this.function, { deadLetterQueue: this.deadLetterQueue }),
      );
    }

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so active tracing needs Resource "*".',
    });
    const runtimeReason =
      'The pattern is pinned to Node.js 22, the runtime its handlers are bundled for (esbuild target node22) and tested on.';
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions-L1', reason: runtimeReason },
      { id: 'Serverless-LambdaLatestVersion', reason: runtimeReason },
    );
  }
}
