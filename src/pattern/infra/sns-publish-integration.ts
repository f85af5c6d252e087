import { AwsIntegration, Model, PassthroughBehavior, type MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Body of the 200 answer: the request was published to the fan-out topic. */
export const PUBLISHED_BODY = JSON.stringify({ message: 'message added to SNS topic' });

/** Backend status codes (as regular expressions) and the status codes the API answers with. */
export const ERROR_MAPPINGS = [
  { selectionPattern: '4\\d{2}', statusCode: '400' },
  { selectionPattern: '5\\d{2}', statusCode: '502' },
] as const;

// The answer names SNS's error code, not its message: SNS messages quote the topic ARN and the
// caller's role ARN (and with them the account id), which the public need not see.
const ERROR_TEMPLATE = [
  `#set($code = $input.path('$.Error.Code'))`,
  `{"message":"the request could not be published","error":"$util.escapeJavaScript($code)","requestId":"$context.requestId"}`,
].join('\n');

export interface SnsPublishIntegrationProps {
  /** Topic every request is published to. */
  readonly topic: ITopic;
}

/**
 * A direct API Gateway -> SNS Publish integration: no function in between, the request path
 * becomes the message. The role it uses may publish to that one topic and do nothing else.
 */
export class SnsPublishIntegration extends Construct {
  readonly integration: AwsIntegration;
  readonly role: Role;
  /** Method responses matching the integration responses; pass them to addMethod. */
  readonly methodOptions: MethodOptions;

  constructor(scope: Construct, id: string, props: SnsPublishIntegrationProps) {
    super(scope, id);

    this.role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('apigateway.amazonaws.com') });
    this.role.addToPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [props.topic.topicArn] }));

    const requestTemplate = [
      'Action=Publish',
      `TopicArn=$util.urlEncode('${props.topic.topicArn}')`,
      'Message=$util.urlEncode($context.path)',
      'Version=2010-03-31',
    ].join('&');

    this.integration = new AwsIntegration({
      service: 'sns',
      path: '/',
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.role,
        passthroughBehavior: PassthroughBehavior.NEVER,
        requestParameters: {
          'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
          // SNS answers in XML unless asked for JSON; the error templates read JSON paths.
          'integration.request.header.Accept': "'application/json'",
        },
        // API Gateway picks a request template by the request's Content-Type and treats a request
        // without one as application/json, so that key is the default; text/plain covers clients
        // that label their (ignored) body as text. Everything else is refused with 415 (NEVER).
        requestTemplates: {
          'application/json': requestTemplate,
          'text/plain': requestTemplate,
        },
        integrationResponses: [
          { statusCode: '200', responseTemplates: { 'application/json': PUBLISHED_BODY } },
          // For AWS service integrations (unlike Lambda ones) API Gateway matches selectionPattern
          // against the backend's HTTP status code, not against an error message. A pattern such as
          // "^\[Error\].*" can therefore never match, and every SNS failure would be answered with
          // the default 200. Matching the status codes makes failures surface as failures.
          ...ERROR_MAPPINGS.map(({ selectionPattern, statusCode }) => ({
            selectionPattern,
            statusCode,
            responseTemplates: { 'application/json': ERROR_TEMPLATE },
          })),
        ],
      },
    });

    this.methodOptions = {
      methodResponses: [
        { statusCode: '200', responseModels: { 'application/json': Model.EMPTY_MODEL } },
        ...ERROR_MAPPINGS.map(({ statusCode }) => ({
          statusCode,
          responseModels: { 'application/json': Model.ERROR_MODEL },
        })),
      ],
    };
  }
}
