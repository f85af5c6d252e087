import type { Logger } from '../core/runtime.ts';
import type { CloudModel } from '../core/types.ts';
import { TEMPLATE_STREAM_LABEL } from '../template/physical-ids.ts';
import type { StreamCapturingEngine } from './capturing-engine.ts';
import { readStreamSpecification } from './stream-specification.ts';

/**
 * Enables the stream of every AWS::DynamoDB::Table whose template declares a StreamSpecification
 * (under the ARN `Fn::GetAtt Table.StreamArn` resolved to), and disables the stream a template made once the
 * template no longer declares it. Run after the tables are provisioned. Returns a warning per table it
 * cannot honour.
 */
export async function provisionStreams(engine: StreamCapturingEngine, model: CloudModel, logger: Logger): Promise<string[]> {
  const warnings: string[] = [];
  for (const resource of model.byType('AWS::DynamoDB::Table')) {
    const where = `${resource.stack}/${resource.logicalId}`;
    try {
      const raw = resource.properties['StreamSpecification'];
      // A template's StreamSpecification has no StreamEnabled: present means enabled.
      if (raw === undefined) {
        // A stream the API enabled is the caller's; only one the template made goes with the template.
        if (engine.store.enabledStream(resource.physicalId)?.label === TEMPLATE_STREAM_LABEL) await engine.applyStreamSpecification(resource.physicalId, { enabled: false });
        continue;
      }
      const spec = readStreamSpecification({ StreamEnabled: true, ...(raw as object) });
      if (spec === undefined) continue;
      await engine.applyStreamSpecification(resource.physicalId, spec, TEMPLATE_STREAM_LABEL);
    } catch (error) {
      warnings.push(`DynamoDB table ${where}: StreamSpecification not applied: ${(error as Error).message}`);
    }
  }
  for (const warning of warnings) logger.warn(warning);
  return warnings;
}
