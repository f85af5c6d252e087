import type { CloudModel, CloudResource } from '../core/types.ts';

/**
 * What a template declares for its REST APIs that the local gateway does not run, named at start by
 * logical id and property. A method whose answers would differ (a non-proxy integration's
 * ContentHandling conversions) is refused: its requests get an AWS-shaped 500 naming the property,
 * never an answer that looks right. What only changes performance (stage caches) is named and
 * otherwise ignored; access logs go to the local cloud's log (README).
 */

/** Why a method's requests are refused, or undefined when it runs. */
export function methodRefusal(method: CloudResource): string | undefined {
  const integration = record(method.properties.Integration);
  if (integration === undefined) return undefined;
  const type = String(integration.Type ?? '').toUpperCase();
  if (type !== 'AWS_PROXY' && integration.ContentHandling !== undefined) {
    return `${method.logicalId}: Integration.ContentHandling ${String(integration.ContentHandling)} is not supported by the local API Gateway`;
  }
  const responses = Array.isArray(integration.IntegrationResponses) ? integration.IntegrationResponses : [];
  const converting = responses.map(record).find((response) => response?.ContentHandling !== undefined);
  if (converting !== undefined) {
    return `${method.logicalId}: IntegrationResponses[].ContentHandling ${String(converting.ContentHandling)} is not supported by the local API Gateway`;
  }
  return undefined;
}

/** Start warnings for API-level declarations that do not run here. */
export function unsupportedApiWarnings(model: CloudModel): string[] {
  const warnings: string[] = [];
  const where = (resource: CloudResource): string => `${resource.stack}/${resource.logicalId}`;
  for (const api of model.byType('AWS::ApiGateway::RestApi')) {
    const p = api.properties;
    if (p.Body !== undefined || p.BodyS3Location !== undefined) {
      warnings.push(`${where(api)}: RestApi ${p.Body !== undefined ? 'Body' : 'BodyS3Location'} (an OpenAPI definition, as SpecRestApi writes) is not read: only AWS::ApiGateway::Resource and Method resources are served; its other paths answer 403 Missing Authentication Token`);
    }
    if (p.CloneFrom !== undefined) warnings.push(`${where(api)}: RestApi CloneFrom is not read`);
  }
  const stageWarnings = (resource: CloudResource, stage: Record<string, unknown>, prefix: string): void => {
    if (stage.CacheClusterEnabled === true || stage.CacheClusterEnabled === 'true') warnings.push(`${where(resource)}: ${prefix}CacheClusterEnabled: responses are not cached locally; every request reaches the integration`);
    const settings = Array.isArray(stage.MethodSettings) ? stage.MethodSettings : [];
    if (settings.some((setting) => record(setting)?.CachingEnabled === true)) warnings.push(`${where(resource)}: ${prefix}MethodSettings CachingEnabled: responses are not cached locally`);
    if (stage.CanarySettings !== undefined || stage.CanarySetting !== undefined) warnings.push(`${where(resource)}: ${prefix}CanarySetting is not read: every request goes to the stage's deployment`);
    if (stage.ClientCertificateId !== undefined) warnings.push(`${where(resource)}: ${prefix}ClientCertificateId: integrations are called without the client certificate`);
  };
  for (const stage of model.byType('AWS::ApiGateway::Stage')) stageWarnings(stage, stage.properties, '');
  for (const deployment of model.byType('AWS::ApiGateway::Deployment')) {
    const description = record(deployment.properties.StageDescription);
    if (description !== undefined) stageWarnings(deployment, description, 'StageDescription.');
    if (deployment.properties.DeploymentCanarySettings !== undefined) warnings.push(`${where(deployment)}: DeploymentCanarySettings is not read`);
  }
  return warnings;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
