/**
 * awsQuery as SNS speaks it: a form-urlencoded POST (`Action=Publish&Version=2010-03-31&...`, lists
 * as `Name.member.N`, maps as `Name.entry.N.key`/`.value`), XML answers
 * `<ActionResponse><ActionResult>..</ActionResult><ResponseMetadata>..</ResponseMetadata></ActionResponse>`
 * and XML errors `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import { isUtf8 } from 'node:buffer';
import { AwsError, commonErrors } from './errors.ts';
import type { EndpointReply, EndpointRequest } from './service.ts';

export const FORM = 'application/x-www-form-urlencoded';

export function isFormRequest(request: EndpointRequest): boolean {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return request.method === 'POST' && type === FORM;
}

/** The form body's parameters, plus any in the URL's query string (both are legal in awsQuery). */
export function queryParams(request: EndpointRequest): QueryParams {
  const params = formParams(request.body);
  for (const [key, value] of request.query) params.add(key, value);
  return params;
}

/**
 * A Query request's parameters by name, the first value of a repeated name kept (as
 * URLSearchParams.get does). Every read is a map lookup and every list is found in one pass over the
 * names, so a request of N parameters costs O(N) whatever its shape: URLSearchParams looks a name up
 * by scanning, which made a request of 10,000 map entries cost seconds.
 */
export class QueryParams {
  private readonly values = new Map<string, string>();
  private readonly indexesByPrefix = new Map<string, ReadonlySet<number>>();

  /** Keeps the first value of a name; later ones are ignored. */
  add(name: string, value: string): void {
    if (!this.values.has(name)) this.values.set(name, value);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  get size(): number {
    return this.values.size;
  }

  /** Every name, in the order first sent. */
  names(): IterableIterator<string> {
    return this.values.keys();
  }

  /** The indices N of `prefix.N` or `prefix.N.*` names (N without leading zeros), in one pass kept per prefix. */
  indexesUnder(prefix: string): ReadonlySet<number> {
    const known = this.indexesByPrefix.get(prefix);
    if (known) return known;
    const indexes = new Set<number>();
    const start = `${prefix}.`;
    for (const name of this.values.keys()) {
      if (!name.startsWith(start)) continue;
      const dot = name.indexOf('.', start.length);
      const digits = dot < 0 ? name.slice(start.length) : name.slice(start.length, dot);
      if (/^[1-9]\d{0,8}$/.test(digits)) indexes.add(Number(digits));
    }
    this.indexesByPrefix.set(prefix, indexes);
    return indexes;
  }
}

/**
 * A form body read strictly: URLSearchParams reads bytes that are not UTF-8 and bad %-escapes as
 * U+FFFD or literally, which would publish an altered message or blame the wrong parameter.
 */
function formParams(body: Buffer): QueryParams {
  if (!isUtf8(body)) throw malformedQueryString('The request body is not valid UTF-8.');
  const params = new QueryParams();
  for (const pair of body.toString('utf8').split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    params.add(decodeFormPart(equals < 0 ? pair : pair.slice(0, equals)), decodeFormPart(equals < 0 ? '' : pair.slice(equals + 1)));
  }
  return params;
}

function decodeFormPart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw malformedQueryString(`${JSON.stringify(clip(text))} is not valid percent-encoded UTF-8.`);
  }
}

function malformedQueryString(message: string): AwsError {
  return new AwsError('MalformedQueryString', message);
}

