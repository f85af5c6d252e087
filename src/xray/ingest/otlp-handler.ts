/**
 * `POST /v1/traces`: reads the body (gzip or not, protobuf or JSON), translates the spans into
 * segment documents, validates each one like a UDP document and commits the valid ones through the
 * same batch writer, answering only once they are committed. Spans we will never take (bad
 * translation or document) are a partialSuccess, which the exporter must not retry; a store too
 * far behind is a 429 and a failed write a 503, both with Retry-After, which exporters retry.
 * Bad input is answered, counted and logged (rate-limited), never thrown past here.
 */
import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { StoreBusyError } from './batch-writer.ts';
import type { CommittingSink } from './batch-writer.ts';
import { errorText, preview } from '../../common/preview.ts';
import { RejectLog } from './reject-log.ts';
import type { HttpRequest, HttpResponse } from '../http/router.ts';
import type { Logger } from '../log/logger.ts';
import type { ValidationResult } from '../segments/validate.ts';
import type { SegmentRecord } from '../model/trace.ts';
import { decodeJsonRequest } from '../otlp/decode-json.ts';
import { decodeProtobufRequest } from '../otlp/decode-protobuf.ts';
import type { OtlpTraceRequest } from '../otlp/model.ts';
import { OtlpDecodeError } from '../otlp/model.ts';
import type { Encoding } from '../otlp/responses.ts';
import { exportResponse, mediaType, statusResponse } from '../otlp/responses.ts';
import { translateRequest } from '../otlp/translate.ts';
import type { RejectedSpan, TranslateOptions } from '../otlp/translate.ts';

export interface OtlpHandlerOptions extends TranslateOptions {
  /** Checks a translated document as it stands, in memory (segments/validate.ts, validateParsedDocument). */
  readonly validate: (document: object) => ValidationResult;
  /** Where the valid documents go; the answer waits for their commit. */
  readonly sink: CommittingSink;
  readonly logger: Logger;
  /** The limit on a body once decompressed (the server limits it as sent). */
  readonly maxBodyBytes: number;
  /** Milliseconds, for the rate-limited reject log. */
  readonly nowMs?: () => number;
}

export interface OtlpIngestStats {
  /** Export requests answered 200 (their accepted spans committed). */
  readonly requests: number;
  /** Requests refused whole (400, 404, 405, 413, 415, and 429 or 503 for a retry). */
  readonly refusedRequests: number;
  /** Spans committed. */
  readonly acceptedSpans: number;
  /** Spans answered in a partialSuccess: never to be stored, not to be retried. */
  readonly rejectedSpans: number;
  /** Valid spans of requests answered 429 or 503: not stored, the exporter retries them. */
  readonly retryableSpans: number;
}

/** A failed write (disk full, database locked) may pass; try again after this long. */
const RETRY_AFTER_FAILED_WRITE_SECONDS = 5;

/** How many rejection messages one partialSuccess.errorMessage lists before "and N more". */
const MESSAGES_LISTED = 5;

export class OtlpTraceHandler {
  private requests = 0;
  private refusedRequests = 0;
  private acceptedSpans = 0;
  private rejectedSpans = 0;
  private retryableSpans = 0;
  private readonly rejectLog: RejectLog;
  private readonly refuseLog: RejectLog;

  constructor(private readonly options: OtlpHandlerOptions) {
    this.rejectLog = new RejectLog(options.logger, options.nowMs ?? Date.now, 1000, { source: 'xray otlp', unit: 'span' });
    this.refuseLog = new RejectLog(options.logger, options.nowMs ?? Date.now, 1000, { source: 'xray otlp', unit: 'request' });
  }

