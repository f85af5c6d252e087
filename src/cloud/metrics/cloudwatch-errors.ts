/**
 * CloudWatch's errors: the model's shape names (what the JSON and CBOR protocols' `__type` carry)
 * with their awsQuery codes (what `x-amzn-query-error` carries, and what the SDKs and the AWS CLI
 * match, CloudWatch being query-compatible).
 */
import { AwsError } from '../protocol/errors.ts';

export const CLOUDWATCH_NAMESPACE = 'com.amazonaws.cloudwatch';

export const cloudWatchErrors = {
  invalidParameterValue: (message: string): AwsError =>
    new AwsError('InvalidParameterValueException', message, { queryCode: 'InvalidParameterValue' }),
  invalidParameterCombination: (message: string): AwsError =>
    new AwsError('InvalidParameterCombinationException', message, { queryCode: 'InvalidParameterCombination' }),
  missingParameter: (name: string): AwsError =>
    new AwsError('MissingRequiredParameterException', `The parameter ${name} is required.`, { queryCode: 'MissingParameter' }),
  invalidNextToken: (): AwsError => new AwsError('InvalidNextToken', 'The service returned an error: the next token is not valid.'),
  accessDenied: (message: string): AwsError => new AwsError('AccessDenied', message, { status: 403 }),
};

/** The shared readers' codes (`MissingParameter`, `InvalidParameterValue`) as CloudWatch's shapes. */
export function asCloudWatchError(error: AwsError): AwsError {
  if (error.code === 'MissingParameter') return new AwsError('MissingRequiredParameterException', error.message, { queryCode: 'MissingParameter' });
  if (error.code === 'InvalidParameterValue') return cloudWatchErrors.invalidParameterValue(error.message);
  return error;
}
