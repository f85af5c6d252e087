/**
 * Seeded generation of malformed requests for the endpoints' fuzz suites, and a bounded raw HTTP
 * client to send them. The same seed gives the same requests on every run, so a failure names a
 * case that can be replayed.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { seededRandom } from '../../src/cloud/tracing/ids.ts';

export class Fuzz {
  private readonly random: () => number;

  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }

  /** A whole number in [0, max). */
  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.int(256);
    return out;
  }

  /** Text mixing ASCII, JSON's special characters, controls and astral characters. */
  text(length: number): string {
    const alphabet = ['a', 'Z', '0', ' ', '"', '\\', '{', '}', '[', ']', ':', ',', '\n', '\u0000', '\u001f', 'é', '€', '\u{1f600}', '\u2028', '%', '&', '='];
    let out = '';
    for (let i = 0; i < length; i++) out += this.pick(alphabet);
    return out;
  }
}

/** JSON text put into a body as is: numbers JSON.stringify cannot write, deep nesting, bad escapes. */
export class Raw {
  constructor(readonly text: string) {}
}

export type FuzzValue = null | boolean | number | string | Raw | FuzzValue[] | { [key: string]: FuzzValue };

/** Serialises like JSON.stringify, writing a Raw's text as it is. Not recursive in Raw, so deep Raw nesting is cheap. */
export function jsonText(value: FuzzValue): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const DEEP_NESTING = 50_000;

/** A value no schema member should take: wrong types, extreme numbers, NaN-like text, depth, length. */
export function hostileValue(fuzz: Fuzz): FuzzValue {
  return fuzz.pick<() => FuzzValue>([
    () => null,
    () => true,
    () => 0,
    () => -1,
    () => 1.5,
    () => 2 ** 53 + 2,
    () => new Raw('1e400'),
    () => new Raw('-1e400'),
    () => new Raw('123456789012345678901234567890'),
    () => '',
    () => 'NaN',
    () => 'Infinity',
    () => '-0',
    () => '1e999',
    () => '2024-01-01T00:00:00Z',
    () => new Raw('"\\ud800"'),
    () => [],
    () => [1, 'two', null],
    () => ({}),
    () => ({ nested: { deeper: [1] } }),
    () => fuzz.text(1 + fuzz.int(40)),
    () => 'x'.repeat(100_000),
    () => new Raw(`${'['.repeat(DEEP_NESTING)}${']'.repeat(DEEP_NESTING)}`),
    // Deep, yet small enough for a 64 KB segment document.
    () => new Raw(`${'['.repeat(3000)}${']'.repeat(3000)}`),
    () => new Raw(`${'{"a":'.repeat(DEEP_NESTING)}1${'}'.repeat(DEEP_NESTING)}`),
  ])();
}

/**
 * Numbers JSON can carry that no time, count or size should take, and nesting deep enough to
 * overflow a recursive walk: the values that once stopped the daemon or bricked the store.
 */
