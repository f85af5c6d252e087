import type { LambdaInvoker } from '../core/types.ts';
import type { RestApi } from './api-model.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';
import { invokeFunction } from './lambda-invoke.ts';
import type { InvokeDeps } from './lambda-invoke.ts';
import { functionFromUri } from './lambda-proxy.ts';
import { headerValue } from './mapping-variables.ts';
import type { AuthorizerSpec } from './method-options.ts';
import type { IntegrationCall } from './stage-segment.ts';

/**
 * Lambda authorizers (`AWS::ApiGateway::Authorizer` Type TOKEN and REQUEST) as API Gateway runs
 * them for REST APIs: the identity sources are read (a missing one is 401 Unauthorized without a
 * call; for REQUEST authorizers only while caching is on), a TOKEN's IdentityValidationExpression
 * must match the token, the function gets the documented event, and its policy decides:
 * an explicit Deny on the method ARN -> 403, an Allow -> through, neither -> 403; the function
 * failing with "Unauthorized" -> 401; any other failure or a malformed output -> 500
 * AuthorizerConfigurationException. The output is cached per identity for
 * AuthorizerResultTtlInSeconds (default 300, 0 = off), and the cached policy is evaluated against
 * each request's method ARN, as AWS does.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html
 */

export interface AuthorizerRequest {
  /** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<VERB>/<path>`. */
  readonly methodArn: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly context: Readonly<Record<string, unknown>>;
  /** The REQUEST event without `type` and `methodArn` (the proxy event's fields less the body). */
  readonly requestEvent: () => Record<string, unknown>;
  readonly region: string;
  readonly sourceArn: string;
  readonly timeoutMs: number;
  readonly trace: { readonly root: string; readonly sampled: boolean } | undefined;
}

/** What the integration sees of an authorized request: `$context.authorizer.*`, requestContext.authorizer. */
export interface AuthorizerContext {
  readonly principalId: string;
  readonly values: Readonly<Record<string, string | number | boolean>>;
  /** For API keys from the authorizer (ApiKeySourceType AUTHORIZER). */
  readonly usageIdentifierKey: string | undefined;
}

export type AuthorizerOutcome =
  | { readonly allowed: true; readonly context: AuthorizerContext; readonly call: IntegrationCall | undefined }
  | { readonly allowed: false; readonly answer: GatewayAnswer; readonly failure: string; readonly call: IntegrationCall | undefined };

interface Policy {
  readonly principalId: string;
  readonly statements: ReadonlyArray<{ readonly effect: 'Allow' | 'Deny'; readonly actions: string[]; readonly resources: string[] }>;
  readonly context: Readonly<Record<string, string | number | boolean>>;
  readonly usageIdentifierKey: string | undefined;
}

export class Authorizers {
  private readonly cache = new Map<string, { readonly policy: Policy; readonly expiresMs: number }>();

  constructor(private readonly lambda: LambdaInvoker | undefined, private readonly deps: InvokeDeps) {}

  /** Warnings for the methods whose authorization does not run here (Cognito, IAM, unknown authorizers). */
  static warnings(api: RestApi): string[] {
    const out: string[] = [];
    const visit = (resource: RestApi['root']): void => {
      for (const method of resource.methods.values()) {
        const problem = unsupported(api, method.options.authorizationType, method.options.authorizerId);
        if (problem !== undefined) out.push(`${api.name}: ${method.httpMethod} ${resource.path} (${method.logicalId}): ${problem}; requests to it answer 500`);
      }
      for (const child of resource.children) visit(child);
    };
    visit(api.root);
    return out;
  }

