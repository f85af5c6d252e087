import type { CloudResource } from '../core/types.ts';
import { blockedRuntimeMessage, hostMismatchWarning } from './runtimes.ts';

/** What the Lambda service needs to run one function. */
export interface LambdaFunctionConfig {
  readonly name: string;
  readonly arn: string;
  /** The template resource, handed to `environmentOverrides`. */
  readonly resource: CloudResource;
  /** LAMBDA_TASK_ROOT: the folder with the bundle (`index.mjs` / `index.js`). */
  readonly codeDirectory: string;
  /** `_HANDLER`, e.g. `index.handler`. */
  readonly handler: string;
  readonly runtime: string;
  readonly memoryMb: number;
  /** Seconds, as in the template (fractions are allowed locally, for tests). */
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly roleArn: string | undefined;
  /** TracingConfig Mode Active: Lambda samples and emits its segments even without an upstream decision. */
  readonly tracingActive: boolean;
  readonly logGroupName: string;
  /** DeadLetterConfig TargetArn. */
  readonly deadLetterTargetArn: string | undefined;
  /** EventInvokeConfig DestinationConfig OnFailure Destination. */
  readonly onFailureDestination: string | undefined;
  /** EventInvokeConfig DestinationConfig OnSuccess Destination. */
  readonly onSuccessDestination?: string | undefined;
  /** EventInvokeConfig MaximumRetryAttempts (0 to 2). */
  readonly maximumRetryAttempts: number;
  /** EventInvokeConfig MaximumEventAgeInSeconds (60 to 21600). */
  readonly maximumEventAgeSeconds: number;
  /** ReservedConcurrentExecutions, if set. */
  readonly reservedConcurrency: number | undefined;
}

/** The template resources a function list is built from (the template reader's resources fit). */
export interface FunctionSource {
  readonly resources: ReadonlyArray<CloudResource & { readonly assetPath?: string | undefined }>;
  byType(type: string): Array<CloudResource & { readonly assetPath?: string | undefined }>;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function numberOr(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}

/**
 * Lambda's configuration of every AWS::Lambda::Function of the model, with its EventInvokeConfig.
 * A function whose code is not a local asset folder cannot run and is reported in `warnings`.
 */
export interface FunctionsFromModelOptions {
  /** Runtimes whose creation AWS blocks at this time are refused. Epoch milliseconds. @default now */
  readonly nowMs?: number;
  /** The Node.js that runs the handlers (`v20.20.2`). @default process.version */
  readonly hostNodeVersion?: string;
}

/**
 * `warnings` name what the templates ask for that is not created or not passed on; `notices` what
 * runs, but differently from Lambda (a runtime's Node.js that is not this machine's), to say at start.
 */
export function lambdaFunctionsFromModel(model: FunctionSource, options: FunctionsFromModelOptions = {}): { functions: LambdaFunctionConfig[]; warnings: string[]; notices: string[] } {
  const nowMs = options.nowMs ?? Date.now();
  const warnings: string[] = [];
  const functions: LambdaFunctionConfig[] = [];
  const invokeConfigs = model.byType('AWS::Lambda::EventInvokeConfig');
  for (const resource of model.byType('AWS::Lambda::Function')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    const properties = resource.properties;
    if (resource.assetPath === undefined) {
      warnings.push(`function ${where} has no local code (no aws:asset:path metadata); it cannot run locally`);
      continue;
    }
    const runtime = typeof properties['Runtime'] === 'string' ? properties['Runtime'] : '';
    if (!runtime.startsWith('nodejs')) {
      warnings.push(`function ${where} uses runtime ${runtime || '(none)'}; only Node.js runtimes run locally`);
      continue;
    }
    const blocked = blockedRuntimeMessage(runtime, nowMs);
    if (blocked !== undefined) {
      // As CloudFormation would fail to create it: the function does not exist.
      warnings.push(`function ${where} (${resource.physicalId}) is not created: InvalidParameterValueException: ${blocked}`);
      continue;
    }
    const variables = record(record(properties['Environment'])['Variables']);
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(variables)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') environment[name] = String(value);
      else warnings.push(`function ${where}: environment variable ${name} did not resolve to a string and is left out`);
    }
    const invokeConfig = invokeConfigs.find((config) => {
      const target = config.properties['FunctionName'];
      return target === resource.physicalId || target === resource.arn;
    });
    const invokeProperties = invokeConfig?.properties ?? {};
    const onFailure = record(record(record(invokeProperties['DestinationConfig'])['OnFailure']))['Destination'];
    const onSuccess = record(record(record(invokeProperties['DestinationConfig'])['OnSuccess']))['Destination'];
    const logGroup = record(properties['LoggingConfig'])['LogGroup'];
    functions.push({
      name: resource.physicalId,
      arn: resource.arn ?? resource.physicalId,
      resource,
      codeDirectory: resource.assetPath,
      handler: typeof properties['Handler'] === 'string' ? properties['Handler'] : 'index.handler',
      runtime,
      memoryMb: numberOr(properties['MemorySize'], 128),
      timeoutSeconds: numberOr(properties['Timeout'], 3),
      environment,
      roleArn: typeof properties['Role'] === 'string' ? properties['Role'] : undefined,
      tracingActive: record(properties['TracingConfig'])['Mode'] === 'Active',
      logGroupName: typeof logGroup === 'string' ? logGroup : `/aws/lambda/${resource.physicalId}`,
      deadLetterTargetArn: ((target) => (typeof target === 'string' ? target : undefined))(record(properties['DeadLetterConfig'])['TargetArn']),
      onFailureDestination: typeof onFailure === 'string' ? onFailure : undefined,
      onSuccessDestination: typeof onSuccess === 'string' ? onSuccess : undefined,
      maximumRetryAttempts: numberOr(invokeProperties['MaximumRetryAttempts'], 2),
      maximumEventAgeSeconds: numberOr(invokeProperties['MaximumEventAgeInSeconds'], 21_600),
      reservedConcurrency: properties['ReservedConcurrentExecutions'] === undefined ? undefined : numberOr(properties['ReservedConcurrentExecutions'], 0),
    });
  }
  const mismatch = hostMismatchWarning(functions, options.hostNodeVersion ?? process.version);
  return { functions, warnings, notices: mismatch === undefined ? [] : [mismatch] };
}
