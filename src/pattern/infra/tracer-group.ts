import { Token } from 'aws-cdk-lib';
import { CfnGroup } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';

/** Prefix of every X-Ray group of the pattern, so they are recognisable among an account's groups. */
export const DEFAULT_GROUP_PREFIX = 'xray-tracer';

/** X-Ray limits group names to 32 characters. */
const MAX_GROUP_NAME_LENGTH = 32;
const GROUP_NAME_PATTERN = /^[A-Za-z0-9_-]+$/;

export interface TracerGroupProps {
  /** What the group shows, appended to the prefix (e.g. `dynamo` gives `xray-tracer-dynamo`). */
  readonly name: string;
  /** The X-Ray filter expression that selects the group's traces. */
  readonly filterExpression: string;
  /** @default DEFAULT_GROUP_PREFIX */
  readonly prefix?: string;
}

/**
 * An X-Ray group: a named filter expression that the console and the API use to show only
 * the traces of one flow. Insights stay off: they are billed per trace and the groups are for
 * looking at the pattern, not for alerting on it.
 */
export class TracerGroup extends Construct {
  readonly groupName: string;
  readonly group: CfnGroup;

  constructor(scope: Construct, id: string, props: TracerGroupProps) {
    super(scope, id);
    this.groupName = `${props.prefix ?? DEFAULT_GROUP_PREFIX}-${props.name}`;
    if (this.groupName.length > MAX_GROUP_NAME_LENGTH) {
      throw new Error(
        `X-Ray group name "${this.groupName}" has ${this.groupName.length} characters; X-Ray allows at most ${MAX_GROUP_NAME_LENGTH}`,
      );
    }
    if (!GROUP_NAME_PATTERN.test(this.groupName)) {
      throw new Error(
        `X-Ray group name "${this.groupName}" may contain only letters, digits, "-" and "_"`,
      );
    }
    if (!Token.isUnresolved(props.filterExpression) && props.filterExpression.trim() === '') {
      throw new Error(`X-Ray group "${this.groupName}" needs a filter expression`);
    }
    this.group = new CfnGroup(this, 'Group', {
      groupName: this.groupName,
      filterExpression: props.filterExpression,
      insightsConfiguration: { insightsEnabled: false, notificationsEnabled: false },
    });
  }
}
