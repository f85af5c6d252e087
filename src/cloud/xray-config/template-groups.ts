import { CreateGroupCommand, paginateGetGroups, UpdateGroupCommand } from '@aws-sdk/client-xray';
import type { InsightsConfiguration, XRayClient } from '@aws-sdk/client-xray';
import type { CloudModel, CloudResource } from '../core/types.ts';
import { isRecord } from '../../common/is-record.ts';
import { provision, tagsOf, type ProvisionedKind, type ProvisionOptions } from './provision.ts';

export const GROUP_TYPE = 'AWS::XRay::Group';

/** The group's name as the template reader named it: `arn:...:group/<name>/<id>`. */
function groupName(resource: CloudResource): string {
  const arn = resource.arn ?? resource.physicalId;
  const tail = arn.slice(arn.indexOf(':group/') + ':group/'.length);
  return tail.slice(0, tail.lastIndexOf('/'));
}

function insightsOf(resource: CloudResource): InsightsConfiguration | undefined {
  const given = resource.properties['InsightsConfiguration'];
  if (!isRecord(given)) return undefined;
  const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined);
  const insights = flag(given['InsightsEnabled']);
  const notifications = flag(given['NotificationsEnabled']);
  return {
    ...(insights !== undefined ? { InsightsEnabled: insights } : {}),
    ...(notifications !== undefined ? { NotificationsEnabled: notifications } : {}),
  };
}

async function existingGroupNames(client: XRayClient): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const page of paginateGetGroups({ client }, {})) {
    for (const group of page.Groups ?? []) if (group.GroupName !== undefined) names.add(group.GroupName);
  }
  return names;
}

const GROUPS: ProvisionedKind = {
  type: GROUP_TYPE,
  label: 'X-Ray group',
  plural: 'groups',
  logName: 'x-ray: group',
  nameOf: groupName,
  existing: existingGroupNames,
  async apply(client, resource, exists) {
    const filter = resource.properties['FilterExpression'];
    if (filter !== undefined && typeof filter !== 'string') {
      return `its FilterExpression is not a string after the template's functions were resolved (${JSON.stringify(filter)})`;
    }
    const insights = insightsOf(resource);
    const settings = {
      GroupName: groupName(resource),
      ...(filter !== undefined ? { FilterExpression: filter } : {}),
      ...(insights !== undefined ? { InsightsConfiguration: insights } : {}),
    };
    if (exists) await client.send(new UpdateGroupCommand(settings));
    else {
      const tags = tagsOf(resource);
      await client.send(new CreateGroupCommand({ ...settings, ...(tags !== undefined ? { Tags: tags } : {}) }));
    }
    return undefined;
  },
};

/**
 * Creates the templates' `AWS::XRay::Group` resources in the X-Ray API, so the console's group
 * selector and `--group` know them; a group that exists from an earlier run takes the template's
 * filter and settings. A warning for each group that could not be; never throws.
 */
export function provisionGroups(model: CloudModel, options: ProvisionOptions): Promise<string[]> {
  return provision(model, GROUPS, options);
}
