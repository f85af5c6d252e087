/**
 * Stage and route selection as HTTP APIs do it ("Routing API requests to HTTP APIs"): a first path
 * segment naming a stage selects it (and is left out of route matching), else the `$default` stage
 * gets the whole path; then the most specific route: a full match (literal segments beating
 * `{name}` ones, segment by segment from the left), then a greedy `{name+}` route (the longest
 * literal prefix first), then `$default`. At equal paths a route of the request's method beats ANY.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */
import type { HttpApiDefinition, HttpRoute, HttpStage } from './model.ts';

export interface StageMatch {
  readonly stage: HttpStage;
  /** The path the routes see: without the stage's segment for a named stage. */
  readonly routePath: string;
}

export interface RouteMatch {
  readonly route: HttpRoute;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export function selectStage(api: HttpApiDefinition, path: string): StageMatch | undefined {
  const [first = ''] = path.split('/').filter((segment) => segment !== '');
  const named = api.stages.find((stage) => stage.name !== '$default' && safeDecode(first) === stage.name);
  if (named !== undefined) {
    const rest = path.replace(/^\/+[^/]*/, '');
    return { stage: named, routePath: rest === '' ? '/' : rest };
  }
  const fallback = api.stages.find((stage) => stage.name === '$default');
  return fallback === undefined ? undefined : { stage: fallback, routePath: path };
}

interface Candidate {
  readonly match: RouteMatch;
  /** Lower sorts first. */
  readonly rank: readonly number[];
}

export function selectRoute(routes: readonly HttpRoute[], method: string, routePath: string): RouteMatch | undefined {
  const segments = routePath.split('/').filter((segment) => segment !== '');
  const candidates: Candidate[] = [];
  for (const route of routes) {
    if (route.method === undefined) continue;
    if (route.method !== 'ANY' && route.method !== method) continue;
    const matched = matchSegments(route.segments, segments);
    if (matched === undefined) continue;
    const greedy = route.segments.some(isGreedy);
    // Full matches first; then literal before variable at each position; then the method over ANY.
    const kinds = route.segments.map((segment) => (isGreedy(segment) ? 2 : isVariable(segment) ? 1 : 0));
    const literalPrefix = kinds.findIndex((kind) => kind !== 0);
    candidates.push({
      match: { route, pathParameters: matched },
      rank: [greedy ? 1 : 0, greedy ? -(literalPrefix === -1 ? kinds.length : literalPrefix) : 0, ...kinds, route.method === 'ANY' ? 1 : 0],
    });
  }
  candidates.sort((a, b) => compareRanks(a.rank, b.rank));
  const best = candidates[0]?.match;
  if (best !== undefined) return best;
  const fallback = routes.find((route) => route.method === undefined);
  return fallback === undefined ? undefined : { route: fallback, pathParameters: {} };
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

const isGreedy = (segment: string): boolean => /^\{[^{}]+\+\}$/.test(segment);
const isVariable = (segment: string): boolean => /^\{[^{}]+\}$/.test(segment);

/** The path parameters when the route's segments match the request's (decoded), else undefined. */
function matchSegments(pattern: readonly string[], segments: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i += 1) {
    const part = pattern[i] ?? '';
    if (isGreedy(part)) {
      // One or more segments: `/pets/{proxy+}` does not match `/pets` itself.
      if (i >= segments.length || i !== pattern.length - 1) return undefined;
      parameters[part.slice(1, -2)] = segments.slice(i).map(safeDecode).join('/');
      return parameters;
    }
    const segment = segments[i];
    if (segment === undefined) return undefined;
    if (isVariable(part)) parameters[part.slice(1, -1)] = safeDecode(segment);
    else if (part !== safeDecode(segment)) return undefined;
  }
  return pattern.length === segments.length ? parameters : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
