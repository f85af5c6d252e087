/**
 * Errors in the AWS rest-json shape: a status, the `x-amzn-ErrorType` header and a JSON body with
 * `__type` and the message. The AWS SDKs pick the exception class from the header (or `__type`) and the
 * message from `message`/`Message`, so a client sees e.g. `InvalidRequestException` with our text.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Members the exception models besides its message (ResourceNotFoundException's ResourceName). */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = type;
  }
}

/** 400: the request is missing required parameters or has invalid ones. */
export function invalidRequest(message: string): ApiError {
  return new ApiError(400, 'InvalidRequestException', message);
}

export function unknownOperation(method: string, path: string): ApiError {
  return new ApiError(404, 'UnknownOperationException', `no operation at ${method} ${clip(path)}`);
}

export function methodNotAllowed(method: string, path: string, allowed: ReadonlyArray<string>): ApiError {
  return new ApiError(405, 'MethodNotAllowedException', `${clip(method)} is not allowed on ${path}; use ${allowed.join(' or ')}`, {
    allow: allowed.join(', '),
  });
}

/** A path or method from the request line can be kilobytes long; the message shows its start. */
function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

export function payloadTooLarge(limitBytes: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLargeException', `request body is larger than the limit of ${limitBytes} bytes`);
}

export function errorBody(error: ApiError): string {
  // `Message` as well as `message`: the SDK takes the text from either, and fills the modelled
  // exception's `Message` member only from the capitalised one.
  return JSON.stringify({ __type: error.type, message: error.message, Message: error.message, ...error.fields });
}

/** 404: no group or sampling rule has that ARN (the tagging operations). */
export function resourceNotFound(message: string, resourceName: string): ApiError {
  return new ApiError(404, 'ResourceNotFoundException', message, {}, { ResourceName: resourceName });
}
