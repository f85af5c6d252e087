import type { AnnotationValue, ServiceId } from '../api/types.ts';

/**
 * Filter-expression clauses for a value the Analytics page shows, written so that the service's
 * parser reads back exactly that value (grammar: docs/filter-expressions.md), and the way to add
 * one to a filter.
 */

/** A string literal: the filter language's escapes are JSON's, lone surrogates included. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/** A number literal; undefined for values the language cannot write (NaN, infinities). */
export function numberLiteral(value: number): string | undefined {
  // String() of a finite number always reads back as the same number, exponents included.
  return Number.isFinite(value) ? String(value) : undefined;
}

const ANNOTATION_KEY = /^[A-Za-z0-9_]+$/;

/** `annotation.KEY = value` by the value's type; undefined when the key cannot be written in a filter. */
export function annotationClause(key: string, value: AnnotationValue): string | undefined {
  if (!ANNOTATION_KEY.test(key)) return undefined;
  const subject = `annotation.${key}`;
  if (value.StringValue !== undefined) return `${subject} = ${quote(value.StringValue)}`;
  if (value.NumberValue !== undefined) {
    const literal = numberLiteral(value.NumberValue);
    return literal === undefined ? undefined : `${subject} = ${literal}`;
  }
  if (value.BooleanValue !== undefined) return `${subject} = ${String(value.BooleanValue)}`;
  return undefined;
}

/**
 * A node by name and type. The service gives a node sent without a type the type "", and matches
 * it by that (as the map's filters do).
 */
function node(service: Pick<ServiceId, 'Name' | 'Type'>): string {
  return `id(name: ${quote(service.Name ?? '')}, type: ${quote(service.Type ?? '')})`;
}

/** The traces that reached the node. */
export function serviceClause(service: Pick<ServiceId, 'Name' | 'Type'>): string {
  return `service(${node(service)})`;
}

export type RootCauseKind = 'fault' | 'error';

/**
 * The traces with a fault (error) root cause that ends in the service. `last` matters: a root
 * cause lists every service from the entry down, and the entry is on every path.
 */
export function rootCauseClause(kind: RootCauseKind, service: Pick<ServiceId, 'Name' | 'Type'>): string {
  return `rootcause.${kind}.service { last AND name = ${quote(service.Name ?? '')} AND type = ${quote(service.Type ?? '')} }`;
}

/** The traces without any fault (error) root cause. */
export function noRootCauseClause(kind: RootCauseKind): string {
  return `!rootcause.${kind}.service`;
}

export type HttpField = 'status' | 'url' | 'method';

/** The trace's entry answered or was asked this (`http.status = 502`, `http.url = "..."`). */
export function httpClause(field: HttpField, value: string | number): string | undefined {
  if (typeof value === 'number') {
    const literal = numberLiteral(value);
    return literal === undefined ? undefined : `http.${field} = ${literal}`;
  }
  return `http.${field} = ${quote(value)}`;
}

/** The trace's entry has no such HTTP field. */
export function noHttpClause(field: HttpField): string {
  return `!http.${field}`;
}

/** Response times from `from` to `to` seconds, both included. */
export function responseTimeClause(from: number, to: number): string {
  return `responsetime >= ${rounded(from)} AND responsetime <= ${rounded(to)}`;
}

function rounded(value: number): string {
  // Bin edges are sums of floats (0.30000000000000004); six digits say them as people would.
  return String(Number(value.toPrecision(6)));
}

/**
 * `filter` AND `clause`. The filter is wrapped in parentheses only when an OR at its top level
 * would otherwise take the clause into its last operand, so that adding clause after clause
 * keeps one flat AND instead of nesting deeper each time (the service refuses 64 levels).
 * A clause already among the filter's top-level terms is not added again.
 */
export function narrow(filter: string, clause: string): string {
  const base = filter.trim();
  if (base === '') return clause;
  const words = topLevelWords(base);
  if (words.some((word) => word.text.toUpperCase() === 'OR')) return `(${base}) AND ${clause}`;
  const terms = splitOnAnd(base, words);
  const added = splitOnAnd(clause, topLevelWords(clause));
  if (added.every((term) => terms.includes(term))) return base;
  return `${base} AND ${clause}`;
}

interface Word {
  readonly text: string;
  readonly offset: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]*)*/y;
const NUMBER_LIKE = /[0-9.][A-Za-z0-9_.]*/y;

/** The words outside strings, parentheses and blocks, read as the service's lexer reads them. */
function topLevelWords(text: string): Word[] {
  const words: Word[] = [];
  let depth = 0;
  let at = 0;
  while (at < text.length) {
    const ch = text[at] ?? '';
    if (ch === '"') {
      at += 1;
      while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
      at += 1;
    } else if (ch === '(' || ch === '{') {
      depth += 1;
      at += 1;
    } else if (ch === ')' || ch === '}') {
      depth -= 1;
      at += 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      WORD.lastIndex = at;
      const word = WORD.exec(text)?.[0] ?? ch;
      if (depth === 0) words.push({ text: word, offset: at });
      at += word.length;
    } else if (/[0-9.]/.test(ch)) {
      // A number's exponent (1e5) is not a word.
      NUMBER_LIKE.lastIndex = at;
      at += (NUMBER_LIKE.exec(text)?.[0] ?? ch).length;
    } else {
      at += 1;
    }
  }
  return words;
}

/** The text between top-level ANDs, trimmed. */
function splitOnAnd(text: string, words: readonly Word[]): string[] {
  const terms: string[] = [];
  let from = 0;
  for (const word of words) {
    if (word.text.toUpperCase() !== 'AND') continue;
    terms.push(text.slice(from, word.offset).trim());
    from = word.offset + word.text.length;
  }
  terms.push(text.slice(from).trim());
  return terms;
}
