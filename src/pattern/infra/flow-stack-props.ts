import type { StackProps } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';

/** What every flow stack receives from the API stack and the app. */
export interface FlowStackProps extends StackProps {
  /** The API stack's fan-out topic; it becomes an Fn::ImportValue in the flow's template. */
  readonly fanOutTopic: ITopic;
  /** Prefix of the flow's X-Ray group name. @default DEFAULT_GROUP_PREFIX */
  readonly groupPrefix?: string;
}
