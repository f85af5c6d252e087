/**
 * A stored trace adapted to the filter language's `TraceView`. Trace-level fields and root causes
 * come from the stored summary (so a filter sees what GetTraceSummaries returns); nodes and edges
 * need the documents, which are read and walked only when a filter asks for them.
 *
 * The outcome keywords are the summary's flags: `fault` is HasFault and `error` HasError (the
 * root segment's), `throttle` is HasThrottle (any segment throttled), and `ok` is neither fault
 * nor error.
 */
import type { GraphDocument } from '../model/graph-document.ts';
import type {
  AnnotationValue, EdgeView, GroupMembership, HttpView, RootCause, ServiceView, TraceView,
} from '../query/index.ts';
import type { FaultRootCause, ResponseTimeRootCause, StoredSummary } from '../model/trace-summary.ts';
import { traceNodes, type TraceNodes } from './trace-nodes.ts';

export interface TraceViewSource {
  readonly summary: StoredSummary;
  /** The trace's documents, parsed; called at most once, and only when nodes or edges are read. */
  readonly documents: () => readonly GraphDocument[];
  /** The groups the trace is in; called at most once, only when read. Default: none. */
  readonly groups?: (view: TraceView) => readonly GroupMembership[];
}

export function traceView(source: TraceViewSource): TraceView {
  return new StoredTraceView(source);
}

class StoredTraceView implements TraceView {
  readonly id: string;
  readonly responseTime: number | undefined;
  readonly duration: number | undefined;
  readonly http: HttpView;
  readonly ok: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly fault: boolean;
  readonly partial: boolean;
  private readonly source: TraceViewSource;
  private cachedNodes: TraceNodes | undefined;
  private cachedRootCauses: TraceView['rootCauses'] | undefined;
  private cachedGroups: readonly GroupMembership[] | undefined;
  private cachedAnnotations: ReadonlyMap<string, readonly AnnotationValue[]> | undefined;

  constructor(source: TraceViewSource) {
    const s = source.summary;
    this.source = source;
    this.id = s.id;
    this.responseTime = s.responseTime;
    this.duration = s.duration;
    this.http = s.http;
    this.fault = s.hasFault;
    this.error = s.hasError;
    this.throttle = s.hasThrottle;
    this.ok = !s.hasFault && !s.hasError;
    this.partial = s.isPartial;
  }

  get users(): readonly string[] {
    return this.source.summary.users.map((u) => u.name);
  }

  get availabilityZones(): readonly string[] {
    return this.source.summary.availabilityZones;
  }

  get instanceIds(): readonly string[] {
    return this.source.summary.instanceIds;
  }

  get resourceArns(): readonly string[] {
    return this.source.summary.resourceArns;
  }

  get annotations(): ReadonlyMap<string, readonly AnnotationValue[]> {
    if (this.cachedAnnotations === undefined) {
      const map = new Map<string, AnnotationValue[]>();
      for (const [key, values] of this.source.summary.annotations) map.set(key, values.map((annotated) => annotated.value));
      this.cachedAnnotations = map;
    }
    return this.cachedAnnotations;
  }

  get services(): readonly ServiceView[] {
    return this.nodes().services;
  }

  get edges(): readonly EdgeView[] {
    return this.nodes().edges;
  }

  get groups(): readonly GroupMembership[] {
    this.cachedGroups ??= this.source.groups?.(this) ?? [];
    return this.cachedGroups;
  }

  get rootCauses(): TraceView['rootCauses'] {
    if (this.cachedRootCauses === undefined) {
      const { fault, error, responseTime } = this.source.summary.rootCauses;
      this.cachedRootCauses = {
        fault: fault.map(rootCause),
        error: error.map(rootCause),
        responseTime: responseTime.map(rootCause),
      };
    }
    return this.cachedRootCauses;
  }

  private nodes(): TraceNodes {
    this.cachedNodes ??= traceNodes(this.source.documents());
    return this.cachedNodes;
  }
}

function rootCause(cause: FaultRootCause | ResponseTimeRootCause): RootCause {
  return {
    services: cause.services.map(({ service, inferred, entityPath }) => ({
      name: service.name,
      type: service.type ?? '',
      inferred,
      entityPath: entityPath.map((entity) => ({
        name: entity.name,
        remote: entity.remote,
        exceptions: 'exceptions' in entity
          ? entity.exceptions.map((exception) => ({ name: exception.name ?? '', message: exception.message }))
          : [],
        coverage: 'coverage' in entity ? entity.coverage : undefined,
      })),
    })),
  };
}
