/**
 * OpenTelemetry spans to X-Ray segment documents, after AWS's X-Ray exporter for the collector:
 * - the trace id `<32 hex>` becomes `1-<first 8>-<last 24>`; ids and times are checked per span;
 * - server and consumer spans, and spans with no parent, are segments named after the resource's
 *   `service.name` (else the span), with an `origin` from the cloud attributes; every other span is
 *   a standalone subsegment (`type: "subsegment"`, `parent_id` = its parent span);
 * - AWS SDK calls (`rpc.system` = `aws-api`) get namespace `aws`, the service as name and an `aws`
 *   block; other client and producer spans get namespace `remote`, named after the peer;
 * - `http` from the HTTP conventions; fault, error, throttle and `cause` from status and exceptions;
 * - other attributes go to `metadata.default` (resource ones on segments, as `otel.resource.<key>`),
 *   or to `annotations` when listed in `indexedAttributes` and of an indexable type;
 * - span links become `links` of `{ trace_id, id, attributes }` on segments and subsegments alike.
 * Pure: the caller validates and stores the documents. A span that cannot be translated is reported
 * with the path of the span and what was wrong; the others still go through.
 */
import type { LinkFields, WrittenDocument } from '../model/segment-document.ts';
import { annotationKey, isAnnotationValue, stringAttribute } from './attributes.ts';
import { ec2Fields } from './ec2-fields.ts';
import { awsFields, isAwsSdkCall } from './aws-fields.ts';
import { outcome } from './cause.ts';
import { httpFields } from './http-fields.ts';
import type { AttributeValue, Attributes, OtlpLink, OtlpSpan, OtlpTraceRequest } from './model.ts';
import { SpanKind } from './model.ts';
import { randomBytes } from 'node:crypto';

export interface TranslateOptions {
  /** Span (and `otel.resource.<key>`) attribute keys recorded as annotations, as the exporter's indexed_attributes. Default none. */
  readonly indexedAttributes?: ReadonlySet<string>;
  /** Ids for `cause.exceptions`; default random. */
  readonly newId?: () => string;
}

export interface TranslatedSpan {
  /** Where the span sat in the request, e.g. `resourceSpans[0].scopeSpans[1].spans[4]`. */
  readonly path: string;
  readonly document: WrittenDocument;
}

export interface RejectedSpan {
  readonly path: string;
  readonly message: string;
}

export interface Translation {
  readonly documents: TranslatedSpan[];
  readonly rejected: RejectedSpan[];
}

