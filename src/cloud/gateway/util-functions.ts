/**
 * The `$util` object of API Gateway mapping templates. API Gateway runs on the JVM, so each function
 * behaves like the Java call it wraps: `URLEncoder`/`URLDecoder` (UTF-8, space as `+`), commons-lang's
 * `escapeJavaScript`, and standard base64 of UTF-8 text.
 */

export class MappingFunctionError extends Error {
  override readonly name = 'MappingFunctionError';
}

// java.net.URLEncoder leaves these as they are and writes a space as '+'.
const URL_SAFE = /[A-Za-z0-9.\-*_]/;

export function urlEncode(value: unknown): string {
  let out = '';
  for (const char of textOf(value)) {
    if (URL_SAFE.test(char)) out += char;
    else if (char === ' ') out += '+';
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function urlDecode(value: unknown): string {
  const text = textOf(value).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(text);
  } catch {
    throw new MappingFunctionError(`$util.urlDecode: "${text}" has a malformed %-escape`);
  }
}

/** commons-lang 2 StringEscapeUtils.escapeJavaScript, which API Gateway documents (it escapes `'` too). */
export function escapeJavaScript(value: unknown): string {
  let out = '';
  for (const char of textOf(value)) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0xffff) {
      // Java strings are UTF-16: a code point outside the BMP is escaped as its surrogate pair.
      for (let i = 0; i < char.length; i += 1) out += `\\u${hex4(char.charCodeAt(i))}`;
    } else if (code > 0x7f) out += `\\u${hex4(code)}`;
    else if (code < 0x20) out += CONTROL_ESCAPES[char] ?? `\\u${hex4(code)}`;
    else if (char === '"' || char === "'" || char === '\\' || char === '/') out += `\\${char}`;
    else out += char;
  }
  return out;
}

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { '\b': '\\b', '\n': '\\n', '\t': '\\t', '\f': '\\f', '\r': '\\r' };

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

export function base64Encode(value: unknown): string {
  return Buffer.from(textOf(value), 'utf8').toString('base64');
}

export function base64Decode(value: unknown): string {
  const text = textOf(value).trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new MappingFunctionError(`$util.base64Decode: "${text}" is not base64`);
  }
  return Buffer.from(text, 'base64').toString('utf8');
}

/** Parses JSON text into objects the template can navigate (`$util.parseJson($x).field`). */
export function parseJson(value: unknown): unknown {
  const text = textOf(value);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MappingFunctionError(`$util.parseJson: not JSON (${(error as Error).message}): ${text.slice(0, 80)}`);
  }
}

/** The `$util` object as templates see it. */
export function utilObject(): Readonly<Record<string, (value: unknown) => unknown>> {
  return { urlEncode, urlDecode, escapeJavaScript, base64Encode, base64Decode, parseJson };
}

// Velocity hands Java objects to these functions; a null prints as nothing, anything else as its text.
function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
