import { CreateGroupCommand, paginateGetGroups, UpdateGroupCommand } from '@aws-sdk/client-xray';
import type { InsightsConfiguration, Tag, XRayClient } from '@aws-sdk/client-xray';
import type { CloudModel, CloudResource } from '../types.ts';
import { localXrayClient, reasonOf } from './client.ts';

export const GROUP_TYPE = 'AWS::XRay::Group';

export interface TemplateGroupsOptions {
  /** The X-Ray API the groups are created in; without one they are not (a warning each). */
  readonly xrayApiUrl: string | undefined;
  readonly logger: { info(message: string): void };
  /** @default an XRayClient for xrayApiUrl, closed afterwards */
  readonly client?: XRayClient;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function tagsOf(resource: CloudResource): Tag[] | undefined {
  const tags = resource.properties['Tags'];
  if (!Array.isArray(tags)) return undefined;
  return tags.filter((tag): tag is Tag => isRecord(tag) && typeof tag['Key'] === 'string' && typeof tag['Value'] === 'string');
}

async function existingGroupNames(client: XRayClient): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const page of paginateGetGroups({ client }, {})) {
    for (const group of page.Groups ?? []) if (group.GroupName !== undefined) names.add(group.GroupName);
  }
  return names;
}

/**
 * Creates the templates' `AWS::XRay::Group` resources in the X-Ray API with the AWS SDK, as
 * CloudFormation does, so the console's group selector and `--group` know them; a group that already
 * exists by name (from an earlier run) takes the template's filter and settings instead. Returns a
 * warning for each group that could not be, naming it and the reason; never throws.
 */
export async function provisionGroups(model: CloudModel, options: TemplateGroupsOptions): Promise<string[]> {
  const resources = model.byType(GROUP_TYPE);
  if (resources.length === 0) return [];
  const notCreated = (resource: CloudResource, why: string, verb = 'created'): string =>
    `X-Ray group ${groupName(resource)} (${resource.stack}/${resource.logicalId}) not ${verb}: ${why}`;
  if (options.xrayApiUrl === undefined) {
    return resources.map((resource) => notCreated(resource, 'the local cloud was started without an X-Ray API to create it in'));
  }
  const client = options.client ?? localXrayClient(options.xrayApiUrl, model.region);
  const warnings: string[] = [];
  try {
    let existing: Set<string>;
    try {
      existing = await existingGroupNames(client);
    } catch (error) {
      return resources.map((resource) => notCreated(resource, `the X-Ray API at ${options.xrayApiUrl} could not list the groups: ${reasonOf(error)}`));
    }
    for (const resource of resources) {
      const name = groupName(resource);
      const filter = resource.properties['FilterExpression'];
      if (filter !== undefined && typeof filter !== 'string') {
        warnings.push(notCreated(resource, `its FilterExpression is not a string after the template's functions were resolved (${JSON.stringify(filter)})`));
        continue;
      }
      const insights = insightsOf(resource);
      const settings = { GroupName: name, ...(filter !== undefined ? { FilterExpression: filter } : {}), ...(insights !== undefined ? { InsightsConfiguration: insights } : {}) };
      const update = existing.has(name);
      try {
        if (update) await client.send(new UpdateGroupCommand(settings));
        else {
          const tags = tagsOf(resource);
          await client.send(new CreateGroupCommand({ ...settings, ...(tags !== undefined ? { Tags: tags } : {}) }));
        }
        options.logger.info(`x-ray: group ${name} ${update ? 'updated' : 'created'} from ${resource.stack}/${resource.logicalId}`);
      } catch (error) {
        warnings.push(notCreated(resource, reasonOf(error), update ? 'updated' : 'created'));
      }
    }
  } finally {
    if (options.client === undefined) client.destroy();
  }
  return warnings;
}
