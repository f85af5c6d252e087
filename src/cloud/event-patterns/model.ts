/**
 * The compiled form of an event pattern (EventBridge rules, SNS filter policies, Lambda filter
 * criteria): a tree of conditions on an event's keys, each leaf a list of matchers of which one
 * must hold.
 */

/** One way a leaf value can match. */
export type Matcher =
  | { readonly kind: 'exact'; readonly value: string | number | boolean | null }
  | { readonly kind: 'prefix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'suffix'; readonly value: string; readonly ignoreCase: boolean }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'wildcard'; readonly value: string; readonly regex: RegExp }
  | { readonly kind: 'numeric'; readonly ranges: readonly NumericBound[] }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'cidr'; readonly value: string; readonly range: IpRange }
  | { readonly kind: 'anything-but'; readonly not: AnythingBut };

/** What `anything-but` excludes. */
export type AnythingBut =
  | { readonly kind: 'strings'; readonly values: readonly string[] }
  | { readonly kind: 'numbers'; readonly values: readonly number[] }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'equals-ignore-case'; readonly values: readonly string[] }
  | { readonly kind: 'wildcard'; readonly values: readonly string[]; readonly regexes: readonly RegExp[] };

/** One comparison of a `numeric` matcher: all of a matcher's bounds must hold. */
export interface NumericBound {
  readonly operator: '=' | '<' | '<=' | '>' | '>=';
  readonly value: number;
}

/** An address range as two big integers of one family. */
export interface IpRange {
  readonly family: 4 | 6;
  readonly low: bigint;
  readonly high: bigint;
}

/** A condition on one level of the event. */
export type Condition =
  | { readonly kind: 'leaf'; readonly key: string; readonly matchers: readonly Matcher[] }
  | { readonly kind: 'nested'; readonly key: string; readonly conditions: readonly Condition[] }
  | { readonly kind: 'or'; readonly branches: ReadonlyArray<readonly Condition[]> };

/** Every operator name the language knows, for dialects that accept fewer. */
export type OperatorName =
  | 'prefix'
  | 'suffix'
  | 'equals-ignore-case'
  | 'wildcard'
  | 'numeric'
  | 'exists'
  | 'cidr'
  | 'anything-but'
  | '$or';