  async authorize(api: RestApi, authorizationType: string, authorizerId: string | undefined, request: AuthorizerRequest): Promise<AuthorizerOutcome | undefined> {
    if (authorizationType === 'NONE') return undefined;
    const problem = unsupported(api, authorizationType, authorizerId);
    if (problem !== undefined) return refuse(answers.notImplemented(problem), problem);
    const spec = api.extras.authorizers.get(authorizerId ?? '') as AuthorizerSpec;

    const identity = identityOf(spec, request);
    if (identity === undefined) return refuse(answers.unauthorized(), `${spec.name}: an identity source is missing`);
    if (spec.type === 'TOKEN' && spec.validationExpression !== undefined && !fullMatch(spec.validationExpression, identity[0] ?? '')) {
      return refuse(answers.unauthorized(), `${spec.name}: the token does not match the IdentityValidationExpression`);
    }
    const key = `${spec.id}\u0000${identity.join('\u0000')}`;
    const nowMs = this.deps.nowMs();
    const cached = spec.ttlSeconds > 0 && identity.length > 0 ? this.cache.get(key) : undefined;
    let call: IntegrationCall | undefined;
    let policy: Policy;
    if (cached !== undefined && cached.expiresMs > nowMs) policy = cached.policy;
    else {
      const invoked = await this.invoke(spec, request);
      if ('answer' in invoked) return { allowed: false, ...invoked };
      ({ policy, call } = invoked);
      if (spec.ttlSeconds > 0 && identity.length > 0) this.cache.set(key, { policy, expiresMs: nowMs + spec.ttlSeconds * 1000 });
    }
    const decision = evaluate(policy, request.methodArn);
    if (decision === 'Allow') return { allowed: true, context: { principalId: policy.principalId, values: policy.context, usageIdentifierKey: policy.usageIdentifierKey }, call };
    const explicit = decision === 'Deny';
    return {
      allowed: false,
      answer: answers.accessDenied(explicit),
      failure: `${spec.name}: the policy of ${policy.principalId} ${explicit ? 'denies' : 'does not allow'} ${request.methodArn}`,
      call,
    };
  }

  private async invoke(spec: AuthorizerSpec, request: AuthorizerRequest): Promise<{ policy: Policy; call: IntegrationCall | undefined } | { answer: GatewayAnswer; failure: string; call: IntegrationCall | undefined }> {
    const functionName = functionFromUri(spec.uri ?? '', request.stageVariables);
    const configError = (why: string, call?: IntegrationCall): { answer: GatewayAnswer; failure: string; call: IntegrationCall | undefined } =>
      ({ answer: answers.authorizerConfigurationError(), failure: `${spec.name}: ${why}`, call });
    if (functionName === undefined) return configError(`AuthorizerUri "${spec.uri ?? ''}" names no Lambda function`);
    if (this.lambda === undefined) return configError('no Lambda service to invoke');
    const event = spec.type === 'TOKEN'
      ? { type: 'TOKEN', methodArn: request.methodArn, authorizationToken: identityOf(spec, request)?.[0] ?? '' }
      : { type: 'REQUEST', methodArn: request.methodArn, ...request.requestEvent() };
    const outcome = await invokeFunction(this.lambda, {
      functionName, payload: event, invocationType: 'RequestResponse', region: request.region,
      sourceArn: request.sourceArn, timeoutMs: request.timeoutMs, trace: request.trace,
    }, this.deps);
    if (outcome.kind === 'failed') return { answer: answers.authorizerConfigurationError(), failure: `${spec.name}: ${outcome.failure}`, call: outcome.call };
    const { result } = outcome;
    if (result.functionError !== undefined) {
      const message = typeof (result.payload as { errorMessage?: unknown } | undefined)?.errorMessage === 'string'
        ? (result.payload as { errorMessage: string }).errorMessage
        : result.errorMessage ?? '';
      // The documented way to refuse: fail with exactly "Unauthorized".
      if (message === 'Unauthorized') return { answer: answers.unauthorized(), failure: `${spec.name}: the authorizer answered Unauthorized`, call: outcome.call };
      return configError(`the authorizer function failed: ${message}`, outcome.call);
    }
    const policy = parsePolicy(result.payload);
    if (typeof policy === 'string') return configError(`invalid authorizer output: ${policy}`, outcome.call);
    return { policy, call: outcome.call };
  }
}

function refuse(answer: GatewayAnswer, failure: string): AuthorizerOutcome {
  return { allowed: false, answer, failure, call: undefined };
}

function unsupported(api: RestApi, authorizationType: string, authorizerId: string | undefined): string | undefined {
  if (authorizationType === 'NONE') return undefined;
  if (authorizationType === 'AWS_IAM') return 'AuthorizationType AWS_IAM (SigV4 callers) is not supported by the local API Gateway';
  if (authorizationType === 'COGNITO_USER_POOLS') {
    const spec = api.extras.authorizers.get(authorizerId ?? '');
    return `Cognito user pool authorizer ${spec?.logicalId ?? authorizerId ?? '(none)'} (AuthorizationType COGNITO_USER_POOLS) is not supported by the local API Gateway`;
  }
  if (authorizationType !== 'CUSTOM') return `AuthorizationType ${authorizationType} is not supported by the local API Gateway`;
  const spec = api.extras.authorizers.get(authorizerId ?? '');
  if (spec === undefined) return `AuthorizerId ${authorizerId ?? '(none)'} names no AWS::ApiGateway::Authorizer of the API`;
  if (spec.type === 'COGNITO_USER_POOLS') return `Cognito user pool authorizer ${spec.logicalId} is not supported by the local API Gateway`;
  if (spec.type !== 'TOKEN' && spec.type !== 'REQUEST') return `authorizer ${spec.logicalId} of Type ${spec.type} is not supported by the local API Gateway`;
  return undefined;
}

