import { App, type Environment } from 'aws-cdk-lib';
import { DynamoFlowStack } from './dynamo-flow-stack.ts';
import { HttpFlowStack } from './http-flow-stack.ts';
import { SnsFlowStack } from './sns-flow-stack.ts';
import { SqsFlowStack } from './sqs-flow-stack.ts';
import { INSTRUMENTATION_CONTEXT, instrumentationOf } from './traced-function.ts';
import type { Instrumentation } from './traced-function.ts';
import { XrayTracerStack } from './xray-tracer-stack.ts';

/** Stack names, as in the original pattern; the templates are `<name>.template.json`. */
export const STACK_NAMES = {
  api: 'TheXrayTracerStack',
  dynamo: 'TheDynamoFlowStack',
  http: 'TheHttpFlowStack',
  sns: 'TheSnsFlowStack',
  sqs: 'TheSqsFlowStack',
} as const;

export interface BuildAppOptions {
  /**
   * Bundle the handlers with esbuild. Off, the functions point at placeholder assets, which
   * is all a template test needs and saves the bundling time.
   * @default true
   */
  readonly bundling?: boolean;
  /** Where `synth()` writes the cloud assembly. @default - the CDK CLI's choice, else a temporary directory */
  readonly outdir?: string;
  /** Variables to read CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The HTTP flow's target. @default DEFAULT_TARGET_URL */
  readonly targetUrl?: string;
  /**
   * Check the synthesized templates against CloudFormation's resource schemas. The check only
   * reports; it takes seconds per synth, which tests that synthesize many times can skip.
   * @default true
   */
  readonly cloudFormationValidation?: boolean;
  /** How the handlers are traced. @default - the `instrumentation` context (`cdk synth -c instrumentation=opentelemetry`), else 'xray' */
  readonly instrumentation?: Instrumentation;
}

export interface PatternApp {
  readonly app: App;
  readonly api: XrayTracerStack;
  readonly dynamo: DynamoFlowStack;
  readonly http: HttpFlowStack;
  readonly sns: SnsFlowStack;
  readonly sqs: SqsFlowStack;
}

/** The whole pattern: the API stack and the four flow stacks that subscribe to its topic. */
export function buildApp(options: BuildAppOptions = {}): PatternApp {
  const app = new App({
    // No AWS::CDK::Metadata resource: the templates hold the pattern and nothing else.
    analyticsReporting: false,
    builtinCloudFormationValidation: options.cloudFormationValidation ?? true,
    ...(options.outdir === undefined ? {} : { outdir: options.outdir }),
    context: {
      // The flow stacks import the fan-out topic with Fn::ImportValue, and the export must stay
      // protected while they use it: say so rather than rely on the default.
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      // An empty list tells NodejsFunction to bundle for no stack at all.
      ...(options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...(options.instrumentation !== undefined ? { [INSTRUMENTATION_CONTEXT]: options.instrumentation } : {}),
    },
  });
  const env = stackEnvironment(options.env ?? process.env);
  // A mistyped -c instrumentation=... fails the synth before any stack is made.
  instrumentationOf(app);

  const api = new XrayTracerStack(app, STACK_NAMES.api, { env });
  const flowProps = { env, fanOutTopic: api.fanOutTopic };
  return {
    app,
    api,
    dynamo: new DynamoFlowStack(app, STACK_NAMES.dynamo, flowProps),
    http: new HttpFlowStack(app, STACK_NAMES.http, { ...flowProps, targetUrl: options.targetUrl }),
    sns: new SnsFlowStack(app, STACK_NAMES.sns, flowProps),
    sqs: new SqsFlowStack(app, STACK_NAMES.sqs, flowProps),
  };
}

/**
 * The account and region the CDK CLI resolved from the caller's credentials, when it found an
 * account; otherwise undefined, which makes the stacks environment-agnostic (deployable
 * anywhere, synthesizable offline). A region alone is ignored: the CLI supplies a default region
 * even without credentials, and pinning an offline synth to a region nobody chose helps no one.
 */
export function stackEnvironment(variables: Readonly<Record<string, string | undefined>>): Environment | undefined {
  const account = nonEmpty(variables.CDK_DEFAULT_ACCOUNT);
  if (account === undefined) return undefined;
  const region = nonEmpty(variables.CDK_DEFAULT_REGION);
  return region === undefined ? { account } : { account, region };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
