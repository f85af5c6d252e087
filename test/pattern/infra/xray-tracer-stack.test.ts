import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FAULTS_FILTER } from '../../../src/pattern/infra/pattern-groups.ts';
import { XrayTracerStack } from '../../../src/pattern/infra/xray-tracer-stack.ts';
import { arnOf, expectGroup, logicalId, patternApp, permissions, ref, rolePermissions, testApp } from './support.ts';

describe('TheXrayTracerStack', () => {
  const pattern = patternApp();
  const stack = pattern.api;
  const template = Template.fromStack(stack);
  const topic = ref(stack.fanOutTopic);

  it('has the actively traced fan-out topic, exported for the flow stacks', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { TracingConfig: 'Active' });
    const exported = template.findOutputs('*', { Value: topic, Export: { Name: Match.anyValue() } });
    expect(Object.keys(exported)).toHaveLength(1);
  });

  it('requires TLS from every publisher of the fan-out topic', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ],
      },
    });
  });

  it('has exactly two methods, GET / and GET /{proxy+}', () => {
    template.resourceCountIs('AWS::ApiGateway::Method', 2);
    template.resourceCountIs('AWS::ApiGateway::Resource', 1);
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).map(
      (method) => (method as { Properties: { HttpMethod: string; ResourceId: unknown } }).Properties,
    );
    expect(methods.map((method) => method.HttpMethod)).toEqual(['GET', 'GET']);
    expect(methods.map((method) => method.ResourceId)).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [logicalId(stack.api), 'RootResourceId'] },
        { Ref: logicalId(stack.api.root.getResource('{proxy+}')!) },
      ]),
    );
  });

  it('deploys stage prod with tracing, metrics, INFO logging and data trace on for all methods', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [
        {
          DataTraceEnabled: true,
          HttpMethod: '*',
          LoggingLevel: 'INFO',
          MetricsEnabled: true,
          ResourcePath: '/*',
          ThrottlingRateLimit: 100,
          ThrottlingBurstLimit: 200,
        },
      ],
    });
  });

  it('writes JSON access logs to a log group with a retention', () => {
    const logGroups = template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 } });
    expect(Object.keys(logGroups)).toHaveLength(1);
    const [logGroupId] = Object.keys(logGroups);
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: { AccessLogSetting: { DestinationArn: unknown; Format: string } };
    };
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    expect(JSON.parse(stage.Properties.AccessLogSetting.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
  });

  it('publishes the request path straight to the fan-out topic through SNS Publish', () => {
    for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
      expect(method).toMatchObject({
        Properties: {
          AuthorizationType: 'NONE',
          Integration: {
            Type: 'AWS',
            IntegrationHttpMethod: 'POST',
            Credentials: arnOf(stack.node.findChild('PublishToFanOut').node.findChild('Role')),
            PassthroughBehavior: 'NEVER',
            RequestParameters: {
              'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'",
              'integration.request.header.Accept': "'application/json'",
            },
          },
        },
      });
      const integration = (method as { Properties: { Integration: Record<string, unknown> } }).Properties.Integration;
      expect(JSON.stringify(integration.Uri)).toContain(':sns:path//');
      const publish = {
        'Fn::Join': [
          '',
          [
            "Action=Publish&TopicArn=$util.urlEncode('",
            topic,
            "')&Message=$util.urlEncode($context.path)&Version=2010-03-31",
          ],
        ],
      };
      expect(integration.RequestTemplates).toEqual({ 'application/json': publish, 'text/plain': publish });
    }
  });

  it('lets API Gateway do nothing but publish to the fan-out topic', () => {
    const role = stack.node.findChild('PublishToFanOut').node.findChild('Role');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
      },
    });
    expect(rolePermissions(template, logicalId(role))).toEqual(permissions([['sns:Publish'], topic]));
  });

  it('answers 200 with the published message, and maps SNS failures by their status codes', () => {
    for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
      const properties = (method as { Properties: MethodProperties }).Properties;
      const responses = properties.Integration.IntegrationResponses;
      expect(responses.map((response) => [response.SelectionPattern, response.StatusCode])).toEqual([
        [undefined, '200'],
        ['4\\d{2}', '400'],
        ['5\\d{2}', '502'],
      ]);
      expect(responses[0]?.ResponseTemplates).toEqual({
        'application/json': '{"message":"message added to SNS topic"}',
      });
      for (const response of responses.slice(1)) {
        const template = response.ResponseTemplates['application/json'];
        expect(template).toContain("$input.path('$.Error.Code')");
        expect(template).toContain('$util.escapeJavaScript(');
      }
      // Every status the integration can answer with is declared as a method response.
      expect(properties.MethodResponses.map((response) => response.StatusCode).sort()).toEqual(
        responses.map((response) => response.StatusCode).sort(),
      );
    }
  });

  it('uses selection patterns that really match backend status codes, and only failures', () => {
    const method = Object.values(template.findResources('AWS::ApiGateway::Method'))[0] as { Properties: MethodProperties };
    // API Gateway matches the whole status code against the pattern (a Java regular expression).
    const answer = (status: string) =>
      method.Properties.Integration.IntegrationResponses.find(
        (response) => response.SelectionPattern !== undefined && new RegExp(`^(?:${response.SelectionPattern})$`).test(status),
      )?.StatusCode ?? 'default 200';
    expect(['400', '403', '404', '429'].map(answer)).toEqual(['400', '400', '400', '400']);
    expect(['500', '502', '503'].map(answer)).toEqual(['502', '502', '502']);
    expect(['200', '201'].map(answer)).toEqual(['default 200', 'default 200']);
  });

  it('groups the traces that faulted at the entry or in any function', () => {
    expectGroup(template, 'xray-tracer-faults', FAULTS_FILTER);
  });

  it("sets the account's API Gateway logging role unless told not to", () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const app = testApp();
    const without = Template.fromStack(new XrayTracerStack(app, 'Without', { cloudWatchRole: false }));
    without.resourceCountIs('AWS::ApiGateway::Account', 0);
    // Without it, only the integration role is left.
    without.resourceCountIs('AWS::IAM::Role', 1);
  });
});

interface MethodProperties {
  readonly Integration: {
    readonly IntegrationResponses: {
      readonly SelectionPattern?: string;
      readonly StatusCode: string;
      readonly ResponseTemplates: Record<string, string>;
    }[];
  };
  readonly MethodResponses: { readonly StatusCode: string }[];
}
