/** The group operations in the X-Ray API's JSON shape (AWS's names). */

export interface InsightsConfiguration {
  readonly InsightsEnabled?: boolean;
  readonly NotificationsEnabled?: boolean;
}

/** What CreateGroup, GetGroup and UpdateGroup answer. */
export interface Group {
  readonly GroupName: string;
  readonly GroupARN?: string;
  readonly FilterExpression?: string;
  readonly InsightsConfiguration?: InsightsConfiguration;
}

/** What GetGroups lists: the same members as Group. */
export type GroupSummary = Group;

export interface GetGroupsRequest {
  readonly NextToken?: string;
}

export interface GetGroupsResult {
  readonly Groups?: readonly GroupSummary[];
  readonly NextToken?: string;
}

export interface GetGroupResult {
  readonly Group?: Group;
}

/** What CreateGroup and UpdateGroup answer: the same members as GetGroupResult. */
export type CreateGroupResult = GetGroupResult;
export type UpdateGroupResult = GetGroupResult;
