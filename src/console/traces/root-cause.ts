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

/**
 * Every exception along the root cause's path, where it was recorded: the tooltip of a cut-off
 * Root cause cell (the function's own exception is not the deepest one, and would be hidden).
 */
export function rootCauseDetails(summary: Pick<TraceSummary, 'FaultRootCauses' | 'ErrorRootCauses'>): string | undefined {
  const cause = rootCauseOf(summary);
  if (cause === undefined) return undefined;
  const causes = cause.kind === 'fault' ? summary.FaultRootCauses : summary.ErrorRootCauses;
  const lines = [`${cause.kind} started in ${cause.service}${cause.type === undefined ? '' : ` (${cause.type})`}`];
  for (const service of causes?.[0]?.Services ?? []) {
    for (const entity of service.EntityPath ?? []) {
      for (const exception of entity.Exceptions ?? []) {
        const text = [exception.Name, exception.Message].filter((part) => part !== undefined && part !== '').join(': ');
        if (text !== '') lines.push(`${entity.Name ?? service.Name ?? '?'}${service.Type === undefined ? '' : ` (${service.Type})`}: ${text}`);
      }
    }
  }
  return [...new Set(lines)].join('\n');
}

export function rootCauseLabel(cause: RootCauseText): string {
  return `${cause.service}${cause.exception === undefined ? '' : ` (${cause.exception})`}`;
}
