/**
 * Which keywords exist, of which type, and where each may appear. The parser rejects a keyword
 * outside its scopes, so the evaluator never meets one it has no value for.
 */
import type { FlagKeyword, NumberKeyword, RootCauseCategory, RootCauseLevel, StringKeyword } from './ast.ts';

/** Where a keyword is read: the trace itself, or the subject of the enclosing block. */
export type Scope =
  | { readonly kind: 'trace' }
  | { readonly kind: 'service' }
  | { readonly kind: 'edge' }
  | { readonly kind: 'rootcause'; readonly category: RootCauseCategory; readonly level: RootCauseLevel };

const FLAGS: readonly FlagKeyword[] = ['ok', 'error', 'throttle', 'fault', 'partial', 'inferred', 'root', 'first', 'last', 'remote'];
const NUMBERS: readonly NumberKeyword[] = ['responsetime', 'duration', 'http.status', 'index', 'coverage'];
const STRINGS: readonly StringKeyword[] = [
  'http.url', 'http.method', 'http.useragent', 'http.clientip', 'user',
  'availabilityzone', 'instance.id', 'resource.arn', 'name', 'type', 'message',
];

export type KeywordInfo =
  | { readonly type: 'flag'; readonly keyword: FlagKeyword }
  | { readonly type: 'number'; readonly keyword: NumberKeyword }
  | { readonly type: 'string'; readonly keyword: StringKeyword };

const BY_NAME = new Map<string, KeywordInfo>([
  ...FLAGS.map((keyword) => [keyword, { type: 'flag', keyword }] as const),
  ...NUMBERS.map((keyword) => [keyword, { type: 'number', keyword }] as const),
  ...STRINGS.map((keyword) => [keyword, { type: 'string', keyword }] as const),
]);

/** The keyword a word names, matched case-insensitively. */
export function lookupKeyword(word: string): KeywordInfo | undefined {
  return BY_NAME.get(word.toLowerCase());
}

const TRACE = new Set<string>([
  'ok', 'error', 'throttle', 'fault', 'partial', 'inferred',
  'responsetime', 'duration', 'http.status',
  'http.url', 'http.method', 'http.useragent', 'http.clientip', 'user', 'availabilityzone', 'instance.id', 'resource.arn',
]);
const SERVICE = new Set<string>(['ok', 'error', 'throttle', 'fault', 'inferred', 'root', 'responsetime', 'name', 'type']);
const EDGE = new Set<string>(['ok', 'error', 'throttle', 'fault', 'responsetime']);
const ROOT_CAUSE_SERVICE = new Set<string>(['first', 'last', 'index', 'inferred', 'name', 'type']);
const ROOT_CAUSE_ENTITY = new Set<string>(['first', 'last', 'index', 'remote', 'name']);
const ROOT_CAUSE_TIME_ENTITY = new Set<string>([...ROOT_CAUSE_ENTITY, 'coverage']);
const ROOT_CAUSE_EXCEPTION = new Set<string>(['first', 'last', 'index', 'name', 'message']);

export function allowedKeywords(scope: Scope): ReadonlySet<string> {
  switch (scope.kind) {
    case 'trace': return TRACE;
    case 'service': return SERVICE;
    case 'edge': return EDGE;
    case 'rootcause':
      if (scope.level === 'service') return ROOT_CAUSE_SERVICE;
      if (scope.level === 'exception') return ROOT_CAUSE_EXCEPTION;
      return scope.category === 'responsetime' ? ROOT_CAUSE_TIME_ENTITY : ROOT_CAUSE_ENTITY;
  }
}

/** For messages: `outside a block`, `inside a service block`, `inside a rootcause.fault.entity block`. */
export function describeScope(scope: Scope): string {
  switch (scope.kind) {
    case 'trace': return 'outside a block';
    case 'service': return 'inside a service block';
    case 'edge': return 'inside an edge block';
    case 'rootcause': return `inside a rootcause.${scope.category}.${scope.level} block`;
  }
}
