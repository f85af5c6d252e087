import type { CloudModel, CloudResource } from '../core/types.ts';
import { readApiExtras, readMethodOptions } from './method-options.ts';
import { record, stringRecord, text } from './property-values.ts';
import { unsupportedApiWarnings } from './unsupported.ts';
import type { ApiExtras, MethodOptions } from './method-options.ts';

/**
 * The REST APIs of a CloudModel as the gateway serves them: each API's resource tree with its
 * methods and integrations, and its stages. Reads AWS::ApiGateway::RestApi, Resource, Method, Stage
 * and (for the older inline form) Deployment.StageName.
 */

export type PassthroughBehavior = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';

export interface IntegrationResponse {
  readonly statusCode: string;
  /** A Java regular expression matched against the backend's status code; none for the default. */
  readonly selectionPattern: string | undefined;
  readonly responseTemplates: Readonly<Record<string, string>>;
  readonly responseParameters: Readonly<Record<string, string>>;
}

export interface Integration {
  /** AWS, AWS_PROXY (Lambda), MOCK (served); HTTP, HTTP_PROXY (not served here). */
  readonly type: string;
  readonly uri: string | undefined;
  readonly httpMethod: string | undefined;
  /** The role API Gateway assumes to call the service. */
  readonly credentials: string | undefined;
  readonly requestTemplates: Readonly<Record<string, string>>;
  readonly requestParameters: Readonly<Record<string, string>>;
  readonly passthroughBehavior: PassthroughBehavior;
  readonly responses: ReadonlyArray<IntegrationResponse>;
  readonly timeoutMillis: number;
  /** HTTP integrations: TlsConfig.InsecureSkipVerification. */
  readonly insecureSkipVerification: boolean;
  /** INTERNET, or VPC_LINK (not served here). */
  readonly connectionType: string;
}

export interface ApiMethod {
  readonly logicalId: string;
  readonly httpMethod: string;
  readonly integration: Integration | undefined;
  readonly options: MethodOptions;
}

export interface ApiResource {
  readonly id: string;
  readonly pathPart: string;
  /** The full path template, e.g. `/` or `/{proxy+}`. */
  readonly path: string;
  readonly children: ApiResource[];
  /** Keyed by upper-case HTTP method, `ANY` included. */
  readonly methods: Map<string, ApiMethod>;
}

