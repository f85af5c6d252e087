import type { FaultRootCause, TraceSummary } from '../api/types.ts';

/** Where a trace's first fault (else error) started: the service and the exception it recorded. */
export interface RootCauseText {
  readonly kind: 'fault' | 'error';
  readonly service: string;
  readonly type: string | undefined;
  /** `Name: Message` of the deepest exception on the path, if any was recorded. */
  readonly exception: string | undefined;
}

/**
 * A trace can succeed at its entry and still fault deeper down (SNS delivers asynchronously, so the
 * gateway answers 200 while the HTTP flow faults); the summary's root causes say where.
 */
export function rootCauseOf(summary: Pick<TraceSummary, 'FaultRootCauses' | 'ErrorRootCauses'>): RootCauseText | undefined {
  return describe('fault', summary.FaultRootCauses) ?? describe('error', summary.ErrorRootCauses);
}

function describe(kind: RootCauseText['kind'], causes: readonly FaultRootCause[] | undefined): RootCauseText | undefined {
  const services = causes?.[0]?.Services ?? [];
  const last = services[services.length - 1];
  if (last === undefined) return undefined;
  let exception: string | undefined;
  for (const service of services) {
    for (const entity of service.EntityPath ?? []) {
      const first = entity.Exceptions?.[0];
      if (first !== undefined) exception = [first.Name, first.Message].filter((part) => part !== undefined && part !== '').join(': ');
    }
  }
  return { kind, service: last.Name ?? '?', type: last.Type, exception: exception === '' ? undefined : exception };
}

export function rootCauseLabel(cause: RootCauseText): string {
  return `${cause.service}${cause.exception === undefined ? '' : ` (${cause.exception})`}`;
}
