import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { HTTP_FAULTS_FILTER } from '../../../src/pattern/infra/pattern-groups.ts';
import { DEFAULT_TARGET_URL, HttpFlowStack } from '../../../src/pattern/infra/http-flow-stack.ts';
import {
  expectGroup,
  expectQueuesSecured,
  expectTracedFunction,
  importedFanOutTopic,
  patternApp,
  ref,
  testApp,
} from './support.ts';

describe('TheHttpFlowStack', () => {
  const pattern = patternApp();
  const stack = pattern.http;
  const template = Template.fromStack(stack);

  it('runs the http handler on every fan-out message with no AWS permission beyond X-Ray and its logs', () => {
    expectTracedFunction(template, stack.function, {
      handler: 'http',
      environment: { TARGET_URL: 'https://jsonplaceholder.typicode.com/todos/1' },
      handlerPermissions: [],
      subscribedTo: importedFanOutTopic(pattern),
    });
    expect(DEFAULT_TARGET_URL).toBe('https://jsonplaceholder.typicode.com/todos/1');
  });

  it('groups the traces in which the function faulted', () => {
    expectGroup(template, 'xray-tracer-http', {
      'Fn::Sub': [HTTP_FAULTS_FILTER, { FunctionName: ref(stack.function.function) }],
    });
  });

  it('encrypts its dead-letter queue and enforces TLS on it', () => {
    expectQueuesSecured(template);
  });

  it('passes a configured target to the handler', () => {
    Template.fromStack(standaloneStack('https://127.0.0.1:8443/todos/1')).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { TARGET_URL: 'https://127.0.0.1:8443/todos/1' } },
    });
  });

  it('refuses a target that is not an http(s) URL, naming it', () => {
    expect(() => standaloneStack('not a url')).toThrow('targetUrl "not a url" is not a valid URL');
    expect(() => standaloneStack('ftp://example.com/x')).toThrow(
      'targetUrl "ftp://example.com/x" must use http or https, not ftp:',
    );
  });
});

/** The HTTP flow alone, subscribed to a topic of a stack of its own. */
function standaloneStack(targetUrl: string): HttpFlowStack {
  const app = testApp();
  const topics = new Stack(app, 'Topics');
  return new HttpFlowStack(app, 'Http', { fanOutTopic: new Topic(topics, 'FanOut'), targetUrl });
}
