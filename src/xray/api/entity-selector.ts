/**
 * GetTimeSeriesServiceStatistics' EntitySelectorExpression, read with the filter language's parser
 * (query/) and turned into the graph's `EntitySelector`. Supported forms:
 * - `service("name")`, `service(id(name: "n", type: "T"))` and `id(name: "n", type: "T")` (either
 *   member may be left out): the statistics of the matching services. `client` nodes (the callers
 *   in front of root segments, named like the root) are left out unless the type says `client`.
 * - `edge("source", "target")`, also with `id(...)` on either side: the statistics of those edges.
 * - Several of one kind joined with OR: their sum.
 * Anything else (a filter block, other keywords, AND, NOT, mixing services and edges) is refused
 * with a message saying what is supported.
 */
import { preview } from '../../common/preview.ts';
import type { NodeId } from '../graph/aggregate.ts';
import type { EntitySelector } from '../graph/time-series.ts';
import { invalidRequest } from '../http/errors.ts';
import { FilterParseError, parse, UnsupportedFilterError, type Expression, type NodeSelector } from '../query/index.ts';

export const MAX_ENTITY_SELECTOR_LENGTH = 500;

const WRAPPER = 'service(';
const SUPPORTED = 'service("name"), id(name: "name", type: "type") or edge("source", "target"), alone or joined with OR';

export function parseEntitySelector(text: string): EntitySelector {
  if (text.length > MAX_ENTITY_SELECTOR_LENGTH) {
    throw invalidRequest(`EntitySelectorExpression is ${text.length} characters long; the limit is ${MAX_ENTITY_SELECTOR_LENGTH}`);
  }
  // The filter language accepts id(...) only inside service(...) or edge(...); as a selector it
  // stands alone, so it is wrapped, and error columns are moved back onto the text as sent.
  const wrapped = /^\s*id\s*\(/i.test(text);
  const source = wrapped ? `${WRAPPER}${text})` : text;
  let expression: Expression;
  try {
    expression = parse(source);
  } catch (error) {
    if (error instanceof FilterParseError) {
      const column = wrapped && error.line === 1 ? Math.max(1, error.column - WRAPPER.length) : error.column;
      throw invalidRequest(`EntitySelectorExpression: ${error.reason} at ${error.line > 1 ? `line ${error.line}, ` : ''}column ${column}`);
    }
    if (error instanceof UnsupportedFilterError) throw invalidRequest(`EntitySelectorExpression: ${error.message}`);
    throw error;
  }
  const terms = expression.kind === 'or' ? expression.operands : [expression];
  const services: NodeSelector[] = [];
  const edges: Array<{ source: NodeSelector; destination: NodeSelector }> = [];
  for (const term of terms) {
    if (term.kind === 'service' && term.filter === undefined) services.push(term.node);
    else if (term.kind === 'edge' && term.filter === undefined) edges.push({ source: term.source, destination: term.destination });
    else throw invalidRequest(`EntitySelectorExpression ${preview(text, 160)} is not supported; use ${SUPPORTED}`);
  }
  if (services.length > 0 && edges.length > 0) {
    throw invalidRequest(`EntitySelectorExpression selects services and edges at once; the statistics are of one or the other (${SUPPORTED})`);
  }
  if (edges.length > 0) {
    return { kind: 'edge', match: (source, target) => edges.some((e) => matches(e.source, source) && matches(e.destination, target)) };
  }
  return { kind: 'service', match: (node) => services.some((s) => matches(s, node)) };
}

function matches(selector: NodeSelector, node: NodeId): boolean {
  if (selector.name !== undefined && selector.name !== node.name) return false;
  if (selector.type !== undefined) return selector.type === (node.type ?? '');
  return node.type !== 'client';
}
