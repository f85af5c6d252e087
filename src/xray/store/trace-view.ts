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
import type { TraceRootCausesJson } from '../graph/root-causes.ts';
import type {
  AnnotationValue, EdgeView, GroupMembership, HttpView, RootCause, ServiceView, TraceView,
} from '../query/index.ts';
import type { StoredSummaryJson } from '../traces/summary.ts';
import { traceNodes, type TraceNodes } from './trace-nodes.ts';

export interface TraceViewSource {
  readonly summary: StoredSummaryJson;
  /** The trace's documents, parsed; called at most once, and only when nodes or edges are read. */
  readonly documents: () => readonly GraphDocument[];
  /** The groups the trace is in; called at most once, only when read. Default: none. */
  readonly groups?: (view: TraceView) => readonly GroupMembership[];
}

export function traceView(source: TraceViewSource): TraceView {
  return new StoredTraceView(source);
}

type RootCauseJson = TraceRootCausesJson['FaultRootCauses'][number] | TraceRootCausesJson['ResponseTimeRootCauses'][number];

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
    this.id = s.Id;
    this.responseTime = s.ResponseTime;
    this.duration = s.Duration;
    this.http = {
      url: s.Http.HttpURL,
      method: s.Http.HttpMethod,
      userAgent: s.Http.UserAgent,
      clientIp: s.Http.ClientIp,
      status: s.Http.HttpStatus,
    };
    this.fault = s.HasFault;
    this.error = s.HasError;
    this.throttle = s.HasThrottle;
    this.ok = !s.HasFault && !s.HasError;
    this.partial = s.IsPartial;
  }

  get users(): readonly string[] {
    return this.source.summary.Users.map((u) => u.UserName);
  }

  get availabilityZones(): readonly string[] {
    return this.source.summary.AvailabilityZones.map((z) => z.Name);
  }

  get instanceIds(): readonly string[] {
    return this.source.summary.InstanceIds.map((i) => i.Id);
  }

  get resourceArns(): readonly string[] {
    return this.source.summary.ResourceARNs.map((a) => a.ARN);
  }

  get annotations(): ReadonlyMap<string, readonly AnnotationValue[]> {
    if (this.cachedAnnotations === undefined) {
      const map = new Map<string, AnnotationValue[]>();
      for (const [key, values] of Object.entries(this.source.summary.Annotations)) {
        const list: AnnotationValue[] = [];
        for (const { AnnotationValue: v } of values) {
          const value = v.StringValue ?? v.NumberValue ?? v.BooleanValue;
          if (value !== undefined) list.push(value);
        }
        map.set(key, list);
      }
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
      // The summary holds them as graph/root-causes.ts computed them.
      const json = this.source.summary as unknown as TraceRootCausesJson;
      this.cachedRootCauses = {
        fault: json.FaultRootCauses.map(rootCause),
        error: json.ErrorRootCauses.map(rootCause),
        responseTime: json.ResponseTimeRootCauses.map(rootCause),
      };
    }
    return this.cachedRootCauses;
  }

  private nodes(): TraceNodes {
    this.cachedNodes ??= traceNodes(this.source.documents());
    return this.cachedNodes;
  }
}

function rootCause(json: RootCauseJson): RootCause {
  return {
    services: json.Services.map((service) => ({
      name: service.Name,
      type: service.Type ?? '',
      inferred: service.Inferred,
      entityPath: service.EntityPath.map((entity) => ({
        name: entity.Name,
        remote: entity.Remote,
        exceptions: 'Exceptions' in entity
          ? entity.Exceptions.map((exception) => ({ name: exception.Name ?? '', message: exception.Message }))
          : [],
        coverage: 'Coverage' in entity ? entity.Coverage : undefined,
      })),
    })),
  };
}