function clip(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}...` : text;
}

/** Typed reads of a Query request's parameters under a prefix (`` for the top level). */
export class QueryInput {
  constructor(readonly params: QueryParams, readonly scope = '') {}

  private key(name: string): string {
    return this.scope === '' ? name : `${this.scope}.${name}`;
  }

  optionalString(name: string): string | undefined {
    return this.params.get(this.key(name));
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw commonErrors.missingParameter(this.key(name));
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.optionalString(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') {
      throw commonErrors.invalidParameter(`${this.key(name)} must be true or false, got "${value}".`);
    }
    return value === 'true';
  }

  /** `Name.member.1`, `Name.member.2`, ... each as its own scope (structures) or value (strings). */
  members(name: string): QueryInput[] {
    return this.indexed(`${this.key(name)}.member`);
  }

  /** `Name.entry.N.*` scopes of a map. */
  entries(name: string): QueryInput[] {
    return this.indexed(`${this.key(name)}.entry`);
  }

  /** A string-to-string map sent as `Name.entry.N.key` / `Name.entry.N.value`. */
  stringMap(name: string): Record<string, string> {
    const map: Record<string, string> = {};
    for (const entry of this.entries(name)) map[entry.string('key')] = entry.optionalString('value') ?? '';
    return map;
  }

  /** The value of this scope itself (a list member that is a plain string). */
  value(): string {
    const value = this.params.get(this.scope);
    if (value === undefined) throw commonErrors.missingParameter(this.scope);
    return value;
  }

  /** The scopes `prefix.1`, `prefix.2`, ... up to the first index missing (lists run 1..N without gaps). */
  private indexed(prefix: string): QueryInput[] {
    const present = this.params.indexesUnder(prefix);
    const found: QueryInput[] = [];
    for (let index = 1; present.has(index); index += 1) found.push(new QueryInput(this.params, `${prefix}.${index}`));
    return found;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/** `<name>content</name>`: strings are escaped; arrays are already-rendered child elements; undefined omits the element. */
export function xml(name: string, content: string | number | boolean | readonly string[] | undefined): string {
  if (content === undefined) return '';
  const inner = Array.isArray(content) ? content.join('') : xmlEscape(String(content));
  return `<${name}>${inner}</${name}>`;
}

/** A map as `<entry><key>..</key><value>..</value></entry>` children. */
export function xmlEntries(map: Readonly<Record<string, string>>): string[] {
  return Object.entries(map).map(([key, value]) => xml('entry', [xml('key', key), xml('value', value)]));
}

/**
 * The success reply: XML, or with `json` (the caller sent `Accept: application/json`, as API
 * Gateway's integrations do) the same document as JSON, `{"PublishResponse":{"PublishResult":{..},
 * "ResponseMetadata":{"RequestId":..}}}`, lists' `member`s as arrays.
 */
export function queryReply(action: string, xmlns: string, requestId: string, result: readonly string[] | undefined, json = false): EndpointReply {
  if (json) {
    const body = JSON.stringify({
      [`${action}Response`]: { ...(result === undefined ? {} : { [`${action}Result`]: xmlToJson(result.join('')) }), ResponseMetadata: { RequestId: requestId } },
    });
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  }
  const children = [
    ...(result === undefined ? [] : [xml(`${action}Result`, result)]),
    xml('ResponseMetadata', [xml('RequestId', requestId)]),
  ];
  const body = `<?xml version="1.0"?>\n<${action}Response xmlns="${xmlns}">${children.join('')}</${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml' }, body };
}

/**
 * The error reply; as JSON `{"Error":{"Type","Code","Message"},"RequestId"}` when the caller asked
 * for it with `Accept: application/json` (API Gateway's AWS integrations do, and their mapping
 * templates read `$.Error.Code`).
 */
export function renderQueryError(error: AwsError, xmlns: string, requestId: string, json = false): EndpointReply {
  if (json) {
    const body = JSON.stringify({ Error: { Type: error.side, Code: error.queryCode, Message: error.message }, RequestId: requestId });
    return { status: error.status, headers: { 'content-type': 'application/json' }, body };
  }
  const body =
    `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlns}">` +
    xml('Error', [xml('Type', error.side), xml('Code', error.queryCode), xml('Message', error.message)]) +
    xml('RequestId', requestId) +
    '</ErrorResponse>';
  return { status: error.status, headers: { 'content-type': 'text/xml' }, body };
}

export function invalidAction(action: string, service: string): AwsError {
  return new AwsError('InvalidAction', `The action ${clip(action)} is not valid for ${service} here.`);
}

/** Whether the caller's Accept header asks for JSON. */
export function acceptsJson(request: EndpointRequest): boolean {
  const accept = request.headers['accept'];
  return (Array.isArray(accept) ? accept.join(',') : accept ?? '').toLowerCase().includes('application/json');
}

const UNESCAPES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/** Our own rendered XML (elements and text only) as JSON: `member`/`entry` children become arrays. */
export function xmlToJson(fragment: string): unknown {
  const children: Array<[string, unknown]> = [];
  let at = 0;
  while (at < fragment.length) {
    const open = /^<([A-Za-z_][\w.-]*)>/.exec(fragment.slice(at));
    if (open === null) break;
    const name = open[1] ?? '';
    const start = at + open[0].length;
    // The matching close tag: nested elements of the same name are counted.
    let depth = 1;
    let cursor = start;
    let end = -1;
    const tags = new RegExp(`<(/?)${name.replace(/[.]/g, '\\.')}>`, 'g');
    tags.lastIndex = start;
    for (let match = tags.exec(fragment); match !== null; match = tags.exec(fragment)) {
      depth += match[1] === '/' ? -1 : 1;
      if (depth === 0) {
        end = match.index;
        cursor = match.index + match[0].length;
        break;
      }
    }
    if (end < 0) break;
    const inner = fragment.slice(start, end);
    children.push([name, inner.startsWith('<') ? xmlToJson(inner) : inner.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => UNESCAPES[entity] ?? entity)]);
    at = cursor;
  }
  if (children.length === 0) return fragment === '' ? null : fragment;
  if (children.every(([name]) => name === 'member' || name === 'entry')) return children.map(([, value]) => value);
  const object: Record<string, unknown> = {};
  for (const [name, value] of children) object[name] = value;
  return object;
}
