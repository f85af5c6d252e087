/**
 * ListRetrievedTraces with TraceFormat OTEL answers spans as Transaction Search writes them to
 * `aws/spans`: one OpenTelemetry span a segment or subsegment, ids in OTel's hex form (the trace id
 * without its `1-` and dashes), times in nanoseconds, X-Ray's own fields kept as `aws.xray.*` and
 * `http.*` attributes. A subsegment's parent is the segment or subsegment that holds it.
 */
type Entity = Readonly<Record<string, unknown>>;

export interface OtelSpan {
  readonly id: string;
  readonly document: string;
}

export function otelSpans(segmentDocument: string): OtelSpan[] {
  let segment: Entity;
  try {
    segment = JSON.parse(segmentDocument) as Entity;
  } catch {
    return [];
  }
  const traceId = typeof segment.trace_id === 'string' ? segment.trace_id.replace(/^1-/, '').replace(/-/g, '') : '';
  const spans: OtelSpan[] = [];
  const visit = (entity: Entity, parentId: string | undefined, isSegment: boolean): void => {
    const id = String(entity.id ?? '');
    spans.push({ id, document: JSON.stringify(span(entity, traceId, parentId, isSegment)) });
    const children = Array.isArray(entity.subsegments) ? (entity.subsegments as unknown[]) : [];
    for (const child of children) if (typeof child === 'object' && child !== null) visit(child as Entity, id, false);
  };
  visit(segment, typeof segment.parent_id === 'string' ? segment.parent_id : undefined, segment.type !== 'subsegment');
  return spans;
}

function span(entity: Entity, traceId: string, parentId: string | undefined, isSegment: boolean): Record<string, unknown> {
  const start = typeof entity.start_time === 'number' ? entity.start_time : 0;
  const end = typeof entity.end_time === 'number' ? entity.end_time : start;
  const http = (entity.http ?? {}) as Entity;
  const request = (http.request ?? {}) as Entity;
  const response = (http.response ?? {}) as Entity;
  const failed = entity.fault === true || entity.error === true;
  const attributes: Record<string, unknown> = {
    'aws.xray.origin': entity.origin,
    'aws.xray.namespace': entity.namespace,
    'aws.xray.fault': entity.fault,
    'aws.xray.error': entity.error,
    'aws.xray.throttle': entity.throttle,
    'http.request.method': request.method,
    'url.full': request.url,
    'http.response.status_code': response.status,
    'aws.xray.annotations': entity.annotations,
    'aws.xray.metadata': entity.metadata,
    'aws.xray.aws': entity.aws,
  };
  return {
    traceId,
    spanId: entity.id,
    ...(parentId === undefined ? {} : { parentSpanId: parentId }),
    name: entity.name,
    kind: isSegment ? 'SERVER' : entity.namespace === 'aws' || entity.namespace === 'remote' ? 'CLIENT' : 'INTERNAL',
    startTimeUnixNano: Math.round(start * 1e9),
    endTimeUnixNano: Math.round(end * 1e9),
    durationNano: Math.round((end - start) * 1e9),
    attributes: Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)),
    status: { code: failed ? 'ERROR' : 'UNSET' },
  };
}
