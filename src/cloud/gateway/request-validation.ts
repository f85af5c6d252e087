import type { ApiMethod, RestApi } from './api-model.ts';
import type { GatewayAnswer } from './gateway-responses.ts';
import * as answers from './gateway-responses.ts';
import { mediaType } from './integration-request.ts';
import { validateSchema } from './json-schema.ts';
import { headerValue } from './mapping-variables.ts';

/**
 * Request validation as a method's RequestValidator asks for it: with ValidateRequestParameters, the
 * request parameters marked required (`method.request.querystring.q: true`) must be present
 * (`400 {"message": "Missing required request parameters: [q]"}`); with ValidateRequestBody, the
 * body must match the model its Content-Type names in RequestModels (else `$default`; none counts
 * as application/json) (`400 {"message": "Invalid request body"}`). Parameters are checked first.
 * Without a validator nothing is checked, as on AWS.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 */

export interface RequestToValidate {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly path: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly body: string;
}

export function validateRequest(api: RestApi, method: ApiMethod, request: RequestToValidate): GatewayAnswer | undefined {
  const { options } = method;
  if (options.validateParameters) {
    const missing: string[] = [];
    for (const [key, required] of Object.entries(options.requestParameters)) {
      if (!required) continue;
      const match = /^method\.request\.(header|querystring|multivaluequerystring|path)\.(.+)$/.exec(key);
      if (match === null) continue;
      const [, location, name = ''] = match;
      const present = location === 'header' ? headerValue(request.headers, name) !== undefined
        : location === 'path' ? request.path[name] !== undefined
          : request.query[name] !== undefined;
      if (!present) missing.push(name);
    }
    if (missing.length > 0) return answers.missingRequestParameters(missing);
  }
  if (options.validateBody) {
    const type = mediaType(request.contentType) ?? 'application/json';
    const key = Object.keys(options.requestModels).find((candidate) => candidate.toLowerCase() === type) ?? (options.requestModels.$default !== undefined ? '$default' : undefined);
    const modelName = key === undefined ? undefined : options.requestModels[key];
    if (modelName === undefined || modelName === 'Empty') return undefined;
    const schema = api.extras.models.get(modelName);
    if (schema === undefined) return answers.invalidRequestBody([`model ${JSON.stringify(modelName)} is not defined`]);
    let value: unknown;
    try {
      value = request.body.trim() === '' ? null : JSON.parse(request.body) as unknown;
    } catch (error) {
      return answers.invalidRequestBody([`Unable to parse the body as JSON: ${(error as Error).message}`]);
    }
    const errors = validateSchema(schema, value, { models: api.extras.models });
    if (errors.length > 0) return answers.invalidRequestBody(errors);
  }
  return undefined;
}
