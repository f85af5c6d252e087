import { preview } from '../../common/preview.ts';
/**
 * The answers API Gateway gives by itself, before or instead of the integration's (its "gateway
 * responses"): status, the JSON `{"message": ...}` body and the x-amzn-ErrorType header.
 */

export interface GatewayAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Headers with several values (a Lambda proxy's multiValueHeaders), sent as repeated lines. */
  readonly headerLists?: Readonly<Record<string, readonly string[]>>;
  /** Bytes sent instead of `body` (a Lambda proxy's base64 body, decoded). */
  readonly rawBody?: Buffer;
  /** An answer of API Gateway's own: which gateway response (`AWS::ApiGateway::GatewayResponse`) may reshape it. */
  readonly gatewayError?: GatewayError;
}

export interface GatewayError {
  /** The ResponseType, e.g. BAD_REQUEST_BODY; DEFAULT_4XX/DEFAULT_5XX apply when it has none of its own. */
  readonly responseType: string;
  /** `$context.error.message`. */
  readonly message: string;
  /** `$context.error.validationErrorString`. */
  readonly validationErrorString?: string;
}

function answer(status: number, message: string, errorType: string, responseType?: string, validationErrorString?: string): GatewayAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType, 'x-content-type-options': 'nosniff' },
    body: JSON.stringify({ message }),
    ...(responseType !== undefined
      ? { gatewayError: { responseType, message, ...(validationErrorString !== undefined ? { validationErrorString } : {}) } }
      : {}),
  };
}

/** No resource or no method for the request (API Gateway does not say which). */
export const missingAuthenticationToken = (): GatewayAnswer =>
  answer(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException', 'MISSING_AUTHENTICATION_TOKEN');

/** The request's Content-Type has no template and the passthrough behaviour refuses it. */
export const unsupportedMediaType = (): GatewayAnswer => answer(415, 'Unsupported Media Type', 'UnsupportedMediaTypeException', 'UNSUPPORTED_MEDIA_TYPE');

/** A request a web page may have made (another origin, a rebinding Host): refused before it runs (its own, local only). */
export const refusedForBrowsers = (status: number, message: string): GatewayAnswer => answer(status, message, 'AccessDeniedException');

export const throttled = (): GatewayAnswer => answer(429, 'Too Many Requests', 'TooManyRequestsException', 'THROTTLED');

export const requestTooLarge = (): GatewayAnswer => answer(413, 'Request Too Long', 'RequestTooLongException', 'REQUEST_TOO_LARGE');

/** A request template read a body that is not JSON. */
export const badRequestBody = (detail: string): GatewayAnswer =>
  answer(400, `Could not parse request body into json: ${detail}`, 'BadRequestException', 'BAD_REQUEST_BODY');

/** node:http hands on a request target that is not a URL (`GET http://[bad/`); it was a 500. */
export const invalidRequestTarget = (target: string): GatewayAnswer =>
  answer(400, `${preview(target, 160)} is not a valid request target`, 'BadRequestException', 'DEFAULT_4XX');

export const integrationTimeout = (): GatewayAnswer => answer(504, 'Endpoint request timed out', 'InternalServerErrorException', 'INTEGRATION_TIMEOUT');

/** Anything wrong in the integration's configuration or transport. */
export const internalServerError = (): GatewayAnswer => answer(500, 'Internal server error', 'InternalServerErrorException', 'DEFAULT_5XX');

/** A required request parameter is missing (a validator with ValidateRequestParameters). */
export const missingRequestParameters = (names: ReadonlyArray<string>): GatewayAnswer => {
  const message = `Missing required request parameters: [${names.join(', ')}]`;
  return answer(400, message, 'BadRequestException', 'BAD_REQUEST_PARAMETERS', message);
};

/** The body does not match the method's model (a validator with ValidateRequestBody). */
export const invalidRequestBody = (errors: ReadonlyArray<string>): GatewayAnswer =>
  answer(400, 'Invalid request body', 'BadRequestException', 'BAD_REQUEST_BODY', `[${errors.join(', ')}]`);

/** A feature of the template the local gateway does not run (`why` says which): an AWS-shaped 500 naming it, never a success. */
export const notImplemented = (why: string): GatewayAnswer =>
  answer(500, `Internal server error: ${why}`, 'InternalServerErrorException', 'API_CONFIGURATION_ERROR');

/** An authorizer refused the caller, or a required identity source is missing. */
export const unauthorized = (): GatewayAnswer => answer(401, 'Unauthorized', 'UnauthorizedException', 'UNAUTHORIZED');

/** An authorizer's policy does not allow the method; AWS writes this body with a capital `Message`. */
export const accessDenied = (explicit: boolean): GatewayAnswer => {
  const message = explicit ? 'User is not authorized to access this resource with an explicit deny' : 'User is not authorized to access this resource';
  return { ...answer(403, message, 'AccessDeniedException', 'ACCESS_DENIED'), body: JSON.stringify({ Message: message }) };
};

/** The authorizer failed or gave an invalid output: AWS answers `{"message": null}`. */
export const authorizerConfigurationError = (): GatewayAnswer =>
  ({ ...answer(500, 'null', 'AuthorizerConfigurationException', 'AUTHORIZER_CONFIGURATION_ERROR'), body: '{"message":null}' });

/** No, an unknown or a disabled API key, or one in no usage plan of the stage, on a method with ApiKeyRequired. */
export const forbidden = (): GatewayAnswer => answer(403, 'Forbidden', 'ForbiddenException', 'INVALID_API_KEY');

/** The key's usage plan quota for the period is used up. */
export const quotaExceeded = (): GatewayAnswer => answer(429, 'Limit Exceeded', 'LimitExceededException', 'QUOTA_EXCEEDED');

/** The API's resource policy does not admit the caller; AWS writes this body with a capital `Message`. */
export const resourcePolicyDenied = (message: string): GatewayAnswer =>
  ({ ...answer(403, message, 'AccessDeniedException', 'ACCESS_DENIED'), body: JSON.stringify({ Message: message }) });
