import { describe, expect, it } from 'vitest';
import { MetricStore } from '../../../src/cloud/metrics/metric-store.ts';
import { MetricsSink } from '../../../src/cloud/metrics/metrics-sink.ts';
import { ServiceMetrics } from '../../../src/cloud/metrics/service-metrics.ts';
import { aggregate } from '../../../src/cloud/metrics/statistics.ts';

const T0 = Date.UTC(2026, 0, 1);

function setup() {
  const store = new MetricStore(':memory:');
  const services = new ServiceMetrics(new MetricsSink(store, { warn: () => {} }));
  const sum = (namespace: string, metricName: string, dimensions: Record<string, string>): number =>
    aggregate(store.datapoints({ namespace, metricName, dimensions: Object.entries(dimensions).map(([name, value]) => ({ name, value })) }, 0, Infinity), 3600_000)
      .reduce((total, p) => total + p.sum, 0);
  return { store, services, sum };
}

describe('ServiceMetrics', () => {
  it('publishes AWS/Lambda per function, per function and resource, and account-wide', () => {
    const { store, services, sum } = setup();
    services.lambdaDone({ functionName: 'http', failed: false, durationMs: 12, endMs: T0 });
    services.lambdaDone({ functionName: 'http', failed: true, durationMs: 30, endMs: T0 + 1 });
    services.lambdaDone({ functionName: 'dynamo', failed: false, durationMs: 5, endMs: T0 + 2 });
    services.lambdaThrottled('http', T0 + 3);
    expect(sum('AWS/Lambda', 'Invocations', { FunctionName: 'http' })).toBe(2);
    expect(sum('AWS/Lambda', 'Errors', { FunctionName: 'http' })).toBe(1);
    expect(sum('AWS/Lambda', 'Duration', { FunctionName: 'http', Resource: 'http' })).toBe(42);
    expect(sum('AWS/Lambda', 'Invocations', {})).toBe(3);
    expect(sum('AWS/Lambda', 'Throttles', { FunctionName: 'http' })).toBe(1);
    store.close();
  });

  it('publishes AWS/ApiGateway per API and stage, and per method and resource only with detailed metrics', () => {
    const { store, services, sum } = setup();
    const base = { apiName: 'api', stage: 'prod', method: 'GET', resourcePath: '/{proxy+}', latencyMs: 20, integrationLatencyMs: 15, endMs: T0 };
    services.apiRequest({ ...base, status: 200, detailedMetrics: true });
    services.apiRequest({ ...base, status: 404, detailedMetrics: true });
    services.apiRequest({ ...base, status: 502, detailedMetrics: false, integrationLatencyMs: undefined });
    expect(sum('AWS/ApiGateway', 'Count', { ApiName: 'api', Stage: 'prod' })).toBe(3);
    expect(sum('AWS/ApiGateway', '4XXError', { ApiName: 'api', Stage: 'prod' })).toBe(1);
    expect(sum('AWS/ApiGateway', '5XXError', { ApiName: 'api' })).toBe(1);
    expect(sum('AWS/ApiGateway', 'IntegrationLatency', { ApiName: 'api', Stage: 'prod' })).toBe(30);
    expect(sum('AWS/ApiGateway', 'Count', { ApiName: 'api', Stage: 'prod', Method: 'GET', Resource: '/{proxy+}' })).toBe(2);
    store.close();
  });

  it('publishes AWS/SNS per topic', () => {
    const { store, services, sum } = setup();
    services.snsPublished('orders', 120, T0);
    services.snsPublished('orders', 80, T0);
    services.snsDelivered('orders', true, T0);
    services.snsDelivered('orders', false, T0);
    services.snsDelivered('orders', true, T0);
    expect(sum('AWS/SNS', 'NumberOfMessagesPublished', { TopicName: 'orders' })).toBe(2);
    expect(sum('AWS/SNS', 'PublishSize', { TopicName: 'orders' })).toBe(200);
    expect(sum('AWS/SNS', 'NumberOfNotificationsDelivered', { TopicName: 'orders' })).toBe(2);
    expect(sum('AWS/SNS', 'NumberOfNotificationsFailed', { TopicName: 'orders' })).toBe(1);
    store.close();
  });
});
