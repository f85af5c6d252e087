// The X-Ray filter expression language: parse text to a tree, print it back, evaluate it on a trace.
export { parse, MAX_FILTER_LENGTH, MAX_FILTER_TERMS, MAX_NESTING_DEPTH } from './parser.ts';
export { print } from './print.ts';
export { evaluate } from './evaluate.ts';
export { FilterParseError, UnsupportedFilterError } from './errors.ts';
export type * from './ast.ts';
export type * from './view.ts';
