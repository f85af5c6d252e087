/**
 * The tree `parse()` returns. Keywords are stored in lower case; `service("x")` and
 * `service(id(name: "x"))` give the same node; a chain of AND (or of OR) is one node with all its
 * operands, never an AND directly inside an AND. Nodes carry no positions, so a printed and
 * re-parsed tree compares equal to the original.
 */

/** Keywords whose value is true or false: bare, with `!`, or `= true|false`. */
export type FlagKeyword = 'ok' | 'error' | 'throttle' | 'fault' | 'partial' | 'inferred' | 'root' | 'first' | 'last' | 'remote';
/** Keywords whose value is a number, compared with `= != < <= > >=`. */
export type NumberKeyword = 'responsetime' | 'duration' | 'http.status' | 'index' | 'coverage';
/** Keywords whose value is text, compared with `= != CONTAINS BEGINSWITH ENDSWITH`. */
export type StringKeyword =
  | 'http.url' | 'http.method' | 'http.useragent' | 'http.clientip' | 'user'
  | 'availabilityzone' | 'instance.id' | 'resource.arn'
  | 'name' | 'type' | 'message';

export type EqualityOperator = '=' | '!=';
export type NumberOperator = EqualityOperator | '<' | '<=' | '>' | '>=';
export type StringOperator = EqualityOperator | 'CONTAINS' | 'BEGINSWITH' | 'ENDSWITH';

/** A comparison whose value's type picks which of a multi-typed field's values it looks at. */
export type Comparison =
  | { readonly type: 'boolean'; readonly operator: EqualityOperator; readonly value: boolean }
  | { readonly type: 'number'; readonly operator: NumberOperator; readonly value: number }
  | { readonly type: 'string'; readonly operator: StringOperator; readonly value: string };

/** `ok`, `!ok` is a `not` around it; `ok = false` and `ok != true` are `value: false`. */
export interface FlagTest {
  readonly kind: 'flag';
  readonly keyword: FlagKeyword;
  readonly value: boolean;
}

export interface NumberComparison {
  readonly kind: 'number';
  readonly keyword: NumberKeyword;
  readonly operator: NumberOperator;
  readonly value: number;
}

export interface StringComparison {
  readonly kind: 'string';
  readonly keyword: StringKeyword;
  readonly operator: StringOperator;
  readonly value: string;
}

/** A number or string keyword alone: true when the field is set (`http.url AND responsetime > 2`). */
export interface PresenceTest {
  readonly kind: 'present';
  readonly keyword: NumberKeyword | StringKeyword;
}

/** `annotation.KEY` alone (`comparison` undefined) or compared with a value. */
export interface AnnotationTest {
  readonly kind: 'annotation';
  /** Case-sensitive, as recorded by the SDK: letters, digits and underscores. */
  readonly key: string;
  readonly comparison: Comparison | undefined;
}

/** A service map node: by name, by type, or both; neither means any node. */
export interface NodeSelector {
  readonly name: string | undefined;
  readonly type: string | undefined;
}

/** `service("name") { filter }`; the block is optional. */
export interface ServiceFilter {
  readonly kind: 'service';
  readonly node: NodeSelector;
  readonly filter: Expression | undefined;
}

/** `edge("source", "destination") { filter }`; the block is optional. */
export interface EdgeFilter {
  readonly kind: 'edge';
  readonly source: NodeSelector;
  readonly destination: NodeSelector;
  readonly filter: Expression | undefined;
}

/** `group.name = "g"` or `group.arn != "..."`: membership of the trace in a group. */
export interface GroupTest {
  readonly kind: 'group';
  readonly field: 'name' | 'arn';
  readonly operator: EqualityOperator;
  readonly value: string;
}

export type RootCauseCategory = 'fault' | 'error' | 'responsetime';
export type RootCauseLevel = 'service' | 'entity' | 'exception';

/** `rootcause.fault.service { filter }` and its kin; the block is optional. */
export interface RootCauseFilter {
  readonly kind: 'rootcause';
  readonly category: RootCauseCategory;
  readonly level: RootCauseLevel;
  readonly filter: Expression | undefined;
}

export interface And {
  readonly kind: 'and';
  /** Two or more, none of them an `and`. */
  readonly operands: readonly Expression[];
}

export interface Or {
  readonly kind: 'or';
  /** Two or more, none of them an `or`. */
  readonly operands: readonly Expression[];
}

export interface Not {
  readonly kind: 'not';
  readonly operand: Expression;
}

export type Expression =
  | FlagTest
  | NumberComparison
  | StringComparison
  | PresenceTest
  | AnnotationTest
  | ServiceFilter
  | EdgeFilter
  | GroupTest
  | RootCauseFilter
  | And
  | Or
  | Not;
