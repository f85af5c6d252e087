/**
 * awsJson1_0 as SQS and DynamoDB speak it: POST `/`, `X-Amz-Target: <Service>.<Operation>`, a JSON
 * body in and out, errors as `{"__type": "<namespace>#<Code>", "message": ...}`. SQS is
 * query-compatible: its errors also carry `x-amzn-query-error: <QueryCode>;<Sender|Receiver>`,
 * which the SDK reads first to pick the modelled error.
 */
import { isUtf8 } from 'node:buffer';
import { AwsError, commonErrors } from './errors.ts';
import type { EndpointReply, EndpointRequest } from './service.ts';

export const JSON_1_0 = 'application/x-amz-json-1.0';
/** The shape namespace AWS uses for errors common to every JSON service. */
export const CORAL = 'com.amazon.coral.service';

export interface JsonProtocol {
  /** The X-Amz-Target prefix, e.g. `AmazonSQS`. */
  readonly target: string;
  /** The errors' shape namespace, e.g. `com.amazonaws.sqs`. */
  readonly namespace: string;
  readonly queryCompatible: boolean;
}

/** The operation named by X-Amz-Target, or undefined when the target is another service's. */
export function targetOperation(request: EndpointRequest, protocol: JsonProtocol): string | undefined {
  const target = request.headers['x-amz-target'];
  if (typeof target !== 'string') return undefined;
  const dot = target.indexOf('.');
  if (dot < 0 || target.slice(0, dot) !== protocol.target) return undefined;
  return target.slice(dot + 1);
}

/** The request body as a JSON object; a SerializationException names what is wrong otherwise. */
export function parseJsonObject(request: EndpointRequest): Record<string, unknown> {
  // Read leniently, bytes that are not UTF-8 would become U+FFFD in a message body without a word.
  if (!isUtf8(request.body)) throw new AwsError('SerializationException', 'The request body is not valid UTF-8.', { namespace: CORAL });
  const text = request.body.toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AwsError('SerializationException', `The request body is not valid JSON: ${(error as Error).message}`, {
      namespace: CORAL,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.', { namespace: CORAL });
  }
  return value as Record<string, unknown>;
}

export function jsonReply(output: unknown): EndpointReply {
  return { status: 200, headers: { 'content-type': JSON_1_0 }, body: JSON.stringify(output) };
}

export function renderJsonError(error: AwsError, protocol: JsonProtocol): EndpointReply {
  const headers: Record<string, string> = { 'content-type': JSON_1_0 };
  if (protocol.queryCompatible) headers['x-amzn-query-error'] = `${error.queryCode};${error.side}`;
  const body = { __type: `${error.namespace ?? protocol.namespace}#${error.code}`, message: error.message };
  return { status: error.status, headers, body: JSON.stringify(body) };
}

export function unknownOperation(operation: string, service: string): AwsError {
  const shown = operation.length > 100 ? `${operation.slice(0, 100)}...` : operation;
  return new AwsError('UnknownOperationException', `${service} has no operation "${shown}" here.`, {
    namespace: CORAL,
    queryCode: 'InvalidAction',
  });
}

/** Typed reads of a JSON request's members, each failure naming the member. */
export class JsonInput {
  /** `path` names where a nested object sits, e.g. `Entries[1].`, so messages give the member's full path. */
  constructor(readonly data: Readonly<Record<string, unknown>>, readonly path = '') {}

  /** The object member `name` (or list item) as its own input; a value of another type is refused, naming it. */
  static of(value: unknown, path: string): JsonInput {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw commonErrors.invalidParameter(`${path} must be an object, got ${shown(value)}.`);
    }
    return new JsonInput(value as Record<string, unknown>, `${path}.`);
  }

  has(name: string): boolean {
    return this.data[name] !== undefined && this.data[name] !== null;
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw commonErrors.missingParameter(this.path + name);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.data[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw commonErrors.invalidParameter(`${this.path}${name} must be a string, got ${typeof value}.`);
    return value;
  }

  optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.data[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw commonErrors.invalidParameter(`${this.path}${name} must be an integer, got ${shown(value)}.`);
    }
    if (value < min || value > max) {
      throw commonErrors.invalidParameter(`Value ${value} for parameter ${this.path}${name} is invalid. Reason: must be between ${min} and ${max}.`);
    }
    return value;
  }

  optionalStringList(name: string): string[] | undefined {
    const value = this.data[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw commonErrors.invalidParameter(`${this.path}${name} must be a list of strings.`);
    }
    return value as string[];
  }

  optionalObject(name: string): Record<string, unknown> | undefined {
    const value = this.data[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw commonErrors.invalidParameter(`${this.path}${name} must be an object.`);
    return value as Record<string, unknown>;
  }

  list(name: string): unknown[] {
    const value = this.data[name];
    if (value === undefined || value === null) throw commonErrors.missingParameter(this.path + name);
    if (!Array.isArray(value)) throw commonErrors.invalidParameter(`${this.path}${name} must be a list.`);
    return value;
  }
}

/** A value in a message: short, and never serialised whole (it may nest thousands deep). */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return String(value);
}
