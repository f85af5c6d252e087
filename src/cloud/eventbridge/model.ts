/** EventBridge's resources and events as the service holds them (wire JSON is in events-api.ts). */
import type { CompiledPattern } from '../event-patterns/index.ts';
import type { Schedule } from './schedule.ts';

export interface EventBus {
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  readonly createdAtMs: number;
}

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface Rule {
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
  readonly eventPattern: string | undefined;
  readonly pattern: CompiledPattern | undefined;
  readonly schedule: Schedule | undefined;
  readonly state: RuleState;
  readonly description: string | undefined;
  readonly roleArn: string | undefined;
  readonly targets: Map<string, Target>;
}

export interface InputTransformer {
  readonly inputPathsMap: Readonly<Record<string, string>>;
  readonly inputTemplate: string;
}

export interface RetryPolicy {
  /** 0 to 185. @default 185 */
  readonly maximumRetryAttempts: number;
  /** 60 to 86,400. @default 86,400 */
  readonly maximumEventAgeSeconds: number;
}

export interface Target {
  readonly id: string;
  readonly arn: string;
  readonly roleArn: string | undefined;
  readonly input: string | undefined;
  readonly inputPath: string | undefined;
  readonly inputTransformer: InputTransformer | undefined;
  readonly retryPolicy: RetryPolicy;
  readonly deadLetterArn: string | undefined;
  /** SqsParameters.MessageGroupId, for FIFO queues. */
  readonly messageGroupId: string | undefined;
}

/** An event as EventBridge hands it to targets. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO 8601 without milliseconds, as EventBridge writes it. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 };
