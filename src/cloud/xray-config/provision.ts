import type { Tag, XRayClient } from '@aws-sdk/client-xray';
import type { Logger } from '../core/runtime.ts';
import type { CloudModel, CloudResource } from '../core/types.ts';
import { localXrayClient, reasonOf } from './client.ts';
import { isRecord } from '../../common/is-record.ts';

export interface ProvisionOptions {
  /** The X-Ray API the resources are created in; without one they are not (a warning each). */
  readonly xrayApiUrl: string | undefined;
  readonly logger: Pick<Logger, 'info'>;
  /** @default an XRayClient for xrayApiUrl, closed afterwards */
  readonly client?: XRayClient;
}

/** One kind of X-Ray configuration a template declares (groups, sampling rules). */
export interface ProvisionedKind {
  readonly type: string;
  /** e.g. `X-Ray group`, in messages. */
  readonly label: string;
  /** The plural, in "could not list the ...". */
  readonly plural: string;
  /** How the log line names one, e.g. `x-ray: group`. */
  readonly logName: string;
  nameOf(resource: CloudResource): string;
  /** The names the service holds now. */
  existing(client: XRayClient): Promise<Set<string>>;
  /** Creates the resource, or updates the one of its name; a string is why it cannot be sent at all. */
  apply(client: XRayClient, resource: CloudResource, exists: boolean): Promise<string | undefined>;
}

/**
 * Creates a template's X-Ray configuration of one kind through the X-Ray API, as CloudFormation does;
 * what exists by name from an earlier run is updated to the template's settings instead. Returns a
 * warning for each resource that could not be, naming it and the reason; never throws.
 */
export async function provision(model: CloudModel, kind: ProvisionedKind, options: ProvisionOptions): Promise<string[]> {
  const resources = model.byType(kind.type);
  if (resources.length === 0) return [];
  const notDone = (resource: CloudResource, why: string, verb = 'created'): string =>
    `${kind.label} ${kind.nameOf(resource)} (${resource.stack}/${resource.logicalId}) not ${verb}: ${why}`;
  if (options.xrayApiUrl === undefined) {
    return resources.map((resource) => notDone(resource, 'the local cloud was started without an X-Ray API to create it in'));
  }
  const client = options.client ?? localXrayClient(options.xrayApiUrl, model.region);
  const warnings: string[] = [];
  try {
    let existing: Set<string>;
    try {
      existing = await kind.existing(client);
    } catch (error) {
      return resources.map((resource) => notDone(resource, `the X-Ray API at ${options.xrayApiUrl} could not list the ${kind.plural}: ${reasonOf(error)}`));
    }
    for (const resource of resources) {
      const name = kind.nameOf(resource);
      const update = existing.has(name);
      const verb = update ? 'updated' : 'created';
      try {
        const refusal = await kind.apply(client, resource, update);
        if (refusal !== undefined) {
          warnings.push(notDone(resource, refusal, verb));
          continue;
        }
        options.logger.info(`${kind.logName} ${name} ${verb} from ${resource.stack}/${resource.logicalId}`);
      } catch (error) {
        warnings.push(notDone(resource, reasonOf(error), verb));
      }
    }
  } finally {
    if (options.client === undefined) client.destroy();
  }
  return warnings;
}

/** A resource's `Tags` as the X-Ray API takes them; malformed entries are left out. */
export function tagsOf(resource: CloudResource): Tag[] | undefined {
  const tags = resource.properties['Tags'];
  if (!Array.isArray(tags)) return undefined;
  return tags.filter((tag): tag is Tag => isRecord(tag) && typeof tag['Key'] === 'string' && typeof tag['Value'] === 'string');
}
