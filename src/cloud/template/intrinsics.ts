// Resolves CloudFormation intrinsic functions in a template value. What names mean (Ref, GetAtt, exports,
// conditions, mappings) comes from an IntrinsicScope, so this file knows the functions and nothing of
// resources. A value that cannot be resolved is reported through the scope's warn() once, where it
// arises, and becomes `undefined`; enclosing functions then give `undefined` without warning again.

import { isRecord } from '../../common/is-record.ts';

/** What `Ref: AWS::NoValue` resolves to: the property or list element is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface IntrinsicScope {
  /** Ref of a logical id, parameter or pseudo parameter; undefined (after a warning) when unknown. */
  ref(name: string, at: string): unknown;
  getAtt(logicalId: string, attribute: string, at: string): unknown;
  importValue(exportName: string, at: string): unknown;
  condition(name: string, at: string): boolean | undefined;
  findInMap(mapName: string, topKey: string, secondKey: string, at: string): unknown;
  warn(message: string): void;
}

const SUPPORTED = new Set([
  'Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::Sub', 'Fn::Select', 'Fn::Split', 'Fn::ImportValue', 'Fn::If',
  'Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Fn::FindInMap', 'Fn::Base64', 'Fn::GetAZs',
]);

/** The intrinsic an object stands for: a single key that is `Ref` or starts with `Fn::`. */
function intrinsicOf(value: Record<string, unknown>): string | undefined {
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const key = keys[0] as string;
  return key === 'Ref' || key.startsWith('Fn::') ? key : undefined;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A scalar as CloudFormation turns it into text (numbers and booleans are allowed where strings go). */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export class IntrinsicResolver {
  constructor(private readonly scope: IntrinsicScope) {}

  /** Resolves every intrinsic in `value`. Object keys and list elements that resolve to nothing are dropped. */
  resolve(value: unknown, at: string): unknown {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      value.forEach((element, index) => {
        const resolved = this.resolve(element, `${at}.${index}`);
        if (resolved !== NO_VALUE && resolved !== undefined) out.push(resolved);
      });
      return out;
    }
    if (!isRecord(value)) return value;
    const intrinsic = intrinsicOf(value);
    if (intrinsic !== undefined) return this.intrinsic(intrinsic, value[intrinsic], at);
    const out: Record<string, unknown> = {};
    for (const [key, element] of Object.entries(value)) {
      const resolved = this.resolve(element, `${at}.${key}`);
      if (resolved !== NO_VALUE && resolved !== undefined) out[key] = resolved;
    }
    return out;
  }

  /** Evaluates a condition expression (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition, literal booleans). */
  evaluateCondition(value: unknown, at: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    if (isRecord(value) && Object.keys(value).length === 1 && typeof value['Condition'] === 'string') {
      return this.scope.condition(value['Condition'], at);
    }
    if (isRecord(value)) {
      const intrinsic = intrinsicOf(value);
      if (intrinsic === 'Fn::Equals' || intrinsic === 'Fn::Not' || intrinsic === 'Fn::And' || intrinsic === 'Fn::Or') {
        const result = this.intrinsic(intrinsic, value[intrinsic], at);
        return typeof result === 'boolean' ? result : undefined;
      }
    }
    this.scope.warn(`condition at ${at} is not a condition function: ${describe(value)}`);
    return undefined;
  }

  private fail(name: string, at: string, problem: string): undefined {
    this.scope.warn(`${name} at ${at}: ${problem}`);
    return undefined;
  }

  private intrinsic(name: string, argument: unknown, at: string): unknown {
    if (!SUPPORTED.has(name)) return this.fail(name, at, 'unsupported intrinsic function, value left out');
    switch (name) {
      case 'Ref':
        return typeof argument === 'string' ? this.scope.ref(argument, at) : this.fail(name, at, `expected a name, got ${describe(argument)}`);
      case 'Fn::GetAtt':
        return this.getAtt(argument, at);
      case 'Fn::Join':
        return this.join(argument, at);
      case 'Fn::Sub':
        return this.sub(argument, at);
      case 'Fn::Select':
        return this.select(argument, at);
      case 'Fn::Split':
        return this.split(argument, at);
      case 'Fn::ImportValue': {
        const exportName = this.resolve(argument, at);
        if (exportName === undefined) return undefined;
        return typeof exportName === 'string' ? this.scope.importValue(exportName, at) : this.fail(name, at, `export name is not a string: ${describe(exportName)}`);
      }
      case 'Fn::If':
        return this.if(argument, at);
      case 'Fn::Equals': {
        if (!Array.isArray(argument) || argument.length !== 2) return this.fail(name, at, 'expected [value, value]');
        const left = this.resolve(argument[0], at);
        const right = this.resolve(argument[1], at);
        if (left === undefined || right === undefined) return undefined;
        return JSON.stringify(left) === JSON.stringify(right);
      }
      case 'Fn::Not': {
        if (!Array.isArray(argument) || argument.length !== 1) return this.fail(name, at, 'expected [condition]');
        const inner = this.evaluateCondition(argument[0], at);
        return inner === undefined ? undefined : !inner;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(argument) || argument.length < 2 || argument.length > 10) {
          return this.fail(name, at, 'expected a list of 2 to 10 conditions');
        }
        const results = argument.map((element) => this.evaluateCondition(element, at));
        if (results.includes(undefined)) return undefined;
        return name === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
      }
      case 'Fn::FindInMap': {
        const parts = this.resolve(argument, at);
        if (parts === undefined) return undefined;
        if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((part) => asText(part) !== undefined)) {
          return this.fail(name, at, `expected [map, top key, second key], got ${describe(parts)}`);
        }
        const [map, top, second] = parts.map((part) => asText(part) as string) as [string, string, string];
        return this.scope.findInMap(map, top, second, at);
      }
      case 'Fn::Base64': {
        const text = asText(this.resolve(argument, at));
        return text === undefined ? undefined : Buffer.from(text, 'utf8').toString('base64');
      }
      case 'Fn::GetAZs': {
        const region = this.resolve(argument, at);
        const name = typeof region === 'string' && region !== '' ? region : asText(this.scope.ref('AWS::Region', at));
        return name === undefined ? undefined : ['a', 'b', 'c'].map((zone) => `${name}${zone}`);
      }
      default:
        return this.fail(name, at, 'unsupported intrinsic function, value left out');
    }
  }

  private getAtt(argument: unknown, at: string): unknown {
    let parts: unknown[];
    if (typeof argument === 'string') {
      const dot = argument.indexOf('.');
      parts = dot < 0 ? [argument] : [argument.slice(0, dot), argument.slice(dot + 1)];
    } else if (Array.isArray(argument)) {
      parts = [argument[0], this.resolve(argument[1], at)];
    } else {
      parts = [];
    }
    const [logicalId, attribute] = parts;
    if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
      return this.fail('Fn::GetAtt', at, `expected [logicalId, attribute], got ${describe(argument)}`);
    }
    return this.scope.getAtt(logicalId, attribute, at);
  }

  private join(argument: unknown, at: string): unknown {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string') {
      return this.fail('Fn::Join', at, `expected [delimiter, [values]], got ${describe(argument)}`);
    }
    const delimiter = argument[0];
    const list = this.resolveList(argument[1], 'Fn::Join', at);
    if (list === undefined) return undefined;
    const texts: string[] = [];
    for (const element of list) {
      const text = asText(element);
      if (text === undefined) return this.fail('Fn::Join', at, `cannot join a non-scalar value ${describe(element)}`);
      texts.push(text);
    }
    return texts.join(delimiter);
  }

  /** A list argument: a literal list whose elements are resolved, or an intrinsic that gives a list. */
  private resolveList(argument: unknown, name: string, at: string): unknown[] | undefined {
    if (Array.isArray(argument)) {
      const out: unknown[] = [];
      for (const [index, element] of argument.entries()) {
        const resolved = this.resolve(element, `${at}.${index}`);
        if (resolved === undefined) return undefined;
        if (resolved !== NO_VALUE) out.push(resolved);
      }
      return out;
    }
    const resolved = this.resolve(argument, at);
    if (resolved === undefined) return undefined;
    if (!Array.isArray(resolved)) return this.fail(name, at, `expected a list, got ${describe(resolved)}`);
    return resolved;
  }

  private sub(argument: unknown, at: string): unknown {
    let template: unknown;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(argument)) {
      template = argument[0];
      if (argument.length !== 2 || !isRecord(argument[1])) {
        return this.fail('Fn::Sub', at, `expected "string" or ["string", {variables}], got ${describe(argument)}`);
      }
      variables = argument[1];
    } else {
      template = argument;
    }
    if (typeof template !== 'string') return this.fail('Fn::Sub', at, `the template is not a string: ${describe(template)}`);
    let failed = false;
    // ${!Literal} stands for the text ${Literal}.
    const text = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      let value: unknown;
      if (Object.hasOwn(variables, name)) {
        value = this.resolve(variables[name], `${at}.${name}`);
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        value = this.scope.getAtt(name.slice(0, dot), name.slice(dot + 1), at);
      } else {
        value = this.scope.ref(name, at);
      }
      const replacement = asText(value);
      if (replacement === undefined) {
        if (value !== undefined) this.fail('Fn::Sub', at, `\${${name}} is not a scalar: ${describe(value)}`);
        failed = true;
        return whole;
      }
      return replacement;
    });
    return failed ? undefined : text;
  }

  private select(argument: unknown, at: string): unknown {
    if (!Array.isArray(argument) || argument.length !== 2) return this.fail('Fn::Select', at, 'expected [index, [values]]');
    const index = Number(asText(this.resolve(argument[0], at)));
    const list = this.resolveList(argument[1], 'Fn::Select', at);
    if (list === undefined) return undefined;
    if (!Number.isInteger(index) || index < 0 || index >= list.length) {
      return this.fail('Fn::Select', at, `index ${describe(argument[0])} is outside a list of ${list.length}`);
    }
    return list[index];
  }

  private split(argument: unknown, at: string): unknown {
    if (!Array.isArray(argument) || argument.length !== 2 || typeof argument[0] !== 'string' || argument[0] === '') {
      return this.fail('Fn::Split', at, `expected [delimiter, string], got ${describe(argument)}`);
    }
    const source = this.resolve(argument[1], at);
    if (source === undefined) return undefined;
    const text = asText(source);
    if (text === undefined) return this.fail('Fn::Split', at, `cannot split ${describe(source)}`);
    return text.split(argument[0]);
  }

  private if(argument: unknown, at: string): unknown {
    if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') {
      return this.fail('Fn::If', at, 'expected [condition name, value if true, value if false]');
    }
    const outcome = this.scope.condition(argument[0], at);
    if (outcome === undefined) return undefined;
    return this.resolve(outcome ? argument[1] : argument[2], at);
  }
}