export function extremeValue(fuzz: Fuzz): FuzzValue {
  return fuzz.pick<() => FuzzValue>([
    () => 1e300,
    () => new Raw('1e308'),
    () => new Raw('1.7976931348623157e308'),
    () => -1e308,
    () => new Raw('5e-324'),
    () => 1e15,
    () => 1e16,
    () => 2 ** 63,
    () => -(2 ** 53),
    () => new Raw(`${'['.repeat(5000)}${']'.repeat(5000)}`),
    () => new Raw(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`),
    () => new Raw(`${'['.repeat(20)}1e300${']'.repeat(20)}`),
  ])();
}

export type Path = ReadonlyArray<string | number>;

/** Every member and list item below the top, e.g. `['SamplingRule', 'FixedRate']`. */
export function pathsOf(value: FuzzValue, prefix: Path = []): Path[] {
  if (value instanceof Raw || value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, FuzzValue]> = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  return entries.flatMap(([key, item]) => [[...prefix, key], ...pathsOf(item, [...prefix, key])]);
}

export function showPath(path: Path): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

/** A copy of `value` with the member at `path` replaced, or removed when `replacement` is undefined. */
export function withMember(value: FuzzValue, path: Path, replacement: FuzzValue | undefined): FuzzValue {
  const [key, ...rest] = path;
  if (key === undefined) return replacement ?? null;
  if (Array.isArray(value) && typeof key === 'number') {
    const copy = [...value];
    if (rest.length === 0 && replacement === undefined) copy.splice(key, 1);
    else copy[key] = withMember(copy[key] ?? null, rest, replacement);
    return copy;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Raw) && !Array.isArray(value)) {
    const copy = { ...value };
    if (rest.length === 0 && replacement === undefined) delete copy[String(key)];
    else copy[String(key)] = withMember(copy[String(key)] ?? null, rest, replacement);
    return copy;
  }
  return value;
}

export type BodyKind = 'not-json' | 'not-object' | 'missing' | 'wrong-type' | 'unknown-member' | 'invalid-utf8' | 'empty' | 'deep' | 'content-type';

export interface BadBody {
  readonly kind: BodyKind;
  /** The member changed or removed, for missing, wrong-type and unknown-member. */
  readonly path?: Path;
  /** What the member was set to, for wrong-type and unknown-member. */
  readonly value?: FuzzValue;
  readonly body: Buffer;
  readonly contentType: string;
  /** e.g. `wrong-type SamplingRule.FixedRate = "NaN"`, for failure messages. */
  readonly label: string;
}

export const BODY_KINDS: ReadonlyArray<BodyKind> = ['not-json', 'not-object', 'missing', 'wrong-type', 'wrong-type', 'wrong-type', 'unknown-member', 'invalid-utf8', 'empty', 'deep', 'content-type'];

/** One malformed variant of a valid JSON request body. */
export function badJsonBody(fuzz: Fuzz, valid: FuzzValue, kind: BodyKind = fuzz.pick(BODY_KINDS)): BadBody {
  const json = 'application/json';
  const validText = jsonText(valid);
  const make = (body: Buffer | string, detail: string, member?: { path: Path; value?: FuzzValue }, contentType = json): BadBody => ({
    kind,
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    contentType,
    label: `${kind}${detail === '' ? '' : ` ${detail}`}`,
    ...member,
  });
  const paths = pathsOf(valid);
  switch (kind) {
    case 'not-json': {
      const variants = [
        () => validText.slice(0, Math.max(1, fuzz.int(validText.length))),
        () => `${validText},`,
        () => validText.replace(/"/g, "'"),
        () => fuzz.text(1 + fuzz.int(60)),
        () => fuzz.bytes(1 + fuzz.int(60)).toString('latin1'),
        () => 'NaN',
        () => '{"a":}',
        () => '\u0000',
      ];
      const text = fuzz.pick(variants)();
      // Random text can be valid JSON by chance ("0", "[]"); only a parse failure counts here.
      return make(isJson(text) ? `${text}}` : text, JSON.stringify(text.slice(0, 30)));
    }
    case 'not-object': {
      const text = fuzz.pick(['[]', '[{}]', '"text"', 'null', '42', 'true', '-0.5e3', jsonText([valid])]);
      return make(text, text.slice(0, 30));
    }
    case 'missing': {
      const memberPaths = paths.filter((path) => typeof path.at(-1) === 'string');
      if (memberPaths.length === 0) return badJsonBody(fuzz, valid, 'not-object');
      const path = fuzz.pick(memberPaths);
      return make(jsonText(withMember(valid, path, undefined)), showPath(path), { path });
    }
    case 'wrong-type': {
      if (paths.length === 0) return badJsonBody(fuzz, valid, 'unknown-member');
      const path = fuzz.pick(paths);
      const value = hostileValue(fuzz);
      return make(jsonText(withMember(valid, path, value)), `${showPath(path)} = ${preview(value)}`, { path, value });
    }
    case 'unknown-member': {
      const objectPaths: Path[] = [[], ...paths.filter((path) => isObject(valueAt(valid, path)))];
      const at = fuzz.pick(objectPaths);
      const path = [...at, `Unknown${fuzz.int(100)}`];
      const value = hostileValue(fuzz);
      return make(jsonText(withMember(valid, path, value)), `${showPath(path)} = ${preview(value)}`, { path, value });
    }
    case 'invalid-utf8': {
      // A lone continuation byte, an overlong form or a truncated sequence inside the first string.
      const bad = fuzz.pick([Buffer.from([0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe2, 0x82]), Buffer.from([0xff]), Buffer.from([0xed, 0xa0, 0x80])]);
      const text = Buffer.from(validText);
      const quote = text.indexOf(0x22, text.indexOf(0x3a));
      const at = quote < 0 ? 1 : quote + 1;
      return make(Buffer.concat([text.subarray(0, at), bad, text.subarray(at)]), bad.toString('hex'));
    }
    case 'empty':
      return make('', '');
    case 'deep': {
      const depth = fuzz.pick([1000, DEEP_NESTING]);
      return make(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`, `depth ${depth}`);
    }
    case 'content-type': {
      const type = fuzz.pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json; charset=latin1']);
      return make(validText, JSON.stringify(type), undefined, type);
    }
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isObject(value: FuzzValue | undefined): boolean {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Raw);
}

