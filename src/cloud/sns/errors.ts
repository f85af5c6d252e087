import { AwsError } from '../protocol/errors.ts';

/** SNS's Query error codes. */
export const snsErrors = {
  notFound: (what: string): AwsError => new AwsError('NotFound', `${what} does not exist`, { status: 404 }),
  invalidParameter: (message: string): AwsError => new AwsError('InvalidParameter', `Invalid parameter: ${message}`),
  authorizationError: (message: string): AwsError => new AwsError('AuthorizationError', message, { status: 403 }),
};