export interface Throttling {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface ApiStage {
  readonly name: string;
  readonly tracingEnabled: boolean;
  readonly variables: Readonly<Record<string, string>>;
  /** The throttling limits for a method, from MethodSettings (`/*` and `*` match every method). */
  throttlingFor(resourcePath: string, httpMethod: string): Throttling | undefined;
  /** MethodSettings MetricsEnabled for a method: CloudWatch's per-method metrics (detailed metrics). */
  metricsEnabledFor(resourcePath: string, httpMethod: string): boolean;
}

export interface RestApi {
  readonly id: string;
  readonly name: string;
  readonly root: ApiResource;
  readonly stages: ReadonlyArray<ApiStage>;
  /** BinaryMediaTypes: request bodies of these types reach a Lambda proxy base64-encoded. */
  readonly binaryMediaTypes: ReadonlyArray<string>;
  /** Models, gateway responses, authorizers. */
  readonly extras: ApiExtras;
}

/** API Gateway's default integration timeout (29 s). */
export const DEFAULT_TIMEOUT_MILLIS = 29_000;

const SERVED_INTEGRATIONS = new Set(['AWS', 'MOCK', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY']);

export function readRestApis(model: CloudModel): { apis: RestApi[]; warnings: string[] } {
  const warnings: string[] = [];
  const apis: RestApi[] = [];
  const resources = model.byType('AWS::ApiGateway::Resource');
  const methods = model.byType('AWS::ApiGateway::Method');
  const resourceIds = new Set(resources.map((resource) => resource.physicalId));

  for (const api of model.byType('AWS::ApiGateway::RestApi')) {
    const where = `${api.stack}/${api.logicalId}`;
    const root: ApiResource = { id: `${api.physicalId}-root`, pathPart: '', path: '/', children: [], methods: new Map() };
    const byId = new Map<string, ApiResource>();
    const mine = resources.filter((resource) => text(resource.properties.RestApiId) === api.physicalId);
    // Create every resource first, then link them: templates list children before parents at will.
    const pending = new Map(mine.map((resource) => [resource.physicalId, resource]));
    for (let round = 0; pending.size > 0 && round <= mine.length; round += 1) {
      for (const [id, resource] of pending) {
        const parentId = text(resource.properties.ParentId) ?? '';
        // A parent that is no Resource of the template is the API's root (GetAtt RootResourceId).
        const parent = resourceIds.has(parentId) ? byId.get(parentId) : root;
        if (parent === undefined) continue;
        const pathPart = text(resource.properties.PathPart) ?? '';
        const node: ApiResource = {
          id,
          pathPart,
          path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`,
          children: [],
          methods: new Map(),
        };
        parent.children.push(node);
        byId.set(id, node);
        pending.delete(id);
      }
    }
    for (const resource of pending.values()) {
      warnings.push(`${resource.stack}/${resource.logicalId}: resource's parent ${String(resource.properties.ParentId)} is not in API ${where}; not served`);
    }

    for (const method of methods.filter((m) => text(m.properties.RestApiId) === api.physicalId)) {
      const resourceId = text(method.properties.ResourceId) ?? '';
      const target = resourceIds.has(resourceId) ? byId.get(resourceId) : root;
      if (target === undefined) continue;
      const httpMethod = (text(method.properties.HttpMethod) ?? 'ANY').toUpperCase();
      const methodWhere = `${method.stack}/${method.logicalId} (${httpMethod} ${target.path})`;
      const integration = readIntegration(method);
      if (integration === undefined) warnings.push(`${methodWhere}: has no Integration; answers 500`);
      else if (!SERVED_INTEGRATIONS.has(integration.type)) {
        warnings.push(`${methodWhere}: integration type ${integration.type} is not supported (AWS, AWS_PROXY for Lambda, HTTP, HTTP_PROXY and MOCK are); answers 500`);
      } else if ((integration.type === 'HTTP' || integration.type === 'HTTP_PROXY') && integration.connectionType !== 'INTERNET') {
        warnings.push(`${methodWhere}: Integration.ConnectionType ${integration.connectionType} (a VPC link) is not supported; answers 500`);
      } else if ((integration.type === 'HTTP' || integration.type === 'HTTP_PROXY') && !/^https?:\/\//i.test(integration.uri ?? '')) {
        warnings.push(`${methodWhere}: ${integration.type} integration whose Uri is not an http(s) URL (${integration.uri ?? 'none'}); answers 500`);
      } else if (integration.type === 'AWS' && integration.uri === undefined) {
        warnings.push(`${methodWhere}: AWS integration without Uri; answers 500`);
      } else if (integration.type === 'AWS_PROXY' && !/:lambda:path\/[^/]+\/functions\/.+\/invocations$/.test(integration.uri ?? '')) {
        warnings.push(`${methodWhere}: AWS_PROXY integration whose Uri names no Lambda function (${integration.uri ?? 'none'}); answers 500`);
      }
      const options = readMethodOptions(model, method);
      if (options.refusal !== undefined) warnings.push(`${methodWhere}: ${options.refusal}; answers 500`);
      target.methods.set(httpMethod, { logicalId: method.logicalId, httpMethod, integration, options });
    }

    const stages = readStages(model, api);
    if (stages.length === 0) warnings.push(`${where}: API "${text(api.properties.Name) ?? api.logicalId}" has no stage; not served`);
    const binaryMediaTypes = (Array.isArray(api.properties.BinaryMediaTypes) ? api.properties.BinaryMediaTypes : []).filter((t): t is string => typeof t === 'string');
    apis.push({ id: api.physicalId, name: text(api.properties.Name) ?? api.logicalId, root, stages, binaryMediaTypes, extras: readApiExtras(model, api, warnings) });
  }
  return { apis, warnings: [...warnings, ...unsupportedApiWarnings(model)] };
}

function readIntegration(method: CloudResource): Integration | undefined {
  const raw = record(method.properties.Integration);
  if (raw === undefined) return undefined;
  const passthrough = text(raw.PassthroughBehavior) ?? 'WHEN_NO_MATCH';
  const timeout = Number(raw.TimeoutInMillis);
  return {
    type: (text(raw.Type) ?? 'MOCK').toUpperCase(),
    uri: text(raw.Uri),
    httpMethod: text(raw.IntegrationHttpMethod)?.toUpperCase(),
    credentials: text(raw.Credentials),
    requestTemplates: stringRecord(raw.RequestTemplates),
    requestParameters: stringRecord(raw.RequestParameters),
    passthroughBehavior: passthrough === 'NEVER' || passthrough === 'WHEN_NO_TEMPLATES' ? passthrough : 'WHEN_NO_MATCH',
    responses: (Array.isArray(raw.IntegrationResponses) ? raw.IntegrationResponses : []).flatMap((entry) => {
      const response = record(entry);
      if (response === undefined) return [];
      const pattern = text(response.SelectionPattern);
      return [{
        statusCode: text(response.StatusCode) ?? '200',
        selectionPattern: pattern === '' ? undefined : pattern,
        responseTemplates: stringRecord(response.ResponseTemplates),
        responseParameters: stringRecord(response.ResponseParameters),
      }];
    }),
    timeoutMillis: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MILLIS,
    insecureSkipVerification: record(raw.TlsConfig)?.InsecureSkipVerification === true || record(raw.TlsConfig)?.InsecureSkipVerification === 'true',
    connectionType: (text(raw.ConnectionType) ?? 'INTERNET').toUpperCase(),
  };
}

function readStages(model: CloudModel, api: CloudResource): ApiStage[] {
  const stages: ApiStage[] = [];
  for (const stage of model.byType('AWS::ApiGateway::Stage')) {
    if (text(stage.properties.RestApiId) !== api.physicalId) continue;
    const name = text(stage.properties.StageName);
    if (name === undefined) continue;
    stages.push(makeStage(name, stage.properties.TracingEnabled, stage.properties.Variables, stage.properties.MethodSettings));
  }
  // The inline form: a Deployment that names its stage and describes it in StageDescription.
  for (const deployment of model.byType('AWS::ApiGateway::Deployment')) {
    if (text(deployment.properties.RestApiId) !== api.physicalId) continue;
    const name = text(deployment.properties.StageName);
    if (name === undefined || stages.some((stage) => stage.name === name)) continue;
    const description = record(deployment.properties.StageDescription) ?? {};
    stages.push(makeStage(name, description.TracingEnabled, description.Variables, description.MethodSettings));
  }
  return stages;
}

interface MethodSetting {
  readonly resourcePath: string;
  readonly httpMethod: string;
  readonly throttling: Throttling | undefined;
  readonly metricsEnabled: boolean | undefined;
}

function makeStage(name: string, tracing: unknown, variables: unknown, settings: unknown): ApiStage {
  const methodSettings: MethodSetting[] = (Array.isArray(settings) ? settings : []).flatMap((entry) => {
    const setting = record(entry);
    if (setting === undefined) return [];
    const rate = Number(setting.ThrottlingRateLimit);
    const burst = Number(setting.ThrottlingBurstLimit);
    const rawPath = text(setting.ResourcePath) ?? '/*';
    return [{
      // MethodSettings write a resource path as `/` + the path with its slashes as ~1: /~1foo is /foo.
      resourcePath: rawPath === '/*' ? rawPath : rawPath.slice(1).replace(/~1/g, '/'),
      httpMethod: (text(setting.HttpMethod) ?? '*').toUpperCase(),
      throttling: Number.isFinite(rate) && Number.isFinite(burst) && setting.ThrottlingRateLimit !== undefined
        ? { rateLimit: rate, burstLimit: burst }
        : undefined,
      metricsEnabled: setting.MetricsEnabled === undefined ? undefined : setting.MetricsEnabled === true || setting.MetricsEnabled === 'true',
    }];
  });
  return {
    name,
    tracingEnabled: tracing === true || tracing === 'true',
    variables: stringRecord(variables),
    throttlingFor(resourcePath, httpMethod) {
      const method = httpMethod.toUpperCase();
      const exact = methodSettings.find((s) => s.resourcePath === resourcePath && s.httpMethod === method && s.throttling);
      const wildcard = methodSettings.find((s) => s.resourcePath === '/*' && s.httpMethod === '*' && s.throttling);
      return (exact ?? wildcard)?.throttling;
    },
    metricsEnabledFor(resourcePath, httpMethod) {
      const method = httpMethod.toUpperCase();
      const exact = methodSettings.find((s) => s.resourcePath === resourcePath && s.httpMethod === method && s.metricsEnabled !== undefined);
      const wildcard = methodSettings.find((s) => s.resourcePath === '/*' && s.httpMethod === '*' && s.metricsEnabled !== undefined);
      return (exact ?? wildcard)?.metricsEnabled ?? false;
    },
  };
}
