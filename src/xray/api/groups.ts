/**
 * The X-Ray group operations in AWS's shapes: CreateGroup (`POST /CreateGroup`), GetGroup
 * (`/GetGroup`), GetGroups (`/Groups`), UpdateGroup (`/UpdateGroup`), DeleteGroup
 * (`/DeleteGroup`). Every refusal is an InvalidRequestException saying what was wrong, as AWS
 * answers them. Tags on CreateGroup are kept with the group (../tags) and go when it is deleted.
 */
import { GroupRequestError, MAX_GROUP_NAME_LENGTH, type Group, type GroupChanges, type GroupRef, type Groups } from '../groups/index.ts';
import { invalidRequest } from '../http/errors.ts';
import type { JsonObject } from '../http/json-fields.ts';
import { describe, optionalBoolean, optionalString, requiredString } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import { checkTags, type ResourceTags } from '../tags/tags.ts';
import type { CreateGroupResult, GetGroupResult, GetGroupsResult, Group as GroupJson, UpdateGroupResult } from '../../common/xray-api/index.ts';
import { tagsFrom, withTags } from './tags.ts';

const MAX_ARN_LENGTH = 400;

export function groupJson(group: Group): GroupJson {
  return {
    GroupName: group.name,
    GroupARN: group.arn,
    ...(group.filterExpression === undefined ? {} : { FilterExpression: group.filterExpression }),
    InsightsConfiguration: { InsightsEnabled: group.insightsEnabled, NotificationsEnabled: group.notificationsEnabled },
  };
}

/** GroupName and/or GroupARN, as GetGroup, UpdateGroup, DeleteGroup (and scoped reads) take them. */
export function groupRef(body: JsonObject): GroupRef {
  const name = optionalString(body, 'GroupName');
  const arn = optionalString(body, 'GroupARN');
  // As AWS's model: an empty or overlong name is refused as such, not looked up.
  if (name !== undefined && (name.length < 1 || name.length > MAX_GROUP_NAME_LENGTH)) {
    throw invalidRequest(`GroupName must be 1 to ${MAX_GROUP_NAME_LENGTH} characters long, got ${name.length}`);
  }
  if (arn !== undefined && (arn.length < 1 || arn.length > MAX_ARN_LENGTH)) {
    throw invalidRequest(`GroupARN must be 1 to ${MAX_ARN_LENGTH} characters long, got ${arn.length}`);
  }
  return { name, arn };
}

/** Runs a group action, answering its refusal as InvalidRequestException. */
export function withGroups<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof GroupRequestError) throw invalidRequest(error.message);
    throw error;
  }
}

function changes(body: JsonObject): GroupChanges {
  const filterExpression = optionalString(body, 'FilterExpression');
  const insights = body.InsightsConfiguration;
  if (insights === undefined || insights === null) return { filterExpression };
  if (typeof insights !== 'object' || Array.isArray(insights)) {
    throw invalidRequest(`InsightsConfiguration must be an object, got ${describe(insights)}`);
  }
  const settings = insights as JsonObject;
  return {
    filterExpression,
    insightsEnabled: optionalBoolean(settings, 'InsightsEnabled'),
    notificationsEnabled: optionalBoolean(settings, 'NotificationsEnabled'),
  };
}

export function addGroupRoutes(router: Router, groups: Groups, tags?: ResourceTags): Router {
  return router
    .postJson('/CreateGroup', (body): CreateGroupResult => {
      const name = requiredString(body, 'GroupName');
      const given = tagsFrom(body);
      // Checked before the group is made, so that bad tags make nothing.
      if (given !== undefined) withTags(name, () => checkTags(given));
      const group = withGroups(() => groups.create(name, changes(body)));
      if (given !== undefined && tags !== undefined) tags.set(group.arn, given);
      return { Group: groupJson(group) };
    })
    .postJson('/GetGroup', (body): GetGroupResult => ({ Group: groupJson(withGroups(() => groups.get(groupRef(body)))) }))
    .postJson('/Groups', (body): GetGroupsResult => {
      const nextToken = optionalString(body, 'NextToken');
      // Every group fits one answer, so no token is ever issued.
      if (nextToken !== undefined) throw invalidRequest(`NextToken ${describe(nextToken)} was not issued by this service`);
      return { Groups: groups.list().map(groupJson) };
    })
    .postJson('/UpdateGroup', (body): UpdateGroupResult => ({ Group: groupJson(withGroups(() => groups.update(groupRef(body), changes(body)))) }))
    .postJson('/DeleteGroup', (body) => {
      const group = withGroups(() => groups.get(groupRef(body)));
      withGroups(() => groups.delete({ name: group.name }));
      tags?.forget(group.arn);
      return {};
    });
}
