import type { RestApi } from './api-model.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import { chooseTemplate } from './integration-response.ts';
import type { MappingVariables } from './mapping-variables.ts';
import { resolveParameter } from './parameter-mapping.ts';
import type { ParameterSources } from './parameter-mapping.ts';
import type { TemplateEngine } from './vtl.ts';

/**
 * Gateway responses (`AWS::ApiGateway::GatewayResponse`): an answer API Gateway makes itself (403
 * Missing Authentication Token, 400 Invalid request body, 401 Unauthorized, 429, 504, ...) is
 * reshaped by the API's response of its ResponseType, else DEFAULT_4XX / DEFAULT_5XX by its status:
 * StatusCode, ResponseParameters (`gatewayresponse.header.<name>` from literals, `method.request.*`,
 * `stageVariables.*`, `context.*`) and ResponseTemplates (by Accept), rendered with
 * `$context.error.message`, `messageString`, `responseType` and `validationErrorString`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html
 */

export interface OverrideInputs {
  readonly accept: string | undefined;
  /** Parameter sources; `context` must hold `error`. */
  readonly sources: ParameterSources;
  readonly variables: MappingVariables;
  readonly engine: TemplateEngine;
}

/** `$context.error` for an answer of the gateway's own. */
export function errorContext(answer: GatewayAnswer): Record<string, string> | undefined {
  const error = answer.gatewayError;
  if (error === undefined) return undefined;
  return {
    message: error.message,
    messageString: JSON.stringify(error.message),
    responseType: error.responseType,
    validationErrorString: error.validationErrorString ?? '',
  };
}

export function applyGatewayResponse(answer: GatewayAnswer, api: RestApi | undefined, inputs: () => OverrideInputs): GatewayAnswer {
  const error = answer.gatewayError;
  if (error === undefined || api === undefined || api.extras.gatewayResponses.size === 0) return answer;
  const responses = api.extras.gatewayResponses;
  const spec = responses.get(error.responseType) ?? responses.get(answer.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
  if (spec === undefined) return answer;
  const { accept, sources, variables, engine } = inputs();
  const headers: Record<string, string> = { ...answer.headers };
  for (const [key, expression] of Object.entries(spec.responseParameters)) {
    const match = /^gatewayresponse\.header\.(.+)$/.exec(key);
    if (match?.[1] === undefined) continue;
    let value: string | undefined;
    try {
      value = resolveParameter(expression, sources);
    } catch {
      value = undefined;
    }
    if (value !== undefined) headers[match[1].toLowerCase()] = value;
  }
  let body = answer.body;
  const key = chooseTemplate(Object.keys(spec.responseTemplates), accept);
  if (key !== undefined) {
    try {
      body = engine.render(spec.responseTemplates[key] ?? '', variables);
      headers['content-type'] = key;
    } catch {
      // A template that fails leaves the default body, as the answer must still go out.
    }
  }
  const status = spec.statusCode === undefined ? answer.status : Number(spec.statusCode);
  return { ...answer, status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : answer.status, headers, body, rawBody: undefined };
}
