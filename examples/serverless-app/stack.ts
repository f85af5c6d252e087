import { fileURLToPath } from 'node:url';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, Runtime, StartingPosition, Tracing } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

const HERE = fileURLToPath(new URL('./', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A small serverless app in the shapes public CDK patterns use, one flow a feature:
 * - a LambdaRestApi: every path proxied to one function (stage `proxy`);
 * - a RestApi (stage `prod`) integrated directly with SQS SendMessage (`POST /messages`) and with
 *   DynamoDB PutItem (`POST /items`) and Query (`GET /items/{id}`), through a role, with mapping
 *   templates; and `GET /chain`, a function that invokes another with @aws-sdk/client-lambda;
 * - an HTTP API and a function URL in front of the same function as the LambdaRestApi;
 * - event flows started by `POST /prod/drive/{flow}` (the `Driver` function): a topic whose two
 *   queue subscriptions filter on an attribute and on the body (`publish`), a FIFO queue consumed
 *   in order per group (`fifo`), a table stream feeding a function (`stream`), and an EventBridge
 *   rule routing the driver's PutEvents to a queue and a function (`events`); the consumers record
 *   what they saw in the `Seen` table;
 * - an S3 bucket, which the local cloud does not run: its start names it instead of listing it.
 */
export class ServerlessExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const hello = this.traced('Hello', 'hello.ts');
    const callee = this.traced('Callee', 'callee.ts');
    const caller = this.traced('Caller', 'caller.ts', { CALLEE_NAME: callee.functionName });
    callee.grantInvoke(caller);

    // Stage names differ so that both REST APIs have their own base path on one local gateway.
    const proxyApi = new apigateway.LambdaRestApi(this, 'ProxyApi', { handler: hello, deployOptions: { stageName: 'proxy', tracingEnabled: true } });

    const queue = new sqs.Queue(this, 'Messages', { visibilityTimeout: Duration.seconds(30) });
    const table = new dynamodb.Table(this, 'Items', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'ApiRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    queue.grantSendMessages(role);
    table.grantReadWriteData(role);

    const api = new apigateway.RestApi(this, 'DirectApi', { deployOptions: { stageName: 'prod', tracingEnabled: true } });
    const answers = (template: string): apigateway.IntegrationResponse[] => [
      { statusCode: '200', responseTemplates: { 'application/json': template } },
      { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': '{"error":"$input.path(\'$.__type\')$input.path(\'$.Error.Code\')"}' } },
    ];
    const methodResponses = [{ statusCode: '200' }, { statusCode: '400' }];

    // SQS's Query protocol by path: `<account>/<queue name>`, a form built by the request template.
    api.root.addResource('messages').addMethod('POST', new apigateway.AwsIntegration({
      service: 'sqs',
      path: `${Aws.ACCOUNT_ID}/${queue.queueName}`,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: role,
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
        requestTemplates: { 'application/json': 'Action=SendMessage&MessageBody=$util.urlEncode($input.body)' },
        integrationResponses: answers('{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}'),
      },
    }), { methodResponses });

    // DynamoDB by action: the request template is the action's JSON request.
    const items = api.root.addResource('items');
    items.addMethod('POST', new apigateway.AwsIntegration({
      service: 'dynamodb',
      action: 'PutItem',
      options: {
        credentialsRole: role,
        requestTemplates: { 'application/json': `{"TableName":"${table.tableName}","Item":{"id":{"S":"$input.path('$.id')"},"name":{"S":"$input.path('$.name')"}}}` },
        integrationResponses: answers('{"stored":true}'),
      },
    }), { methodResponses });
    items.addResource('{id}').addMethod('GET', new apigateway.AwsIntegration({
      service: 'dynamodb',
      action: 'Query',
      options: {
        credentialsRole: role,
        requestTemplates: { 'application/json': `{"TableName":"${table.tableName}","KeyConditionExpression":"id = :id","ExpressionAttributeValues":{":id":{"S":"$input.params('id')"}}}` },
        integrationResponses: answers(`#set($item = $input.path('$.Items[0]')){"count":$input.path('$.Count'),"name":"$item.name.S"}`),
      },
    }), { methodResponses });

    api.root.addResource('chain').addMethod('GET', new apigateway.LambdaIntegration(caller));

    const httpApi = new HttpApi(this, 'HttpApi', { defaultIntegration: new HttpLambdaIntegration('HelloIntegration', hello) });
    const functionUrl = hello.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    this.eventFlows(api);
    // Not run locally: named at start among what does not run.
    new s3.Bucket(this, 'Uploads');

    new CfnOutput(this, 'ProxyApiUrl', { value: proxyApi.url });
    new CfnOutput(this, 'DirectApiUrl', { value: api.url });
    new CfnOutput(this, 'HttpApiUrl', { value: httpApi.apiEndpoint });
    new CfnOutput(this, 'FunctionUrl', { value: functionUrl.url });
    new CfnOutput(this, 'QueueUrl', { value: queue.queueUrl });
    new CfnOutput(this, 'TableName', { value: table.tableName });
  }

  /** The event flows, each started by `POST /prod/drive/{flow}` and recorded in the `Seen` table. */
  private eventFlows(api: apigateway.RestApi): void {
    const seen = new dynamodb.Table(this, 'Seen', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const recorder = (id: string): NodejsFunction => {
      const fn = this.traced(id, 'recorder.ts', { SEEN_TABLE: seen.tableName });
      seen.grantReadWriteData(fn);
      return fn;
    };

    // A topic whose queues each take some of its messages: one by an attribute, one by the body.
    const topic = new sns.Topic(this, 'OrderEvents', { tracingConfig: sns.TracingConfig.ACTIVE });
    const redOrders = new sqs.Queue(this, 'RedOrders');
    const bigOrders = new sqs.Queue(this, 'BigOrders');
    topic.addSubscription(new subscriptions.SqsSubscription(redOrders, {
      rawMessageDelivery: true,
      filterPolicy: { color: sns.SubscriptionFilter.stringFilter({ allowlist: ['red'] }) },
    }));
    topic.addSubscription(new subscriptions.SqsSubscription(bigOrders, {
      rawMessageDelivery: true,
      filterPolicyWithMessageBody: { size: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: ['big'] })) },
    }));

    // A FIFO queue consumed in order per message group.
    const fifo = new sqs.Queue(this, 'OrdersFifo', { fifo: true, visibilityTimeout: Duration.seconds(30) });
    recorder('FifoConsumer').addEventSource(new SqsEventSource(fifo, { batchSize: 10 }));

    // A table whose stream feeds a function with the old and new images.
    const orders = new dynamodb.Table(this, 'Orders', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
    });
    recorder('StreamConsumer').addEventSource(new DynamoEventSource(orders, { startingPosition: StartingPosition.TRIM_HORIZON, batchSize: 10, retryAttempts: 2 }));

    // An EventBridge rule on a custom bus routing one kind of event to a queue and a function.
    const bus = new events.EventBus(this, 'Bus');
    const routed = new sqs.Queue(this, 'RoutedEvents');
    new events.Rule(this, 'OrderPlaced', {
      eventBus: bus,
      eventPattern: { source: ['example.driver'], detailType: ['OrderPlaced'] },
      targets: [new targets.SqsQueue(routed), new targets.LambdaFunction(recorder('EventConsumer'))],
    });

    const driver = this.traced('Driver', 'driver.ts', {
      TOPIC_ARN: topic.topicArn,
      FIFO_QUEUE_URL: fifo.queueUrl,
      ORDERS_TABLE: orders.tableName,
      BUS_NAME: bus.eventBusName,
    });
    topic.grantPublish(driver);
    fifo.grantSendMessages(driver);
    orders.grantWriteData(driver);
    bus.grantPutEventsTo(driver);
    api.root.addResource('drive').addResource('{flow}').addMethod('POST', new apigateway.LambdaIntegration(driver));
  }

  /** A Node.js function with active tracing, bundled by esbuild as the pattern bundles its handlers. */
  private traced(id: string, file: string, environment: Record<string, string> = {}): NodejsFunction {
    return new NodejsFunction(this, id, {
      entry: `${HERE}lambdas/${file}`,
      handler: 'handler',
      runtime: Runtime.NODEJS_22_X,
      timeout: Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      environment,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        // The SDK is bundled, as the pattern does: the bundle runs wherever the assembly is copied.
        externalModules: [],
        banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  }
}
