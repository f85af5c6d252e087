/**
 * Decides whether a trace matches a parsed filter. Blocks (`service() {}`, `edge() {}`,
 * `rootcause.*.* {}`) hold when at least one subject of theirs satisfies the inner filter.
 *
 * A keyword reads a list of values (a trace has many users; a missing field has none):
 * `=`, `<`, CONTAINS, ... hold when some value satisfies them; `!=` holds when the field is set
 * and no value equals; on an unset field every comparison is false.
 */
import type {
  AnnotationTest, Comparison, Expression, FlagKeyword, NodeSelector, NumberKeyword, NumberOperator, RootCauseFilter,
  StringKeyword, StringOperator,
} from './ast.ts';
import type { NodeIdentity, RootCause, TraceView } from './view.ts';

/** What a keyword reads in the scope it appears in. */
interface Subject {
  readonly scope: string;
  flag(keyword: FlagKeyword): boolean | undefined;
  numbers(keyword: NumberKeyword): readonly number[] | undefined;
  strings(keyword: StringKeyword): readonly string[] | undefined;
}

const some = <T>(value: T | undefined): readonly T[] => (value === undefined ? [] : [value]);

function noValue(keyword: string, scope: string): never {
  // The parser never builds such a tree; only a hand-made one gets here.
  throw new TypeError(`'${keyword}' has no value ${scope}`);
}

function traceSubject(trace: TraceView): Subject {
  return {
    scope: 'outside a block',
    flag: (k) => {
      switch (k) {
        case 'ok': return trace.ok;
        case 'error': return trace.error;
        case 'throttle': return trace.throttle;
        case 'fault': return trace.fault;
        case 'partial': return trace.partial;
        case 'inferred': return trace.services.some((s) => s.inferred);
        default: return undefined;
      }
    },
    numbers: (k) => {
      switch (k) {
        case 'responsetime': return some(trace.responseTime);
        case 'duration': return some(trace.duration);
        case 'http.status': return some(trace.http.status);
        default: return undefined;
      }
    },
    strings: (k) => {
      switch (k) {
        case 'http.url': return some(trace.http.url);
        case 'http.method': return some(trace.http.method);
        case 'http.useragent': return some(trace.http.userAgent);
        case 'http.clientip': return some(trace.http.clientIp);
        case 'user': return trace.users;
        case 'availabilityzone': return trace.availabilityZones;
        case 'instance.id': return trace.instanceIds;
        case 'resource.arn': return trace.resourceArns;
        default: return undefined;
      }
    },
  };
}

interface Outcome {
  readonly ok: boolean;
  readonly error: boolean;
  readonly throttle: boolean;
  readonly fault: boolean;
  readonly responseTime: number | undefined;
}

function outcomeFlag(o: Outcome, k: FlagKeyword): boolean | undefined {
  switch (k) {
    case 'ok': return o.ok;
    case 'error': return o.error;
    case 'throttle': return o.throttle;
    case 'fault': return o.fault;
    default: return undefined;
  }
}

function serviceSubject(service: TraceView['services'][number]): Subject {
  return {
    scope: 'inside a service block',
    flag: (k) => (k === 'root' ? service.root : k === 'inferred' ? service.inferred : outcomeFlag(service, k)),
    numbers: (k) => (k === 'responsetime' ? some(service.responseTime) : undefined),
    strings: (k) => (k === 'name' ? [service.name] : k === 'type' ? [service.type] : undefined),
  };
}

function edgeSubject(edge: TraceView['edges'][number]): Subject {
  return {
    scope: 'inside an edge block',
    flag: (k) => outcomeFlag(edge, k),
    numbers: (k) => (k === 'responsetime' ? some(edge.responseTime) : undefined),
    strings: () => undefined,
  };
}

/** An element of an enumerated list: `first`, `last` and `index` (0-based) describe its place. */
function listed(scope: string, index: number, count: number, rest: Omit<Subject, 'scope'>): Subject {
  return {
    scope,
    flag: (k) => (k === 'first' ? index === 0 : k === 'last' ? index === count - 1 : rest.flag(k)),
    numbers: (k) => (k === 'index' ? [index] : rest.numbers(k)),
    strings: (k) => rest.strings(k),
  };
}

function compareNumber(actual: number, operator: NumberOperator, expected: number): boolean {
  switch (operator) {
    case '=': return actual === expected;
    case '!=': return actual !== expected;
    case '<': return actual < expected;
    case '<=': return actual <= expected;
    case '>': return actual > expected;
    case '>=': return actual >= expected;
  }
}

function compareString(actual: string, operator: StringOperator, expected: string): boolean {
  switch (operator) {
    case '=': return actual === expected;
    case '!=': return actual !== expected;
    case 'CONTAINS': return actual.includes(expected);
    case 'BEGINSWITH': return actual.startsWith(expected);
    case 'ENDSWITH': return actual.endsWith(expected);
  }
}

/** Some value satisfies the operator; for `!=`, the list is non-empty and none equals. */
function anyValue<T>(values: readonly T[], operator: string, test: (value: T) => boolean): boolean {
  if (values.length === 0) return false;
  return operator === '!=' ? values.every(test) : values.some(test);
}

