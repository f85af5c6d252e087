/**
 * `xray-tracer groups [list|create|update|delete]`: X-Ray groups through CreateGroup, GetGroups,
 * UpdateGroup and DeleteGroup. Names and filters are checked by the service, so a bad filter's
 * message (with its column) is the API's, as for `traces --filter`.
 */
import { CreateGroupCommand, DeleteGroupCommand, paginateGetGroups, UpdateGroupCommand, type GroupSummary } from '@aws-sdk/client-xray';
import { callService, OptionError, parseEndpoint, runCommand, type CommandOutput } from '../xray-api/index.ts';
import { formatChanged, formatDeleted, formatGroups } from './format.ts';

export type GroupsAction =
  | { readonly kind: 'list' }
  | { readonly kind: 'create'; readonly name: string; readonly filter?: string | undefined }
  | { readonly kind: 'update'; readonly name: string; readonly filter?: string | undefined }
  | { readonly kind: 'delete'; readonly name: string };

export interface GroupsFlags {
  readonly json?: boolean;
  readonly endpoint?: string;
}

function checkFilter(action: GroupsAction): void {
  // Without a filter UpdateGroup would change nothing: say so rather than answer "updated".
  if (action.kind === 'update' && action.filter === undefined) throw new OptionError('update needs --filter EXPR: the new filter expression');
}

/** Returns the exit code: 0 when done; 1 when the service refused (bad filter, unknown group) or is unreachable; 2 for bad options. */
export async function runGroups(action: GroupsAction, flags: GroupsFlags, output: CommandOutput): Promise<number> {
  const plan = () => {
    checkFilter(action);
    return { endpoint: parseEndpoint(flags.endpoint), json: flags.json === true };
  };
  return runCommand('groups', output, plan, async ({ endpoint, json }, client) => {
    const print = (body: object, lines: string[]): void => {
      if (json) output.out(JSON.stringify(body, null, 2));
      else for (const line of lines) output.out(line);
    };
    switch (action.kind) {
      case 'list': {
        const groups: GroupSummary[] = [];
        await callService(endpoint, async () => {
          for await (const page of paginateGetGroups({ client }, {})) groups.push(...(page.Groups ?? []));
        });
        print({ Groups: groups }, formatGroups(groups));
        break;
      }
      case 'create': {
        const filter = action.filter === undefined ? {} : { FilterExpression: action.filter };
        const { Group } = await callService(endpoint, () => client.send(new CreateGroupCommand({ GroupName: action.name, ...filter })));
        print({ Group }, formatChanged('created', Group));
        break;
      }
      case 'update': {
        const { Group } = await callService(endpoint, () => client.send(new UpdateGroupCommand({ GroupName: action.name, FilterExpression: action.filter })));
        print({ Group }, formatChanged('updated', Group));
        break;
      }
      case 'delete': {
        await callService(endpoint, () => client.send(new DeleteGroupCommand({ GroupName: action.name })));
        print({}, formatDeleted(action.name));
        break;
      }
    }
    return 0;
  });
}