  readonly handle = async (request: HttpRequest): Promise<HttpResponse> => {
    const type = mediaType(request.headers['content-type']);
    const encoding: Encoding | undefined = type === 'application/x-protobuf' ? 'protobuf' : type === 'application/json' ? 'json' : undefined;
    if (encoding === undefined) {
      return this.refuse(415, 'json', `content-type ${preview(type, 100)} is not supported; send application/x-protobuf or application/json`);
    }
    const body = this.decompress(request, encoding);
    if (!Buffer.isBuffer(body)) return body;
    // Read leniently, bytes that are not UTF-8 would be stored as U+FFFD without a word.
    if (encoding === 'json' && !isUtf8(body)) return this.refuse(400, encoding, 'body is not valid UTF-8');
    let decoded: OtlpTraceRequest;
    try {
      decoded = encoding === 'protobuf' ? decodeProtobufRequest(body) : decodeJsonRequest(body.toString('utf8'));
    } catch (error) {
      if (error instanceof OtlpDecodeError) return this.refuse(400, encoding, error.message);
      throw error;
    }
    const { records, rejected } = this.translate(decoded);
    try {
      await this.options.sink.commit(records);
    } catch (error) {
      this.retryableSpans += records.length;
      if (error instanceof StoreBusyError) {
        return this.refuse(429, encoding, error.message, { 'retry-after': String(error.retryAfterSeconds) });
      }
      // Logged by the batch writer; the store may take the spans again later (disk full, locked).
      return this.refuse(503, encoding, `the spans could not be stored: ${errorText(error, 300)}; send them again later`, { 'retry-after': String(RETRY_AFTER_FAILED_WRITE_SECONDS) });
    }
    this.requests++;
    this.acceptedSpans += records.length;
    this.rejectedSpans += rejected.length;
    for (const item of rejected) this.rejectLog.record(item.reason, item.message);
    return exportResponse(encoding, rejected.length, summary(rejected));
  };

  stats(): OtlpIngestStats {
    return {
      requests: this.requests,
      refusedRequests: this.refusedRequests,
      acceptedSpans: this.acceptedSpans,
      rejectedSpans: this.rejectedSpans,
      retryableSpans: this.retryableSpans,
    };
  }

  /** Logs what is still pending in the reject log. */
  flush(): void {
    this.rejectLog.flush(true);
    this.refuseLog.flush(true);
  }

  /** Translates and validates: the records to store, and the spans we will never take, with why. */
  private translate(request: OtlpTraceRequest): { records: SegmentRecord[]; rejected: Array<RejectedSpan & { reason: string }> } {
    const { documents, rejected: untranslatable } = translateRequest(request, this.options);
    const rejected = untranslatable.map((item) => ({ ...item, reason: 'UntranslatableSpan' }));
    const records: SegmentRecord[] = [];
    for (const { path, document } of documents) {
      let result: ValidationResult;
      try {
        result = this.options.validate(document);
      } catch (error) {
        // A defect met by one span costs that span only, reported like any other reject.
        result = { ok: false, id: undefined, errorCode: 'InternalError', message: `could not be handled: ${errorText(error, 300)}` };
      }
      if (result.ok) records.push(result.record);
      else rejected.push({ path, reason: result.errorCode, message: `${path}: the segment document made of it is invalid (${result.errorCode}): ${result.message}` });
    }
    return { records, rejected };
  }

  private decompress(request: HttpRequest, encoding: Encoding): Buffer | HttpResponse {
    const contentEncoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (contentEncoding === 'identity' || contentEncoding === '') return request.body;
    if (contentEncoding !== 'gzip') {
      return this.refuse(415, encoding, `content-encoding ${preview(contentEncoding, 100)} is not supported; send gzip or no encoding`);
    }
    try {
      return gunzipSync(request.body, { maxOutputLength: this.options.maxBodyBytes });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        return this.refuse(413, encoding, `request body is larger than the limit of ${this.options.maxBodyBytes} bytes once decompressed`);
      }
      return this.refuse(400, encoding, `body is not valid gzip: ${(error as Error).message}`);
    }
  }

  /** Answers a request refused whole, here or by the HTTP layer (404, 405, 413), with a Status. */
  refuse(status: number, encoding: Encoding, message: string, headers: Readonly<Record<string, string>> = {}): HttpResponse {
    this.refusedRequests++;
    this.refuseLog.record(`HTTP${status}`, message);
    return statusResponse(status, encoding, message, headers);
  }
}

function summary(rejected: readonly RejectedSpan[]): string {
  if (rejected.length === 0) return '';
  const listed = rejected.slice(0, MESSAGES_LISTED).map((item) => item.message);
  const more = rejected.length - listed.length;
  return `${rejected.length} span${rejected.length === 1 ? '' : 's'} rejected: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}
