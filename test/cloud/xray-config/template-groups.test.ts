// The templates' X-Ray groups, created in a real (in-memory) X-Ray service through its API, as the
// pattern's stacks declare them: a plain filter and one built with Fn::Sub from a function's name.
import { GetGroupsCommand, type XRayClient } from '@aws-sdk/client-xray';
import { App, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { provisionGroups } from '../../../src/cloud/xray-config/template-groups.ts';
import type { CfnTemplate } from '../../../src/cloud/template/assembly.ts';
import { TracerGroup } from '../../../src/pattern/infra/tracer-group.ts';
import type { XrayService } from '../../../src/xray/service.ts';
import { clientOf, freePort, startService } from '../../cli/support/xray-service.ts';
import { model, stack } from '../template/support.ts';

const NOW = 1_750_000_000;

function synthesized(faultFilter = 'fault = true'): CfnTemplate {
  const app = new App();
  const groups = new Stack(app, 'GroupsStack');
  new TracerGroup(groups, 'Faults', { name: 'faults', filterExpression: faultFilter });
  new TracerGroup(groups, 'Http', { name: 'http', filterExpression: Fn.sub('service("${Name}") { fault }', { Name: 'TheHttpFlowStack-HttpLambda' }) });
  return Template.fromStack(groups).toJSON() as CfnTemplate;
}

let service: XrayService;
let client: XRayClient;
let info: string[];
const logger = { info: (line: string) => info.push(line) };

beforeEach(async () => {
  service = await startService(NOW);
  client = clientOf(service);
  info = [];
});

afterEach(async () => {
  client.destroy();
  await service.stop();
});

async function groups(): Promise<Array<[string | undefined, string | undefined, boolean | undefined]>> {
  const answer = await client.send(new GetGroupsCommand({}));
  return (answer.Groups ?? []).map((group) => [group.GroupName, group.FilterExpression, group.InsightsConfiguration?.InsightsEnabled]);
}

describe('AWS::XRay::Group resources', () => {
  it('are a supported type, and are created in the X-Ray API with their filters resolved', async () => {
    const read = model(stack('GroupsStack', synthesized()));
    expect(read.warnings).toEqual([]);
    expect(await provisionGroups(read, { xrayApiUrl: service.api.url, logger })).toEqual([]);
    expect(await groups()).toEqual(expect.arrayContaining([
      ['xray-tracer-faults', 'fault = true', false],
      ['xray-tracer-http', 'service("TheHttpFlowStack-HttpLambda") { fault }', false],
    ]));
    expect(info).toEqual([
      expect.stringMatching(/^x-ray: group xray-tracer-faults created from GroupsStack\/Faults/),
      expect.stringMatching(/^x-ray: group xray-tracer-http created from GroupsStack\/Http/),
    ]);
  });

  it('take the template\'s filter on a later start, when the group exists from an earlier one', async () => {
    await provisionGroups(model(stack('GroupsStack', synthesized())), { xrayApiUrl: service.api.url, logger });
    const warnings = await provisionGroups(model(stack('GroupsStack', synthesized('fault = true AND responsetime > 1'))), { xrayApiUrl: service.api.url, logger });
    expect(warnings).toEqual([]);
    expect(await groups()).toContainEqual(['xray-tracer-faults', 'fault = true AND responsetime > 1', false]);
    expect(info.at(-2)).toMatch(/^x-ray: group xray-tracer-faults updated from GroupsStack\/Faults/);
  });

  it('a filter the service refuses, or no service, is a warning naming the group and why', async () => {
    const bad = await provisionGroups(model(stack('GroupsStack', synthesized('fault = ('))), { xrayApiUrl: service.api.url, logger });
    expect(bad).toEqual([expect.stringMatching(/^X-Ray group xray-tracer-faults \(GroupsStack\/FaultsGroup\w+\) not created: InvalidRequestException: FilterExpression: .* at column 9$/)]);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await provisionGroups(model(stack('GroupsStack', synthesized())), { xrayApiUrl: closed, logger });
    expect(unreachable).toHaveLength(2);
    expect(unreachable[0]).toMatch(new RegExp(`^X-Ray group xray-tracer-faults \\(GroupsStack/FaultsGroup\\w+\\) not created: the X-Ray API at ${closed} could not list the groups: `));
    expect(await provisionGroups(model(stack('GroupsStack', synthesized())), { xrayApiUrl: undefined, logger }))
      .toEqual([expect.stringContaining('not created: the local cloud was started without an X-Ray API'), expect.any(String)]);
  });
});
