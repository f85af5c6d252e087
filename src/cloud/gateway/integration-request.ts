import type { Integration } from './api-model.ts';
import type { MappingVariables } from './mapping-variables.ts';
import { mapParameters } from './parameter-mapping.ts';
import type { MappedParameters, ParameterSources } from './parameter-mapping.ts';
import type { TemplateEngine } from './vtl.ts';

/**
 * The integration request: the request template chosen by the client's Content-Type (a request
 * without one counts as application/json), rendered, or the body passed through as the
 * PassthroughBehavior allows; and the request parameters mapped.
 */

export type IntegrationRequest =
  | {
      readonly kind: 'request';
      readonly body: string;
      /** The Content-Type the body goes on with unless a header mapping sets one. */
      readonly contentType: string;
      readonly parameters: MappedParameters;
    }
  /** The Content-Type has no template and passthrough is not allowed: API Gateway's 415. */
  | { readonly kind: 'unsupported-media-type'; readonly contentType: string };

export function buildIntegrationRequest(
  integration: Integration,
  request: { readonly contentType: string | undefined; readonly body: string },
  variables: MappingVariables,
  sources: ParameterSources,
  engine: TemplateEngine,
): IntegrationRequest {
  const contentType = mediaType(request.contentType) ?? 'application/json';
  const templates = integration.requestTemplates;
  const key = Object.keys(templates).find((candidate) => candidate.toLowerCase() === contentType);
  let body: string;
  if (key !== undefined) {
    body = engine.render(templates[key] ?? '', variables);
  } else {
    const hasTemplates = Object.keys(templates).length > 0;
    const passes = integration.passthroughBehavior === 'WHEN_NO_MATCH' ||
      (integration.passthroughBehavior === 'WHEN_NO_TEMPLATES' && !hasTemplates);
    if (!passes) return { kind: 'unsupported-media-type', contentType };
    body = request.body;
  }
  return { kind: 'request', body, contentType, parameters: mapParameters(integration.requestParameters, 'integration.request', sources) };
}

/** `Application/JSON; charset=utf-8` -> `application/json`; undefined for no or an empty header. */
export function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? undefined : type;
}
