import { Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { FlowStackProps } from './flow-stack-props.ts';
import { TracedFunction } from './traced-function.ts';
import { DYNAMO_TROUBLE_FILTER } from './pattern-groups.ts';
import { TracerGroup } from './tracer-group.ts';

export interface DynamoFlowStackProps extends FlowStackProps {
  /** What happens to the hit counts when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly tableRemovalPolicy?: RemovalPolicy;
}

/** Counts the hits of every path in a DynamoDB table (`ADD hits :1`). */
export class DynamoFlowStack extends Stack {
  readonly table: Table;
  readonly function: TracedFunction;

  constructor(scope: Construct, id: string, props: DynamoFlowStackProps) {
    super(scope, id, props);

    // No tableName: CloudFormation names the table, so two deployments (or a replacement) never
    // collide; the handler learns the name from TABLE_NAME.
    this.table = new Table(this, 'Hits', {
      partitionKey: { name: 'path', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: props.tableRemovalPolicy ?? RemovalPolicy.DESTROY,
    });

    this.function = new TracedFunction(this, 'DynamoLambda', {
      handler: 'dynamo',
      environment: { TABLE_NAME: this.table.tableName },
      subscribeTo: props.fanOutTopic,
    });
    // Written by hand: table.grantWriteData would also allow PutItem, DeleteItem, BatchWriteItem
    // and more, while the handler only ever increments a counter.
    this.function.role.addToPolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [this.table.tableArn] }),
    );

    new TracerGroup(this, 'Group', {
      name: 'dynamo',
      filterExpression: Fn.sub(DYNAMO_TROUBLE_FILTER, { TableName: this.table.tableName }),
      prefix: props.groupPrefix,
    });
  }
}