function valueAt(value: FuzzValue, path: Path): FuzzValue | undefined {
  let current: FuzzValue | undefined = value;
  for (const key of path) {
    if (current === null || current === undefined || typeof current !== 'object' || current instanceof Raw) return undefined;
    current = Array.isArray(current) ? current[key as number] : current[String(key)];
  }
  return current;
}

export function preview(value: FuzzValue): string {
  const text = jsonText(value);
  return text.length > 40 ? `${text.slice(0, 40)}... (${text.length} chars)` : text;
}

export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  /** Sends the body in chunks without a content-length, so its size is learnt only while reading. */
  readonly chunked?: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Every fuzz request must be answered within this. */
export const REQUEST_DEADLINE_MS = 5000;

/** One request on its own connection, failing (naming the request) if no answer comes in time. */
export function send(base: string, options: RawRequest, deadlineMs = REQUEST_DEADLINE_MS): Promise<RawResponse> {
  const url = new URL(base);
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
  const what = `${options.method ?? 'POST'} ${options.path}`;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'POST',
        path: options.path,
        agent: false,
        headers: {
          ...(body !== undefined && options.chunked !== true ? { 'content-length': String(body.length) } : {}),
          ...(options.chunked === true ? { 'transfer-encoding': 'chunked' } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
        });
        response.on('error', fail);
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`${what}: no answer within ${deadlineMs} ms`));
    }, deadlineMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(new Error(`${what}: ${error.message}`));
    }
    outgoing.on('error', (error) => {
      // The server may answer (413) and close before it has read a large body.
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE' && (error as NodeJS.ErrnoException).code !== 'ECONNRESET') fail(error);
    });
    if (body !== undefined && options.chunked === true) {
      for (let at = 0; at < body.length; at += 64 * 1024) outgoing.write(body.subarray(at, at + 64 * 1024));
      outgoing.end();
    } else {
      outgoing.end(body);
    }
  });
}

