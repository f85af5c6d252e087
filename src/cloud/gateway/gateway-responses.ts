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
}

function answer(status: number, message: string, errorType: string): GatewayAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType, 'x-content-type-options': 'nosniff' },
    body: JSON.stringify({ message }),
  };
}

/** No resource or no method for the request (API Gateway does not say which). */
export const missingAuthenticationToken = (): GatewayAnswer =>
  answer(403, 'Missing Authentication Token', 'MissingAuthenticationTokenException');

/** The request's Content-Type has no template and the passthrough behaviour refuses it. */
export const unsupportedMediaType = (): GatewayAnswer => answer(415, 'Unsupported Media Type', 'UnsupportedMediaTypeException');

/** A request a web page may have made (another origin, a rebinding Host): refused before it runs (its own, local only). */
export const refusedForBrowsers = (status: number, message: string): GatewayAnswer => answer(status, message, 'AccessDeniedException');

export const throttled = (): GatewayAnswer => answer(429, 'Too Many Requests', 'TooManyRequestsException');

export const requestTooLarge = (): GatewayAnswer => answer(413, 'Request Too Long', 'RequestTooLongException');

/** A request template read a body that is not JSON. */
export const badRequestBody = (detail: string): GatewayAnswer =>
  answer(400, `Could not parse request body into json: ${detail}`, 'BadRequestException');

/** node:http hands on a request target that is not a URL (`GET http://[bad/`); it was a 500. */
export const invalidRequestTarget = (target: string): GatewayAnswer =>
  answer(400, `${preview(target, 160)} is not a valid request target`, 'BadRequestException');

export const integrationTimeout = (): GatewayAnswer => answer(504, 'Endpoint request timed out', 'InternalServerErrorException');

/** Anything wrong in the integration's configuration or transport. */
export const internalServerError = (): GatewayAnswer => answer(500, 'Internal server error', 'InternalServerErrorException');
