/**
 * Lambda event filtering for SQS event source mappings (Lambda developer guide, "Control which
 * events Lambda sends to your function"): each filter of `FilterCriteria.Filters` is an event
 * pattern (JSON text) matched against the record Lambda would send, its `body` parsed when it is
 * JSON (a plain-text body is matched as a string, so a pattern on a field of the body never matches
 * it). A record matching any filter goes to the function; Lambda deletes the others.
 */
import type { CompiledPattern } from '../event-patterns/index.ts';
import { compilePattern } from '../event-patterns/index.ts';

/** The compiled filters of a mapping's FilterCriteria, or why Lambda would refuse them. */
export function readFilterCriteria(criteria: unknown): { filters: CompiledPattern[] } | { error: string } {
  if (criteria === undefined || criteria === null) return { filters: [] };
  const list = typeof criteria === 'object' ? (criteria as { Filters?: unknown }).Filters : undefined;
  if (list === undefined || list === null) return { filters: [] };
  if (!Array.isArray(list)) return { error: 'FilterCriteria.Filters must be a list' };
  const filters: CompiledPattern[] = [];
  for (const [index, filter] of list.entries()) {
    const pattern = typeof filter === 'object' && filter !== null ? (filter as { Pattern?: unknown }).Pattern : undefined;
    if (pattern === undefined) continue;
    // CloudFormation takes Pattern as JSON text; an object (as some tools write it) is read the same.
    const compiled = compilePattern(typeof pattern === 'string' ? pattern : JSON.stringify(pattern));
    if (!compiled.ok) return { error: `Invalid filter pattern definition (Filters[${index}]: ${compiled.reason})` };
    filters.push(compiled.pattern);
  }
  return { filters };
}

/** Whether the record passes the filters (no filters: every record does). */
export function passesFilters(filters: readonly CompiledPattern[], record: Readonly<Record<string, unknown>>): boolean {
  if (filters.length === 0) return true;
  const body = record['body'];
  const filtered = typeof body === 'string' ? { ...record, body: parsedBody(body) } : record;
  return filters.some((filter) => filter.matches(filtered));
}

function parsedBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