/** Bytes written as they are on a new connection (close-delimited), for requests node:http would refuse to send. */
export function sendRawText(host: string, port: number, text: string, deadlineMs = REQUEST_DEADLINE_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.write(text));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${JSON.stringify(text.split('\r\n')[0])}: no answer within ${deadlineMs} ms`));
    }, deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export type FormKind = 'missing' | 'bad-value' | 'unknown-param' | 'bad-escape' | 'invalid-utf8' | 'no-action' | 'bad-action' | 'not-a-form' | 'empty' | 'repeated';

export interface BadForm {
  readonly kind: FormKind;
  /** The parameter removed or changed. */
  readonly name?: string;
  readonly body: Buffer;
  readonly label: string;
}

export const FORM_KINDS: ReadonlyArray<FormKind> = ['missing', 'missing', 'bad-value', 'bad-value', 'bad-value', 'unknown-param', 'bad-escape', 'invalid-utf8', 'no-action', 'bad-action', 'not-a-form', 'empty', 'repeated'];

/** One malformed variant of a valid awsQuery form (`Action=...&Name=value`). */
export function badForm(fuzz: Fuzz, valid: Readonly<Record<string, string>>, kind: FormKind = fuzz.pick(FORM_KINDS)): BadForm {
  const encode = (params: ReadonlyArray<readonly [string, string]>): string =>
    params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  const entries = Object.entries(valid);
  const others = entries.filter(([name]) => name !== 'Action' && name !== 'Version');
  const make = (body: Buffer | string, detail: string, name?: string): BadForm => ({
    kind, body: Buffer.isBuffer(body) ? body : Buffer.from(body), label: `${kind}${detail === '' ? '' : ` ${detail}`}`, ...(name === undefined ? {} : { name }),
  });
  switch (kind) {
    case 'missing': {
      if (others.length === 0) return badForm(fuzz, valid, 'unknown-param');
      const [name] = fuzz.pick(others);
      return make(encode(entries.filter(([other]) => other !== name)), name, name);
    }
    case 'bad-value': {
      if (others.length === 0) return badForm(fuzz, valid, 'unknown-param');
      const [name] = fuzz.pick(others);
      const value = fuzz.pick(['', ' ', 'NaN', '-1', '1e999', 'true', 'null', '[]', '{}', fuzz.text(1 + fuzz.int(30)), 'x'.repeat(300_000), 'arn:aws:sns:us-east-1:000000000000:nope']);
      return make(encode(entries.map(([other, v]) => [other, other === name ? value : v])), `${name}=${JSON.stringify(value.slice(0, 30))}`, name);
    }
    case 'unknown-param': {
      const name = fuzz.pick(['Unknown', 'MessageAttributes.entry.99999.Name', 'Attributes.entry.1.value', 'Tags.member.1.Key', `X${fuzz.int(100)}`]);
      return make(`${encode(entries)}&${encodeURIComponent(name)}=${encodeURIComponent(fuzz.text(1 + fuzz.int(20)))}`, name, name);
    }
    case 'bad-escape': {
      const [name] = others.length === 0 ? ['Action'] : fuzz.pick(others);
      const escape = fuzz.pick(['%', '%z', '%zz', '%ff', '%c3', '%ed%a0%80', '%c0%af']);
      const body = entries.map(([other, v]) => `${encodeURIComponent(other)}=${other === name ? `${encodeURIComponent(v)}${escape}` : encodeURIComponent(v)}`).join('&');
      return make(body, `${name} ${escape}`, name);
    }
    case 'invalid-utf8': {
      const text = Buffer.from(encode(entries));
      const at = text.indexOf(0x3d, text.indexOf(0x26)) + 1 || text.length;
      return make(Buffer.concat([text.subarray(0, at), Buffer.from([0xff, 0xfe]), text.subarray(at)]), '');
    }
    case 'no-action':
      return make(encode(entries.filter(([name]) => name !== 'Action')), '', 'Action');
    case 'bad-action': {
      const action = fuzz.pick(['', 'Frobnicate', 'publish', 'constructor', 'toString', '__proto__', 'x'.repeat(5000)]);
      return make(encode(entries.map(([name, v]) => [name, name === 'Action' ? action : v])), JSON.stringify(action.slice(0, 20)), 'Action');
    }
    case 'not-a-form':
      return make(fuzz.pick([JSON.stringify(valid), '<Publish/>', fuzz.bytes(1 + fuzz.int(60)).toString('latin1'), '&&&==&']), '');
    case 'empty':
      return make('', '');
    case 'repeated':
      return make(`${encode(entries)}&${encode(entries.map(([name]) => [name, fuzz.text(3)]))}`, '');
  }
}
