import type { Logger } from '../core/runtime.ts';
import type { CloudModel } from '../core/types.ts';
import type { DynamoDbEngine } from './engine.ts';

/** CreateTable members a template's AWS::DynamoDB::Table carries under the same names. */
const CREATE_TABLE = ['KeySchema', 'AttributeDefinitions', 'BillingMode', 'ProvisionedThroughput', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes'];
/** Properties with nothing to do locally (StreamSpecification: the streams' own provisioning, dynamodb-streams/from-model.ts). */
const IGNORED = new Set(['PointInTimeRecoverySpecification', 'SSESpecification', 'Tags', 'TableName', 'DeletionProtectionEnabled', 'TableClass', 'ContributorInsightsSpecification', 'StreamSpecification']);

/**
 * Creates every AWS::DynamoDB::Table of the templates that does not exist yet (tables and their
 * items persist across restarts). Returns a warning for each property or table it cannot honour.
 */
export async function provisionTables(engine: DynamoDbEngine, model: CloudModel, logger: Logger): Promise<string[]> {
  const warnings: string[] = [];
  for (const resource of model.byType('AWS::DynamoDB::Table')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    const request: Record<string, unknown> = { TableName: resource.physicalId };
    for (const [name, value] of Object.entries(resource.properties)) {
      if (CREATE_TABLE.includes(name)) request[name] = value;
      else if (!IGNORED.has(name)) warnings.push(`DynamoDB table ${where}: property ${name} is not supported locally and is ignored`);
    }
    const reply = await engine.forward('DynamoDB_20120810.CreateTable', JSON.stringify(request));
    if (reply.status !== 200) {
      const error = JSON.parse(reply.body.toString()) as { __type?: string; message?: string };
      if (error.__type?.endsWith('#ResourceInUseException') !== true) {
        warnings.push(`DynamoDB table ${where}: CreateTable failed: ${error.__type ?? reply.status} ${error.message ?? ''}`.trim());
        continue;
      }
    }
    // A new table is CREATING for a moment and refuses items until ACTIVE.
    const status = await waitUntilActive(engine, resource.physicalId);
    if (status !== 'ACTIVE') warnings.push(`DynamoDB table ${where}: still ${status} after ${ACTIVE_WAIT_MS} ms; calls to it fail until it is ACTIVE`);
  }
  for (const warning of warnings) logger.warn(warning);
  return warnings;
}

const ACTIVE_WAIT_MS = 5000;

async function waitUntilActive(engine: DynamoDbEngine, table: string): Promise<string> {
  const deadlineMs = performance.now() + ACTIVE_WAIT_MS;
  let status = 'unknown';
  while (performance.now() < deadlineMs) {
    const reply = await engine.forward('DynamoDB_20120810.DescribeTable', JSON.stringify({ TableName: table }));
    status = (JSON.parse(reply.body.toString()) as { Table?: { TableStatus?: string } }).Table?.TableStatus ?? `unknown (${reply.status})`;
    if (status === 'ACTIVE') return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return status;
}
