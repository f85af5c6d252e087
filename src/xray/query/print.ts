/**
 * The canonical text of a tree: lower-case keywords, upper-case AND/OR/CONTAINS..., one space
 * around operators, parentheses only where precedence needs them (and around a negated
 * comparison, for the reader). parse(print(tree)) equals tree; print is stable under a round trip.
 */
import type { Comparison, Expression, NodeSelector } from './ast.ts';

/** Double-quoted with the escapes the lexer reads back. */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function comparison(subject: string, c: Comparison): string {
  const value = c.type === 'string' ? quote(c.value) : String(c.value);
  return `${subject} ${c.operator} ${value}`;
}

function node(selector: NodeSelector): string {
  if (selector.type === undefined && selector.name !== undefined) return quote(selector.name);
  const fields: string[] = [];
  if (selector.name !== undefined) fields.push(`name: ${quote(selector.name)}`);
  if (selector.type !== undefined) fields.push(`type: ${quote(selector.type)}`);
  return `id(${fields.join(', ')})`;
}

function block(filter: Expression | undefined): string {
  return filter === undefined ? '' : ` { ${print(filter)} }`;
}

/** A comparison reads ambiguously after `!`; say it with parentheses. */
function isComparison(e: Expression): boolean {
  return e.kind === 'number' || e.kind === 'string' || e.kind === 'group'
    || (e.kind === 'flag' && !e.value) || (e.kind === 'annotation' && e.comparison !== undefined);
}

export function print(expression: Expression): string {
  switch (expression.kind) {
    case 'flag':
      return expression.value ? expression.keyword : `${expression.keyword} = false`;
    case 'number':
      return `${expression.keyword} ${expression.operator} ${String(expression.value)}`;
    case 'string':
      return `${expression.keyword} ${expression.operator} ${quote(expression.value)}`;
    case 'present':
      return expression.keyword;
    case 'annotation': {
      const subject = `annotation.${expression.key}`;
      return expression.comparison === undefined ? subject : comparison(subject, expression.comparison);
    }
    case 'group':
      return `group.${expression.field} ${expression.operator} ${quote(expression.value)}`;
    case 'service': {
      const name = expression.node.name === undefined && expression.node.type === undefined ? '' : node(expression.node);
      return `service(${name})${block(expression.filter)}`;
    }
    case 'edge':
      return `edge(${node(expression.source)}, ${node(expression.destination)})${block(expression.filter)}`;
    case 'rootcause':
      return `rootcause.${expression.category}.${expression.level}${block(expression.filter)}`;
    case 'not': {
      const operand = expression.operand;
      const wrap = operand.kind === 'and' || operand.kind === 'or' || isComparison(operand);
      return wrap ? `!(${print(operand)})` : `!${print(operand)}`;
    }
    case 'and':
      return expression.operands.map((o) => (o.kind === 'or' ? `(${print(o)})` : print(o))).join(' AND ');
    case 'or':
      return expression.operands.map((o) => (o.kind === 'or' ? `(${print(o)})` : print(o))).join(' OR ');
  }
}
