import type { SegmentRecord } from '../../../../src/xray/model/trace.ts';
import { fixtureRecords } from '../../fixtures/index.ts';

/**
 * The writes of kill-writer.ts's `before-refresh` mode, for the test to repeat in a store that is
 * not killed. The lambda trace is summarized once with its function segment in progress; after
 * that refresh it changes only by the complete segment replacing that document (so it has no new
 * row: the replacement's new document number is what tells the next open), and the fault trace
 * arrives.
 */
export function killWriterBatches(): SegmentRecord[][] {
  const lambda = fixtureRecords('lambda-sns-trace');
  const functionSegment = lambda.find((r) => r.id === 'f1f2f3f4f5f6f7f8');
  if (functionSegment === undefined) throw new Error('the lambda fixture has no function segment f1f2f3f4f5f6f7f8');
  const document = JSON.parse(functionSegment.document) as Record<string, unknown>;
  delete document['end_time'];
  const inProgress: SegmentRecord = { ...functionSegment, inProgress: true, endTime: undefined, document: JSON.stringify({ ...document, in_progress: true }) };
  return [[...lambda.filter((r) => r !== functionSegment), inProgress], [functionSegment], fixtureRecords('fault-trace')];
}
