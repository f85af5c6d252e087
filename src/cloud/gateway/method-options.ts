import type { CloudModel, CloudResource } from '../core/types.ts';
import type { Schema } from './json-schema.ts';
import { methodRefusal } from './unsupported.ts';
import { record, stringRecord, text } from './property-values.ts';
import { ResourcePolicy } from './resource-policy.ts';

/**
 * What a REST API declares beyond routes and integrations: each method's request parameters
 * (required or not), request validator and models, authorization and API key requirement; each
 * API's models, gateway responses and authorizers. Read from AWS::ApiGateway::Method,
 * RequestValidator, Model, GatewayResponse and Authorizer.
 */

export interface MethodOptions {
  /** `method.request.header|querystring|path.<name>` -> required. */
  readonly requestParameters: Readonly<Record<string, boolean>>;
  readonly validateBody: boolean;
  readonly validateParameters: boolean;
  /** Content type (or `$default`) -> model name. */
  readonly requestModels: Readonly<Record<string, string>>;
  /** NONE, CUSTOM, COGNITO_USER_POOLS, AWS_IAM. */
  readonly authorizationType: string;
  readonly authorizerId: string | undefined;
  readonly apiKeyRequired: boolean;
  /** Why the method's requests are refused (a declaration that does not run here), if so. */
  readonly refusal: string | undefined;
}

export interface GatewayResponseSpec {
  readonly logicalId: string;
  readonly statusCode: string | undefined;
  /** `gatewayresponse.header.<name>` -> a literal or a `method.request.*`/`stageVariables.*`/`context.*` source. */
  readonly responseParameters: Readonly<Record<string, string>>;
  readonly responseTemplates: Readonly<Record<string, string>>;
}

export interface AuthorizerSpec {
  readonly id: string;
  readonly logicalId: string;
  readonly name: string;
  /** TOKEN, REQUEST or COGNITO_USER_POOLS. */
  readonly type: string;
  readonly uri: string | undefined;
  /** `method.request.header.Auth`, `method.request.querystring.q`, `stageVariables.x`, `context.x`. */
  readonly identitySources: ReadonlyArray<string>;
  readonly validationExpression: string | undefined;
  readonly ttlSeconds: number;
}

export interface ApiExtras {
  readonly models: ReadonlyMap<string, Schema>;
  /** By ResponseType, e.g. DEFAULT_4XX. */
  readonly gatewayResponses: ReadonlyMap<string, GatewayResponseSpec>;
  readonly authorizers: ReadonlyMap<string, AuthorizerSpec>;
  /** HEADER (x-api-key) or AUTHORIZER (the authorizer's usageIdentifierKey). */
  readonly apiKeySource: string;
  /** The RestApi's resource policy, or why it cannot be evaluated here. */
  readonly policy: ResourcePolicy | { readonly unsupported: string } | undefined;
  /** DisableExecuteApiEndpoint: the API answers only on custom domains, which do not run here. */
  readonly executeApiEndpointDisabled: boolean;
}

/** API Gateway's default result cache time for authorizers (seconds). */
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;

export function readMethodOptions(model: CloudModel, method: CloudResource): MethodOptions {
  const properties = method.properties;
  const validatorId = text(properties.RequestValidatorId);
  const validator = validatorId === undefined
    ? undefined
    : model.byType('AWS::ApiGateway::RequestValidator').find((candidate) => candidate.physicalId === validatorId);
  const requestParameters: Record<string, boolean> = {};
  for (const [name, required] of Object.entries(record(properties.RequestParameters) ?? {})) requestParameters[name] = required === true || required === 'true';
  return {
    requestParameters,
    validateBody: truthy(validator?.properties.ValidateRequestBody),
    validateParameters: truthy(validator?.properties.ValidateRequestParameters),
    requestModels: stringRecord(properties.RequestModels),
    authorizationType: (text(properties.AuthorizationType) ?? 'NONE').toUpperCase(),
    authorizerId: text(properties.AuthorizerId),
    apiKeyRequired: truthy(properties.ApiKeyRequired),
    refusal: methodRefusal(method),
  };
}

export function readApiExtras(model: CloudModel, api: CloudResource, warnings: string[]): ApiExtras {
  const mine = (type: string): CloudResource[] => model.byType(type).filter((resource) => text(resource.properties.RestApiId) === api.physicalId);
  const models = new Map<string, Schema>();
  for (const resource of mine('AWS::ApiGateway::Model')) {
    const raw = resource.properties.Schema;
    let schema: unknown = raw ?? {};
    if (typeof raw === 'string') {
      try {
        schema = JSON.parse(raw) as unknown;
      } catch {
        warnings.push(`${resource.stack}/${resource.logicalId}: model Schema is not JSON; requests it validates are refused`);
        schema = false;
      }
    }
    models.set(resource.physicalId, typeof schema === 'object' && schema !== null ? schema as Schema : schema === false ? false : {});
  }
  // The models every API has.
  if (!models.has('Empty')) models.set('Empty', {});
  if (!models.has('Error')) models.set('Error', { type: 'object', properties: { message: { type: 'string' } } });

  const gatewayResponses = new Map<string, GatewayResponseSpec>();
  for (const resource of mine('AWS::ApiGateway::GatewayResponse')) {
    const type = text(resource.properties.ResponseType);
    if (type === undefined) continue;
    gatewayResponses.set(type, {
      logicalId: resource.logicalId,
      statusCode: text(resource.properties.StatusCode),
      responseParameters: stringRecord(resource.properties.ResponseParameters),
      responseTemplates: stringRecord(resource.properties.ResponseTemplates),
    });
  }

  const authorizers = new Map<string, AuthorizerSpec>();
  for (const resource of mine('AWS::ApiGateway::Authorizer')) {
    const type = (text(resource.properties.Type) ?? 'TOKEN').toUpperCase();
    const ttl = Number(resource.properties.AuthorizerResultTtlInSeconds);
    const source = text(resource.properties.IdentitySource);
    authorizers.set(resource.physicalId, {
      id: resource.physicalId,
      logicalId: resource.logicalId,
      name: text(resource.properties.Name) ?? resource.logicalId,
      type,
      uri: text(resource.properties.AuthorizerUri),
      identitySources: (source ?? (type === 'TOKEN' ? 'method.request.header.Authorization' : '')).split(',').map((part) => part.trim()).filter((part) => part !== ''),
      validationExpression: text(resource.properties.IdentityValidationExpression),
      ttlSeconds: resource.properties.AuthorizerResultTtlInSeconds === undefined || !Number.isFinite(ttl) ? DEFAULT_AUTHORIZER_TTL_SECONDS : ttl,
    });
  }
  const policy = api.properties.Policy === undefined ? undefined : ResourcePolicy.read(api.properties.Policy);
  if (policy !== undefined && 'unsupported' in policy) {
    warnings.push(`${api.stack}/${api.logicalId}: RestApi Policy (resource policy): ${policy.unsupported}; requests to the API answer 500`);
  }
  const executeApiEndpointDisabled = truthy(api.properties.DisableExecuteApiEndpoint);
  if (executeApiEndpointDisabled) {
    warnings.push(`${api.stack}/${api.logicalId}: RestApi DisableExecuteApiEndpoint is true: the API answers only on custom domain names, which the local API Gateway does not serve; its requests answer 403 Forbidden`);
  }
  return { models, gatewayResponses, authorizers, apiKeySource: (text(api.properties.ApiKeySourceType) ?? 'HEADER').toUpperCase(), policy, executeApiEndpointDisabled };
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}