/** The identity source values, or undefined when one that must be there is missing or empty. */
function identityOf(spec: AuthorizerSpec, request: AuthorizerRequest): string[] | undefined {
  const values: string[] = [];
  for (const source of spec.identitySources) {
    let value: string | undefined;
    const header = /^method\.request\.header\.(.+)$/i.exec(source);
    const query = /^method\.request\.(?:multivalue)?querystring\.(.+)$/i.exec(source);
    if (header?.[1] !== undefined) value = headerValue(request.headers, header[1]);
    else if (query?.[1] !== undefined) value = request.query[query[1]];
    else if (source.startsWith('stageVariables.')) value = request.stageVariables[source.slice('stageVariables.'.length)];
    else if (source.startsWith('context.')) {
      const found = source.slice('context.'.length).split('.').reduce<unknown>((at, part) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[part] : undefined), request.context);
      value = found === undefined || found === null ? undefined : String(found);
    }
    if (value === undefined || value === '') {
      // A TOKEN authorizer always needs its token; a REQUEST one only while its results are cached.
      if (spec.type === 'TOKEN' || spec.ttlSeconds > 0) return undefined;
      continue;
    }
    values.push(value);
  }
  return values;
}

function parsePolicy(payload: unknown): Policy | string {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'the output is not a JSON object';
  const output = payload as Record<string, unknown>;
  const principalId = output.principalId;
  if (typeof principalId !== 'string' && typeof principalId !== 'number') return 'principalId is missing';
  const document = output.policyDocument as { Statement?: unknown } | undefined;
  if (typeof document !== 'object' || document === null) return 'policyDocument is missing';
  const rawStatements = Array.isArray(document.Statement) ? document.Statement : document.Statement === undefined ? [] : [document.Statement];
  const statements: Policy['statements'][number][] = [];
  for (const raw of rawStatements) {
    if (typeof raw !== 'object' || raw === null) return 'a Statement is not an object';
    const statement = raw as Record<string, unknown>;
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') return `Effect ${JSON.stringify(statement.Effect) ?? 'undefined'} is neither Allow nor Deny`;
    statements.push({ effect: statement.Effect, actions: strings(statement.Action), resources: strings(statement.Resource) });
  }
  const context: Record<string, string | number | boolean> = {};
  if (output.context !== undefined && output.context !== null) {
    if (typeof output.context !== 'object' || Array.isArray(output.context)) return 'context is not an object';
    for (const [name, value] of Object.entries(output.context as Record<string, unknown>)) {
      // Only strings, numbers and booleans: an object or array in context is an invalid output on AWS.
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return `context.${name} is not a string, number or boolean`;
      context[name] = value;
    }
  }
  return {
    principalId: String(principalId),
    statements,
    context,
    usageIdentifierKey: typeof output.usageIdentifierKey === 'string' ? output.usageIdentifierKey : undefined,
  };
}

function strings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((entry): entry is string => typeof entry === 'string');
}

/** An explicit Deny wins over any Allow; neither is an implicit deny (undefined). */
function evaluate(policy: Policy, methodArn: string): 'Allow' | 'Deny' | undefined {
  const applies = (statement: Policy['statements'][number]): boolean =>
    statement.actions.some((action) => glob(action.toLowerCase(), 'execute-api:invoke')) &&
    statement.resources.some((resource) => glob(resource, methodArn));
  if (policy.statements.some((statement) => statement.effect === 'Deny' && applies(statement))) return 'Deny';
  if (policy.statements.some((statement) => statement.effect === 'Allow' && applies(statement))) return 'Allow';
  return undefined;
}

/** IAM's wildcards: `*` any run of characters (slashes included), `?` one character. */
function glob(pattern: string, text: string): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(text);
}

function fullMatch(pattern: string, text: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(text);
  } catch {
    return false;
  }
}
