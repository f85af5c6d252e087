import type { IntegrationResponse } from './api-model.ts';
import type { MappingVariables } from './mapping-variables.ts';
import { mapParameters } from './parameter-mapping.ts';
import type { ParameterSources } from './parameter-mapping.ts';
import type { TemplateEngine } from './vtl.ts';

/**
 * The method response for a backend answer, chosen as API Gateway chooses it: each SelectionPattern
 * is a regular expression matched against the whole of the backend's HTTP status code (AWS, HTTP,
 * MOCK) or of a Lambda function error's errorMessage (Lambda custom integrations); when none matches, the response without a pattern (the
 * default) applies. The chosen response's template (by the client's Accept, else application/json,
 * else its first) renders the body with `$input` = the backend's body; its StatusCode and
 * ResponseParameters complete it. A template may override the status through
 * `$context.responseOverride.status`.
 */

export function selectIntegrationResponse(
  responses: ReadonlyArray<IntegrationResponse>,
  backendStatus: number,
  lambda?: { readonly errorMessage: string | undefined },
): IntegrationResponse | undefined {
  const byDefault = (): IntegrationResponse | undefined => responses.find((response) => response.selectionPattern === undefined);
  // Lambda custom integrations match the function error's errorMessage (a success takes the default);
  // as a Java regex `.` stops at line ends there, so a stack trace needs `(\n|.)*`.
  if (lambda !== undefined) {
    const { errorMessage } = lambda;
    if (errorMessage === undefined) return byDefault();
    return responses.find((response) => response.selectionPattern !== undefined && fullMatch(response.selectionPattern, errorMessage, '')) ?? byDefault();
  }
  const status = String(backendStatus);
  const matched = responses.find((response) => response.selectionPattern !== undefined && fullMatch(response.selectionPattern, status, 's'));
  return matched ?? byDefault();
}

/** Java's String.matches: the whole text. */
function fullMatch(pattern: string, text: string, flags: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, flags).test(text);
  } catch {
    return false;
  }
}

export interface MethodResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function buildMethodResponse(
  response: IntegrationResponse,
  backend: { readonly body: string; readonly contentType: string | undefined },
  accept: string | undefined,
  variables: MappingVariables,
  sources: ParameterSources,
  engine: TemplateEngine,
): MethodResponse {
  const key = chooseTemplate(Object.keys(response.responseTemplates), accept);
  const headers: Record<string, string> = {};
  let body: string;
  if (key === undefined) {
    // No template: the backend's body goes through as it is.
    body = backend.body;
    headers['content-type'] = backend.contentType ?? 'application/json';
  } else {
    const template = response.responseTemplates[key] ?? '';
    // An empty template passes the body through too (the console writes such entries).
    body = template.trim() === '' ? backend.body : engine.render(template, variables);
    headers['content-type'] = key;
  }
  const mapped = mapParameters(response.responseParameters, 'method.response', sources);
  for (const [name, value] of Object.entries(mapped.header)) headers[name.toLowerCase()] = value;
  const override = overrideOf(variables.context);
  const status = override.status ?? Number(response.statusCode);
  for (const [name, value] of Object.entries(override.headers)) headers[name.toLowerCase()] = value;
  return { status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500, headers, body };
}

/** The first of the client's Accept types that has a template, else application/json, else the first. */
export function chooseTemplate(keys: ReadonlyArray<string>, accept: string | undefined): string | undefined {
  if (keys.length === 0) return undefined;
  const wanted = (accept ?? '').split(',').map((part) => part.split(';')[0]?.trim().toLowerCase() ?? '').filter((part) => part !== '');
  for (const type of wanted) {
    const exact = keys.find((key) => key.toLowerCase() === type);
    if (exact !== undefined) return exact;
  }
  return keys.find((key) => key.toLowerCase() === 'application/json') ?? keys[0];
}

function overrideOf(context: Readonly<Record<string, unknown>>): { status: number | undefined; headers: Record<string, string> } {
  const override = context.responseOverride as { status?: unknown; header?: Record<string, unknown> } | undefined;
  const status = override?.status === undefined || override.status === '' ? undefined : Number(override.status);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(override?.header ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  return { status: Number.isFinite(status) ? status : undefined, headers };
}