const HEX_TRACE_ID = /^[0-9a-f]{32}$/;
const HEX_SPAN_ID = /^[0-9a-f]{16}$/;
const ZERO = /^0+$/;
const INVALID_SEGMENT_NAME_CHARS = /[^\p{L}\p{M}\p{N}\s_.:/%&#=+\\\-@]/gu;
const MAX_NAME_CHARS = 200;
/** Keys a remote call's name or an HTTP URL is made of: not repeated in metadata when used. */
const PEER_KEYS = ['peer.service', 'server.address', 'server.port', 'net.peer.name', 'net.peer.port', 'net.host.name', 'net.host.port'] as const;

export function translateRequest(request: OtlpTraceRequest, options: TranslateOptions = {}): Translation {
  const documents: TranslatedSpan[] = [];
  const rejected: RejectedSpan[] = [];
  request.resourceSpans.forEach((rs, i) => {
    rs.scopeSpans.forEach((ss, j) => {
      ss.spans.forEach((span, k) => {
        const path = `resourceSpans[${i}].scopeSpans[${j}].spans[${k}]`;
        const problem = checkSpan(span);
        if (problem !== undefined) rejected.push({ path, message: `${path}${span.name ? ` (${JSON.stringify(clip(span.name))})` : ''}: ${problem}` });
        else documents.push({ path, document: translateSpan(span, rs.resource, options) });
      });
    });
  });
  return { documents, rejected };
}

/** What makes a span untranslatable, or undefined. */
function checkSpan(span: OtlpSpan): string | undefined {
  if (!HEX_TRACE_ID.test(span.traceId) || ZERO.test(span.traceId)) return `traceId ${show(span.traceId)} is not 32 hex digits (16 bytes, not all zero)`;
  if (!HEX_SPAN_ID.test(span.spanId) || ZERO.test(span.spanId)) return `spanId ${show(span.spanId)} is not 16 hex digits (8 bytes, not all zero)`;
  if (span.parentSpanId !== '' && !HEX_SPAN_ID.test(span.parentSpanId)) return `parentSpanId ${show(span.parentSpanId)} is not 16 hex digits (8 bytes) or empty`;
  if (span.startTimeUnixNano <= 0n) return 'startTimeUnixNano is missing';
  if (span.endTimeUnixNano <= 0n) return 'endTimeUnixNano is missing (only ended spans are exported)';
  if (span.endTimeUnixNano < span.startTimeUnixNano) return `endTimeUnixNano (${span.endTimeUnixNano}) is before startTimeUnixNano (${span.startTimeUnixNano})`;
  // AWS's exporter fails the whole span when a link's trace id cannot be converted.
  for (const [i, link] of span.links.entries()) {
    if (!HEX_TRACE_ID.test(link.traceId) || ZERO.test(link.traceId)) return `links[${i}].traceId ${show(link.traceId)} is not 32 hex digits (16 bytes, not all zero)`;
    if (!HEX_SPAN_ID.test(link.spanId) || ZERO.test(link.spanId)) return `links[${i}].spanId ${show(link.spanId)} is not 16 hex digits (8 bytes, not all zero)`;
  }
  return undefined;
}

export function isSegment(span: OtlpSpan): boolean {
  return span.kind === SpanKind.Server || span.kind === SpanKind.Consumer || span.parentSpanId === '';
}

export function translateSpan(span: OtlpSpan, resource: Attributes, options: TranslateOptions = {}): WrittenDocument {
  const attributes = span.attributes;
  const segment = isSegment(span);
  const isServer = span.kind === SpanKind.Server;
  const http = httpFields(attributes, isServer || span.kind === SpanKind.Consumer);
  const aws = awsFields(attributes);
  const result = outcome(span, http.status, options.newId ?? randomId);
  const namespace = segment ? undefined : namespaceOf(span);
  const used = new Set([...http.used, ...aws.used]);
  if (http.http !== undefined || namespace === 'remote') for (const key of PEER_KEYS) used.add(key);
  if (segment) used.add('enduser.id');
  const { annotations, metadata } = attributeFields(attributes, segment ? resource : undefined, used, indexedKeys(attributes, options.indexedAttributes));
  const xray = sdkFields(resource);
  const user = segment ? stringAttribute(attributes, 'enduser.id') : undefined;
  const origin = segment ? originOf(resource) : undefined;
  const version = segment ? stringAttribute(resource, 'service.version') : undefined;
  const accountId = segment ? stringAttribute(resource, 'cloud.account.id') : undefined;
  const ec2 = segment ? ec2Fields(resource) : undefined;
  const awsBlock = aws.aws !== undefined || accountId !== undefined || ec2 !== undefined || xray !== undefined
    ? {
        ...(aws.aws ?? { ...(accountId !== undefined && { account_id: accountId }), ...(ec2 !== undefined && { ec2 }) }),
        ...(xray !== undefined && { xray }),
      }
    : undefined;

  return {
    name: segment ? segmentName(span, resource) : subsegmentName(span, aws.service, namespace),
    id: span.spanId,
    trace_id: xrayTraceId(span.traceId),
    ...(span.parentSpanId !== '' && { parent_id: span.parentSpanId }),
    start_time: seconds(span.startTimeUnixNano),
    end_time: seconds(span.endTimeUnixNano),
    ...(!segment && { type: 'subsegment' as const }),
    ...(namespace !== undefined && { namespace }),
    ...(origin !== undefined && { origin }),
    ...(user !== undefined && { user }),
    ...(result.fault && { fault: true }),
    ...(result.error && { error: true }),
    ...(result.throttle && { throttle: true }),
    ...(result.cause !== undefined && { cause: result.cause }),
    ...(http.http !== undefined && { http: http.http }),
    ...(awsBlock !== undefined && { aws: awsBlock }),
    ...(version !== undefined && { service: { version } }),
    ...(annotations !== undefined && { annotations }),
    ...(metadata !== undefined && { metadata }),
    ...(span.links.length > 0 && { links: span.links.map(linkFields) }),
  };
}

/** A link as AWS's exporter writes it: X-Ray's trace id, the span id, the attributes as they are (never annotations), `attributes` only when there are some. */
function linkFields(link: OtlpLink): LinkFields {
  return {
    trace_id: xrayTraceId(link.traceId),
    id: link.spanId,
    ...(link.attributes.size > 0 && { attributes: Object.fromEntries(link.attributes) }),
  };
}

/** `1-<first 8 hex>-<last 24 hex>`. OTel ids need not start with a timestamp; locally any is kept. */
export function xrayTraceId(hex: string): string {
  return `1-${hex.slice(0, 8)}-${hex.slice(8)}`;
}

/** Epoch seconds with microsecond precision, from nanoseconds. */
export function seconds(nanos: bigint): number {
  return Number(nanos / 1000n) / 1e6;
}

function namespaceOf(span: OtlpSpan): 'aws' | 'remote' | undefined {
  if (isAwsSdkCall(span.attributes)) return 'aws';
  return span.kind === SpanKind.Client || span.kind === SpanKind.Producer ? 'remote' : undefined;
}

function segmentName(span: OtlpSpan, resource: Attributes): string {
  const name = (stringAttribute(resource, 'service.name') ?? span.name).replace(INVALID_SEGMENT_NAME_CHARS, '');
  return name === '' ? 'span' : [...name].slice(0, MAX_NAME_CHARS).join('');
}

/** Downstream calls are named after what they call, so the map shows the callee. */
function subsegmentName(span: OtlpSpan, awsService: string | undefined, namespace: 'aws' | 'remote' | undefined): string {
  const a = span.attributes;
  let name: string | undefined;
  if (namespace === 'aws') name = awsService;
  else if (namespace === 'remote') {
    const db = stringAttribute(a, 'db.namespace', 'db.name');
    const host = stringAttribute(a, 'server.address', 'net.peer.name');
    name = stringAttribute(a, 'peer.service') ?? (db !== undefined ? (host !== undefined ? `${db}@${host}` : db) : undefined) ?? stringAttribute(a, 'rpc.service') ?? host ?? urlHost(stringAttribute(a, 'url.full', 'http.url'));
  }
  name ??= span.name;
  return name === '' ? 'span' : [...name].slice(0, MAX_NAME_CHARS).join('');
}

function urlHost(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

/** The AWS compute a segment ran on, from the resource's cloud attributes (as the exporter maps them). */
export function originOf(resource: Attributes): string | undefined {
  const provider = stringAttribute(resource, 'cloud.provider');
  if (provider !== undefined && provider !== 'aws') return undefined;
  switch (stringAttribute(resource, 'cloud.platform')) {
    case 'aws_ec2':
      return 'AWS::EC2::Instance';
    case 'aws_ecs': {
      const launch = stringAttribute(resource, 'aws.ecs.launchtype');
      return launch === 'ec2' ? 'AWS::ECS::EC2' : launch === 'fargate' ? 'AWS::ECS::Fargate' : 'AWS::ECS::Container';
    }
    case 'aws_eks':
      return 'AWS::EKS::Container';
    case 'aws_elastic_beanstalk':
      return 'AWS::ElasticBeanstalk::Environment';
    case 'aws_app_runner':
      return 'AWS::AppRunner::Service';
    case 'aws_lambda':
      return 'AWS::Lambda::Function';
    default:
      return undefined;
  }
}

/** The span's attribute listing its own annotation keys (X-Ray's OTLP translation honours it, as the exporter does). */
const ANNOTATIONS_ATTRIBUTE = 'aws.xray.annotations';
/** `aws.xray.metadata.<namespace>`: a JSON object that becomes that metadata namespace. */
const METADATA_PREFIX = 'aws.xray.metadata.';

/** The keys indexed as annotations: the receiver's list and the ones the span names in `aws.xray.annotations`. */
function indexedKeys(attributes: Attributes, configured: ReadonlySet<string> | undefined): ReadonlySet<string> {
  const listed = attributes.get(ANNOTATIONS_ATTRIBUTE);
  const own = Array.isArray(listed) ? listed.filter((key): key is string => typeof key === 'string') : typeof listed === 'string' ? [listed] : [];
  return own.length === 0 ? (configured ?? new Set()) : new Set([...(configured ?? []), ...own]);
}

/**
 * Which SDK made the span, as AWS's translation writes it into `aws.xray` (`opentelemetry for
 * nodejs`, its version, whether an agent instrumented it automatically), from the resource's
 * `telemetry.*` attributes.
 */
function sdkFields(resource: Attributes): { sdk: string; sdk_version?: string; auto_instrumentation: boolean } | undefined {
  const name = stringAttribute(resource, 'telemetry.sdk.name');
  if (name === undefined) return undefined;
  const language = stringAttribute(resource, 'telemetry.sdk.language');
  const version = stringAttribute(resource, 'telemetry.sdk.version');
  return {
    sdk: language !== undefined ? `${name} for ${language}` : name,
    ...(version !== undefined && { sdk_version: version }),
    auto_instrumentation: resource.has('telemetry.auto.version') || resource.has('telemetry.distro.version'),
  };
}

/** A metadata namespace's JSON object, or undefined when the value is not one. */
function metadataNamespace(value: AttributeValue): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function attributeFields(
  attributes: Attributes,
  resource: Attributes | undefined,
  used: ReadonlySet<string>,
  indexed: ReadonlySet<string>,
): { annotations?: Record<string, string | number | boolean>; metadata?: Record<string, Record<string, unknown>> } {
  const annotations: Record<string, string | number | boolean> = {};
  const metadata: Record<string, AttributeValue> = {};
  const namespaces: Record<string, Record<string, unknown>> = {};
  const place = (key: string, value: AttributeValue): void => {
    if (indexed.has(key) && isAnnotationValue(value)) annotations[annotationKey(key)] = value;
    else if (value !== null) metadata[key] = value;
  };
  for (const [key, value] of resource ?? []) place(`otel.resource.${key}`, value);
  for (const [key, value] of attributes) {
    if (used.has(key) || key === ANNOTATIONS_ATTRIBUTE) continue;
    const namespace = key.startsWith(METADATA_PREFIX) ? key.slice(METADATA_PREFIX.length) : undefined;
    const object = namespace !== undefined && namespace !== '' ? metadataNamespace(value) : undefined;
    if (namespace !== undefined && object !== undefined) namespaces[namespace] = { ...namespaces[namespace], ...object };
    else place(key, value);
  }
  const all: Record<string, Record<string, unknown>> = { ...namespaces };
  if (Object.keys(metadata).length > 0) all['default'] = { ...metadata, ...namespaces['default'] };
  return {
    ...(Object.keys(annotations).length > 0 && { annotations }),
    ...(Object.keys(all).length > 0 && { metadata: all }),
  };
}

function randomId(): string {
  return randomBytes(8).toString('hex');
}

function show(value: string): string {
  return JSON.stringify(clip(value));
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
