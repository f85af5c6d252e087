import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/pattern/infra/build-app.ts';
import { patternApp } from './support.ts';

const FUNCTIONS = 6;

function functionsOf(instrumentation: 'xray' | 'opentelemetry'): Record<string, { Properties: Record<string, unknown> }>[] {
  const pattern = patternApp({ instrumentation });
  return [pattern.dynamo, pattern.http, pattern.sns, pattern.sqs].map(
    (stack) => Template.fromStack(stack).findResources('AWS::Lambda::Function') as Record<string, { Properties: Record<string, unknown> }>,
  );
}

function policiesOf(instrumentation: 'xray' | 'opentelemetry'): unknown[] {
  const pattern = patternApp({ instrumentation });
  return [pattern.api, pattern.dynamo, pattern.http, pattern.sns, pattern.sqs].flatMap((stack) =>
    Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).map((policy) => (policy as { Properties: unknown }).Properties),
  );
}

describe('the OpenTelemetry flavour (cdk synth -c instrumentation=opentelemetry)', () => {
  it('points every function at X-Ray\'s OTLP endpoint in its region, with active tracing kept', () => {
    const functions = functionsOf('opentelemetry').flatMap((found) => Object.values(found));
    expect(functions).toHaveLength(FUNCTIONS);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: {
            XRAY_TRACER_INSTRUMENTATION: 'opentelemetry',
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
              'Fn::Join': ['', ['https://xray.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/v1/traces']],
            },
          },
        },
      });
    }
  });

  it('leaves the X-Ray flavour without those variables', () => {
    const functions = functionsOf('xray').flatMap((found) => Object.values(found));
    expect(functions).toHaveLength(FUNCTIONS);
    for (const fn of functions) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables).not.toHaveProperty('XRAY_TRACER_INSTRUMENTATION');
      expect(variables).not.toHaveProperty('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    }
  });

  it('grants exactly the same permissions as the X-Ray flavour (the OTLP endpoint is authorized as xray:PutTraceSegments)', () => {
    expect(policiesOf('opentelemetry')).toEqual(policiesOf('xray'));
    expect(JSON.stringify(policiesOf('opentelemetry'))).toContain('xray:PutTraceSegments');
  });

  it('reads the flavour from the context the CDK CLI passes (-c instrumentation=opentelemetry)', () => {
    const saved = process.env.CDK_CONTEXT_JSON;
    process.env.CDK_CONTEXT_JSON = JSON.stringify({ instrumentation: 'opentelemetry' });
    try {
      const pattern = buildApp({ bundling: false, cloudFormationValidation: false, env: {} });
      Template.fromStack(pattern.dynamo).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { XRAY_TRACER_INSTRUMENTATION: 'opentelemetry' } },
      });
    } finally {
      if (saved === undefined) delete process.env.CDK_CONTEXT_JSON;
      else process.env.CDK_CONTEXT_JSON = saved;
    }
  });

  it('refuses an instrumentation it does not know, naming it', () => {
    expect(() => buildApp({ bundling: false, cloudFormationValidation: false, env: {}, instrumentation: 'zipkin' as 'xray' })).toThrow(
      'context instrumentation must be "xray" or "opentelemetry", got "zipkin"',
    );
  });
});
