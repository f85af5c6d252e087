/** How `xray-tracer groups` prints groups and what it changed. */
import type { Group, GroupSummary } from '@aws-sdk/client-xray';
import { alignedTable, printable } from '../xray-api/index.ts';

function insights(group: Group | GroupSummary): string {
  const settings = group.InsightsConfiguration;
  if (settings?.InsightsEnabled !== true) return 'off';
  return settings.NotificationsEnabled === true ? 'on, notifications' : 'on';
}

/** In the service's order: Default first, then by name. */
export function formatGroups(groups: readonly GroupSummary[]): string[] {
  const table = alignedTable(
    [{ title: 'group' }, { title: 'filter' }, { title: 'insights' }, { title: 'arn' }],
    groups.map((g) => [g.GroupName ?? '?', g.FilterExpression ?? '(every trace)', insights(g), g.GroupARN ?? '-']),
  );
  return [...table, `${groups.length} group${groups.length === 1 ? '' : 's'}`];
}

/** `created` or `updated`: the group as the service now holds it. */
export function formatChanged(verb: 'created' | 'updated', group: Group | undefined): string[] {
  const name = printable(JSON.stringify(group?.GroupName ?? '?'));
  return [
    `${verb} group ${name}`,
    `  filter  ${printable(group?.FilterExpression ?? '(none: every trace)')}`,
    `  arn     ${printable(group?.GroupARN ?? '-')}`,
  ];
}

export function formatDeleted(name: string): string[] {
  return [`deleted group ${printable(JSON.stringify(name))}`];
}
