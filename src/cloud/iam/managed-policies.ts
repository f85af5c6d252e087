// AWS managed policies the local cloud knows, by the actions AWS documents for them (AWS Managed
// Policy reference guide). Only what a function or API role plausibly uses; others are reported.

interface ManagedPolicy {
  readonly statements: ReadonlyArray<{ readonly Effect: 'Allow'; readonly Action: readonly string[]; readonly Resource: string }>;
}

const LOGS_WRITE = ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'];

const KNOWN: Readonly<Record<string, ManagedPolicy>> = {
  'service-role/AWSLambdaBasicExecutionRole': { statements: [{ Effect: 'Allow', Action: LOGS_WRITE, Resource: '*' }] },
  'AWSXRayDaemonWriteAccess': {
    statements: [{
      Effect: 'Allow',
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'],
      Resource: '*',
    }],
  },
  'service-role/AWSLambdaSQSQueueExecutionRole': {
    statements: [{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', ...LOGS_WRITE], Resource: '*' }],
  },
  'service-role/AWSLambdaDynamoDBExecutionRole': {
    statements: [{
      Effect: 'Allow',
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams', ...LOGS_WRITE],
      Resource: '*',
    }],
  },
  'service-role/AWSLambdaRole': { statements: [{ Effect: 'Allow', Action: ['lambda:InvokeFunction'], Resource: '*' }] },
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs': {
    statements: [{
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:FilterLogEvents'],
      Resource: '*',
    }],
  },
  'AdministratorAccess': { statements: [{ Effect: 'Allow', Action: ['*'], Resource: '*' }] },
};

/** The policy document of an AWS managed policy ARN (`arn:<partition>:iam::aws:policy/<path/name>`), if known. */
export function awsManagedPolicy(policyArn: string): { Statement: ManagedPolicy['statements'] } | undefined {
  const match = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(policyArn);
  const policy = match?.[1] === undefined ? undefined : KNOWN[match[1]];
  return policy && { Statement: policy.statements };
}