function compare(values: readonly (string | number | boolean)[], c: Comparison): boolean {
  switch (c.type) {
    case 'number': {
      const numbers = values.filter((v): v is number => typeof v === 'number');
      return anyValue(numbers, c.operator, (v) => compareNumber(v, c.operator, c.value));
    }
    case 'string': {
      const strings = values.filter((v): v is string => typeof v === 'string');
      return anyValue(strings, c.operator, (v) => compareString(v, c.operator, c.value));
    }
    case 'boolean': {
      const booleans = values.filter((v): v is boolean => typeof v === 'boolean');
      return anyValue(booleans, c.operator, (v) => (c.operator === '=' ? v === c.value : v !== c.value));
    }
  }
}

function annotation(test: AnnotationTest, trace: TraceView): boolean {
  const values = trace.annotations.get(test.key) ?? [];
  // Alone, an annotation is "set"; a boolean one reads as its value (X-Ray's documented rule).
  if (test.comparison === undefined) return values.some((v) => v !== false);
  return compare(values, test.comparison);
}

function matchesNode(selector: NodeSelector, node: NodeIdentity): boolean {
  return (selector.name === undefined || selector.name === node.name) && (selector.type === undefined || selector.type === node.type);
}

function rootCauses(trace: TraceView, category: RootCauseFilter['category']): readonly RootCause[] {
  return category === 'fault' ? trace.rootCauses.fault : category === 'error' ? trace.rootCauses.error : trace.rootCauses.responseTime;
}

function rootCause(expression: RootCauseFilter, trace: TraceView): boolean {
  const { category, level, filter } = expression;
  const scope = `inside a rootcause.${category}.${level} block`;
  const holds = (subject: Subject): boolean => filter === undefined || evaluateIn(filter, subject, trace);
  return rootCauses(trace, category).some((cause) =>
    cause.services.some((service, si, services) => {
      if (level === 'service') {
        return holds(listed(scope, si, services.length, {
          flag: (k) => (k === 'inferred' ? service.inferred : undefined),
          numbers: () => undefined,
          strings: (k) => (k === 'name' ? [service.name] : k === 'type' ? [service.type] : undefined),
        }));
      }
      return service.entityPath.some((entity, ei, path) => {
        if (level === 'entity') {
          return holds(listed(scope, ei, path.length, {
            flag: (k) => (k === 'remote' ? entity.remote : undefined),
            numbers: (k) => (k === 'coverage' ? some(entity.coverage) : undefined),
            strings: (k) => (k === 'name' ? [entity.name] : undefined),
          }));
        }
        return entity.exceptions.some((exception, xi, exceptions) =>
          holds(listed(scope, xi, exceptions.length, {
            flag: () => undefined,
            numbers: () => undefined,
            strings: (k) => (k === 'name' ? [exception.name] : k === 'message' ? some(exception.message) : undefined),
          })));
      });
    }));
}

function evaluateIn(expression: Expression, subject: Subject, trace: TraceView): boolean {
  switch (expression.kind) {
    case 'and': return expression.operands.every((o) => evaluateIn(o, subject, trace));
    case 'or': return expression.operands.some((o) => evaluateIn(o, subject, trace));
    case 'not': return !evaluateIn(expression.operand, subject, trace);
    case 'flag': {
      const value = subject.flag(expression.keyword) ?? noValue(expression.keyword, subject.scope);
      return value === expression.value;
    }
    case 'number': {
      const values = subject.numbers(expression.keyword) ?? noValue(expression.keyword, subject.scope);
      return anyValue(values, expression.operator, (v) => compareNumber(v, expression.operator, expression.value));
    }
    case 'string': {
      const values = subject.strings(expression.keyword) ?? noValue(expression.keyword, subject.scope);
      return anyValue(values, expression.operator, (v) => compareString(v, expression.operator, expression.value));
    }
    case 'present': {
      const k = expression.keyword;
      const values = subject.numbers(k as NumberKeyword) ?? subject.strings(k as StringKeyword) ?? noValue(k, subject.scope);
      return values.length > 0;
    }
    case 'annotation': return annotation(expression, trace);
    case 'group': {
      // Membership, not a field: `!=` means "not in that group".
      const member = trace.groups.some((g) => (expression.field === 'name' ? g.name : g.arn) === expression.value);
      return expression.operator === '=' ? member : !member;
    }
    case 'service':
      return trace.services.some((s) => matchesNode(expression.node, s)
        && (expression.filter === undefined || evaluateIn(expression.filter, serviceSubject(s), trace)));
    case 'edge':
      return trace.edges.some((e) => matchesNode(expression.source, e.source) && matchesNode(expression.destination, e.destination)
        && (expression.filter === undefined || evaluateIn(expression.filter, edgeSubject(e), trace)));
    case 'rootcause': return rootCause(expression, trace);
  }
}

/** True when `trace` matches `expression` (a tree from `parse`). */
export function evaluate(expression: Expression, trace: TraceView): boolean {
  return evaluateIn(expression, traceSubject(trace), trace);
}
