/**
 * HTTP APIs (`AWS::ApiGatewayV2::Api` with ProtocolType HTTP, their Routes, Integrations, Stages and
 * Authorizers) and function URLs (`AWS::Lambda::Url`) read from the resolved templates into a typed
 * model. What the local cloud cannot run is named in `warnings` (resource and what), never dropped
 * silently.
 */
import { isRecord } from '../../common/is-record.ts';
import type { CloudModel, CloudResource } from '../core/types.ts';

export interface CorsConfig {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number | undefined;
  readonly allowCredentials: boolean;
}

export interface HttpIntegration {
  readonly logicalId: string;
  /** AWS_PROXY (Lambda, or a service with IntegrationSubtype), HTTP_PROXY. */
  readonly type: string;
  readonly uri: string | undefined;
  /** HTTP_PROXY's IntegrationMethod; ANY (or none) passes the request's. */
  readonly method: string | undefined;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly subtype: string | undefined;
  /** HTTP APIs default to and cap at 30 s. */
  readonly timeoutMs: number;
}

export interface HttpAuthorizer {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  /** JWT or REQUEST. */
  readonly type: string;
}

export interface HttpRoute {
  readonly logicalId: string;
  /** As written: `$default`, `GET /items/{id}`, `ANY /{proxy+}`. */
  readonly routeKey: string;
  /** Upper case; `ANY` for any; undefined for `$default`. */
  readonly method: string | undefined;
  /** The path's segments, e.g. ['items', '{id}']; empty for `/` and `$default`. */
  readonly segments: readonly string[];
  readonly integration: HttpIntegration | undefined;
  /** NONE, JWT, CUSTOM or AWS_IAM. */
  readonly authorizationType: string;
  readonly authorizer: HttpAuthorizer | undefined;
}

export interface HttpStage {
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
}

export interface HttpApiDefinition {
  readonly stack: string;
  readonly logicalId: string;
  /** The API id (what Ref returns). */
  readonly id: string;
  readonly name: string;
  readonly cors: CorsConfig | undefined;
  readonly routes: readonly HttpRoute[];
  readonly stages: readonly HttpStage[];
}

export interface FunctionUrlDefinition {
  readonly stack: string;
  readonly logicalId: string;
  /** The function's name or ARN, with a qualifier when one is given. */
  readonly functionName: string;
  /** The 32 characters of `<url-id>.lambda-url.<region>.on.aws`. */
  readonly urlId: string;
  /** NONE or AWS_IAM. */
  readonly authType: string;
  readonly cors: CorsConfig | undefined;
  /** BUFFERED; RESPONSE_STREAM is refused (warnings). */
  readonly invokeMode: string;
}

const MAX_TIMEOUT_MS = 30_000;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An HTTP API's CorsConfiguration and a function URL's Cors use the same names. */
export function corsConfig(value: unknown): CorsConfig | undefined {
  if (!isRecord(value)) return undefined;
  const maxAge = Number(value['MaxAge']);
  return {
    allowOrigins: strings(value['AllowOrigins']),
    allowMethods: strings(value['AllowMethods']).map((method) => method.toUpperCase()),
    allowHeaders: strings(value['AllowHeaders']).map((name) => name.toLowerCase()),
    exposeHeaders: strings(value['ExposeHeaders']).map((name) => name.toLowerCase()),
    maxAgeSeconds: value['MaxAge'] !== undefined && Number.isFinite(maxAge) ? maxAge : undefined,
    allowCredentials: value['AllowCredentials'] === true || value['AllowCredentials'] === 'true',
  };
}

/** `GET /items/{id}` as its method and path segments; undefined when malformed. */
export function parseRouteKey(routeKey: string): { method: string | undefined; segments: string[] } | undefined {
  if (routeKey === '$default') return { method: undefined, segments: [] };
  const match = /^([A-Za-z]+) (\/\S*)$/.exec(routeKey);
  if (!match?.[1] || match[2] === undefined) return undefined;
  return { method: match[1].toUpperCase(), segments: match[2].split('/').filter((segment) => segment !== '') };
}

function readIntegration(resource: CloudResource): HttpIntegration {
  const p = resource.properties;
  const version = p['PayloadFormatVersion'];
  const type = (text(p['IntegrationType']) ?? 'AWS_PROXY').toUpperCase();
  const timeout = Number(p['TimeoutInMillis']);
  return {
    logicalId: resource.logicalId,
    type,
    uri: text(p['IntegrationUri']),
    method: text(p['IntegrationMethod'])?.toUpperCase(),
    // Lambda proxies need a version (CDK writes one); HTTP proxies only know 1.0.
    payloadFormatVersion: version === '2.0' ? '2.0' : '1.0',
    subtype: text(p['IntegrationSubtype']),
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.min(timeout, MAX_TIMEOUT_MS) : MAX_TIMEOUT_MS,
  };
}

