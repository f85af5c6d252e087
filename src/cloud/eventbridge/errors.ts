import { AwsError } from '../protocol/errors.ts';

/** EventBridge's error shapes (all 400 but the internal one). */
export const eventsErrors = {
  validation: (message: string): AwsError => new AwsError('ValidationException', message),
  notFound: (message: string): AwsError => new AwsError('ResourceNotFoundException', message),
  alreadyExists: (message: string): AwsError => new AwsError('ResourceAlreadyExistsException', message),
  limitExceeded: (message: string): AwsError => new AwsError('LimitExceededException', message),
  invalidPattern: (message: string): AwsError => new AwsError('InvalidEventPatternException', message),
  accessDenied: (message: string): AwsError => new AwsError('AccessDeniedException', message),
};
