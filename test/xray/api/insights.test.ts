import { GetInsightCommand, GetInsightEventsCommand, GetInsightImpactGraphCommand, GetInsightSummariesCommand } from '@aws-sdk/client-xray';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { failure, NOW, startApiService, type ApiService } from '../support/api-service.ts';

const ID = '5b0e8e5c-2c1b-4d8f-9a3e-0123456789ab';
const at = (seconds: number): Date => new Date(seconds * 1000);

describe('Insights through XRayClient', () => {
  let api: ApiService;
  beforeAll(async () => {
    api = await startApiService();
  });
  afterAll(async () => api.stop());

  test('GetInsightSummaries: an empty list for a group, as long as no insight exists', async () => {
    const answer = await api.client.send(new GetInsightSummariesCommand({ GroupName: 'Default', States: ['ACTIVE'], StartTime: at(NOW - 3600), EndTime: at(NOW), MaxResults: 10 }));
    expect(answer.InsightSummaries).toEqual([]);
    expect(answer.NextToken).toBeUndefined();
  });

  test.each([
    ['no group', { StartTime: at(NOW - 60), EndTime: at(NOW) }, 'GroupName or GroupARN is required'],
    ['an unknown group', { GroupName: 'none', StartTime: at(NOW - 60), EndTime: at(NOW) }, 'there is no group named "none"'],
    ['a start over 30 days old', { GroupName: 'Default', StartTime: at(NOW - 31 * 86400), EndTime: at(NOW) }, `StartTime (${NOW - 31 * 86400}) must not be more than 30 days old`],
    ['two states', { GroupName: 'Default', States: ['ACTIVE', 'CLOSED'], StartTime: at(NOW - 60), EndTime: at(NOW) }, 'States must be an array of at most 1 state, got an array'],
    ['MaxResults 101', { GroupName: 'Default', StartTime: at(NOW - 60), EndTime: at(NOW), MaxResults: 101 }, 'MaxResults must be a whole number from 1 to 100, got 101'],
  ])('GetInsightSummaries refuses %s with InvalidRequestException', async (_what, input, message) => {
    expect(await failure(api.client.send(new GetInsightSummariesCommand(input as never)))).toEqual({ name: 'InvalidRequestException', message, status: 400 });
  });

  test('GetInsight, GetInsightEvents and GetInsightImpactGraph: InvalidRequestException for an unknown id, as AWS', async () => {
    const unknown = { name: 'InvalidRequestException', message: `there is no insight with InsightId "${ID}"`, status: 400 };
    expect(await failure(api.client.send(new GetInsightCommand({ InsightId: ID })))).toEqual(unknown);
    expect(await failure(api.client.send(new GetInsightEventsCommand({ InsightId: ID, MaxResults: 50 })))).toEqual(unknown);
    expect(await failure(api.client.send(new GetInsightImpactGraphCommand({ InsightId: ID, StartTime: at(NOW - 3600), EndTime: at(NOW) })))).toEqual(unknown);
  });

  test.each([
    ['an id that is not a UUID', new GetInsightCommand({ InsightId: 'abc' }), 'InsightId the string "abc" is not an insight id (a UUID, as GetInsightSummaries gives them)'],
    ['MaxResults 51', new GetInsightEventsCommand({ InsightId: ID, MaxResults: 51 }), 'MaxResults must be a whole number from 1 to 50, got 51'],
    ['a range over six hours', new GetInsightImpactGraphCommand({ InsightId: ID, StartTime: at(NOW - 7 * 3600), EndTime: at(NOW) }), 'the time from StartTime to EndTime must be at most 6 hours'],
  ])('refuses %s', async (_what, command, message) => {
    expect(await failure(api.client.send(command as never))).toEqual({ name: 'InvalidRequestException', message, status: 400 });
  });
});