function apiIdOf(resource: CloudResource): string | undefined {
  return text(resource.properties['ApiId']);
}

/** Every HTTP API of the model with its routes, integrations, stages and authorizers. */
export function readHttpApis(model: CloudModel): { apis: HttpApiDefinition[]; warnings: string[] } {
  const warnings: string[] = [];
  const byApi = <T>(type: string, read: (resource: CloudResource) => T): Map<string, Array<{ resource: CloudResource; value: T }>> => {
    const out = new Map<string, Array<{ resource: CloudResource; value: T }>>();
    for (const resource of model.byType(type)) {
      const apiId = apiIdOf(resource);
      if (apiId === undefined) continue;
      const list = out.get(apiId) ?? [];
      list.push({ resource, value: read(resource) });
      out.set(apiId, list);
    }
    return out;
  };
  const integrations = byApi('AWS::ApiGatewayV2::Integration', readIntegration);
  const authorizers = byApi('AWS::ApiGatewayV2::Authorizer', (resource): HttpAuthorizer => ({
    logicalId: resource.logicalId,
    id: resource.physicalId,
    name: text(resource.properties['Name']) ?? resource.logicalId,
    type: (text(resource.properties['AuthorizerType']) ?? 'JWT').toUpperCase(),
  }));
  const stages = byApi('AWS::ApiGatewayV2::Stage', (resource): HttpStage => ({
    name: text(resource.properties['StageName']) ?? '$default',
    variables: Object.fromEntries(Object.entries(isRecord(resource.properties['StageVariables']) ? resource.properties['StageVariables'] : {})
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
  }));
  const routes = byApi('AWS::ApiGatewayV2::Route', (resource) => resource);

  const apis: HttpApiDefinition[] = [];
  for (const resource of model.byType('AWS::ApiGatewayV2::Api')) {
    const p = resource.properties;
    const where = `${resource.stack}/${resource.logicalId}`;
    const protocol = text(p['ProtocolType'])?.toUpperCase();
    if (protocol !== 'HTTP') {
      warnings.push(`${where}: ${protocol ?? 'an'} API (ProtocolType ${protocol ?? 'missing'}) is not served: the local cloud runs HTTP APIs only`);
      continue;
    }
    if (p['Body'] !== undefined || p['BodyS3Location'] !== undefined) {
      warnings.push(`${where}: an OpenAPI definition (Body/BodyS3Location) is not read: only the Route and Integration resources are served`);
    }
    const id = resource.physicalId;
    const apiIntegrations = new Map((integrations.get(id) ?? []).map(({ resource: integration, value }) => [integration.physicalId, value]));
    const apiAuthorizers = new Map((authorizers.get(id) ?? []).map(({ resource: authorizer, value }) => [authorizer.physicalId, value]));
    const apiRoutes: HttpRoute[] = [];
    const apiStages: HttpStage[] = (stages.get(id) ?? []).map(({ value }) => value);

    // Quick create: Target makes a `$default` route (or RouteKey's), its proxy integration and the `$default` stage.
    const target = text(p['Target']);
    if (target !== undefined) {
      const routeKey = text(p['RouteKey']) ?? '$default';
      const parsed = parseRouteKey(routeKey);
      const isLambda = !/^https?:\/\//i.test(target);
      if (parsed !== undefined) {
        apiRoutes.push({
          logicalId: resource.logicalId,
          routeKey,
          ...parsed,
          integration: {
            logicalId: resource.logicalId,
            type: isLambda ? 'AWS_PROXY' : 'HTTP_PROXY',
            uri: target,
            method: isLambda ? undefined : 'ANY',
            payloadFormatVersion: isLambda ? '2.0' : '1.0',
            subtype: undefined,
            timeoutMs: MAX_TIMEOUT_MS,
          },
          authorizationType: 'NONE',
          authorizer: undefined,
        });
      } else {
        warnings.push(`${where}: RouteKey ${JSON.stringify(routeKey)} is not a route key ("$default" or "METHOD /path")`);
      }
      if (!apiStages.some((stage) => stage.name === '$default')) apiStages.push({ name: '$default', variables: {} });
    }

    for (const { resource: route } of routes.get(id) ?? []) {
      const rp = route.properties;
      const routeWhere = `${route.stack}/${route.logicalId}`;
      const routeKey = text(rp['RouteKey']) ?? '';
      const parsed = parseRouteKey(routeKey);
      if (parsed === undefined) {
        warnings.push(`${routeWhere}: RouteKey ${JSON.stringify(routeKey)} is not a route key ("$default" or "METHOD /path"): the route is not served`);
        continue;
      }
      const targetText = text(rp['Target']);
      const integrationId = targetText?.startsWith('integrations/') ? targetText.slice('integrations/'.length) : undefined;
      const integration = integrationId === undefined ? undefined : apiIntegrations.get(integrationId);
      if (integration === undefined) {
        warnings.push(`${routeWhere}: route ${routeKey} has no integration the local cloud knows (Target ${JSON.stringify(targetText ?? null)}): it answers 500`);
      }
      const authorizationType = (text(rp['AuthorizationType']) ?? 'NONE').toUpperCase();
      const authorizerId = text(rp['AuthorizerId']);
      apiRoutes.push({
        logicalId: route.logicalId,
        routeKey,
        ...parsed,
        integration,
        authorizationType,
        authorizer: authorizerId === undefined ? undefined : apiAuthorizers.get(authorizerId),
      });
    }

    for (const route of apiRoutes) {
      const routeWhere = `${resource.stack}/${route.logicalId}`;
      if (route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') {
        const kind = route.authorizationType === 'JWT' ? 'JWT' : 'Lambda (REQUEST)';
        warnings.push(`${routeWhere}: route ${route.routeKey} of API ${String(p['Name'] ?? resource.logicalId)} uses the ${kind} authorizer ` +
          `${JSON.stringify(route.authorizer?.name ?? 'unknown')}, which the local cloud does not run: its requests are answered 500 naming it, never let through`);
      }
      const integration = route.integration;
      if (integration === undefined) continue;
      if (integration.type === 'AWS_PROXY' && integration.subtype !== undefined) {
        warnings.push(`${routeWhere}: route ${route.routeKey}: the AWS service integration ${integration.subtype} is not run locally: it answers 500`);
      } else if (integration.type !== 'AWS_PROXY' && integration.type !== 'HTTP_PROXY') {
        warnings.push(`${routeWhere}: route ${route.routeKey}: integration type ${integration.type} is not run locally: it answers 500`);
      }
    }
    if (apiStages.length === 0) warnings.push(`${where}: HTTP API ${String(p['Name'] ?? resource.logicalId)} has no stage: every request answers 404 as on AWS`);

    apis.push({
      stack: resource.stack,
      logicalId: resource.logicalId,
      id,
      name: text(p['Name']) ?? resource.logicalId,
      cors: corsConfig(p['CorsConfiguration']),
      routes: apiRoutes,
      stages: apiStages,
    });
  }
  return { apis, warnings };
}

/** Every function URL of the model; RESPONSE_STREAM ones are named in `warnings` and left out. */
export function readFunctionUrls(model: CloudModel, urlIdOf: (resource: CloudResource) => string): { urls: FunctionUrlDefinition[]; warnings: string[] } {
  const warnings: string[] = [];
  const urls: FunctionUrlDefinition[] = [];
  for (const resource of model.byType('AWS::Lambda::Url')) {
    const p = resource.properties;
    const where = `${resource.stack}/${resource.logicalId}`;
    const target = text(p['TargetFunctionArn']);
    if (target === undefined) {
      warnings.push(`${where}: the function URL's TargetFunctionArn does not resolve to a function: it is not served`);
      continue;
    }
    const invokeMode = (text(p['InvokeMode']) ?? 'BUFFERED').toUpperCase();
    if (invokeMode !== 'BUFFERED') {
      warnings.push(`${where}: function URL with InvokeMode ${invokeMode} is not served: the local cloud runs BUFFERED function URLs only (no response streaming)`);
      continue;
    }
    const authType = (text(p['AuthType']) ?? 'NONE').toUpperCase();
    const qualifier = text(p['Qualifier']);
    urls.push({
      stack: resource.stack,
      logicalId: resource.logicalId,
      functionName: qualifier === undefined || target.split(':').length > 7 ? target : `${target}:${qualifier}`,
      urlId: urlIdOf(resource),
      authType,
      cors: corsConfig(p['Cors']),
      invokeMode,
    });
  }
  return { urls, warnings };
}
