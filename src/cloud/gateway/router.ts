import type { ApiMethod, ApiResource, ApiStage, RestApi } from './api-model.ts';

/**
 * Finds what serves a request, as API Gateway does for `https://<api>.execute-api.../<stage>/<path>`:
 * the first path segment names the stage; then, segment by segment, a literal path part wins over a
 * `{name}` parameter (one segment), which wins over a greedy `{name+}` (one segment or more). The
 * method is the resource's own (GET, POST, ...) or else its ANY.
 */

export interface RouteMatch {
  readonly api: RestApi;
  readonly stage: ApiStage;
  readonly resource: ApiResource;
  readonly method: ApiMethod;
  readonly pathParameters: Readonly<Record<string, string>>;
}

export class Router {
  constructor(private readonly apis: ReadonlyArray<RestApi>) {}

  /** The API and stage a raw request path names, routed or not (its gateway responses answer for it). */
  stageOf(rawPath: string): { api: RestApi; stage: ApiStage } | undefined {
    const stageName = decodeSegment(rawPath.split('/')[1] ?? '');
    for (const api of this.apis) {
      const stage = api.stages.find((candidate) => candidate.name === stageName);
      if (stage !== undefined) return { api, stage };
    }
    return undefined;
  }

  /** The route for a raw request path (e.g. `/prod/foo%20bar`), or undefined: API Gateway's 403. */
  match(httpMethod: string, rawPath: string): RouteMatch | undefined {
    const segments = rawPath.split('/').slice(1);
    const stageName = decodeSegment(segments[0] ?? '');
    // `/prod/foo/` is `/prod/foo`; `/prod/` and `/prod` are the root.
    const rest = segments.slice(1);
    if (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
    const decoded = rest.map(decodeSegment);
    for (const api of this.apis) {
      const stage = api.stages.find((candidate) => candidate.name === stageName);
      if (stage === undefined) continue;
      const found = matchResource(api.root, decoded, {});
      if (found === undefined) return undefined;
      const method = found.resource.methods.get(httpMethod.toUpperCase()) ?? found.resource.methods.get('ANY');
      if (method === undefined) return undefined;
      return { api, stage, resource: found.resource, method, pathParameters: found.params };
    }
    return undefined;
  }
}

function matchResource(
  node: ApiResource,
  segments: ReadonlyArray<string>,
  params: Readonly<Record<string, string>>,
): { resource: ApiResource; params: Readonly<Record<string, string>> } | undefined {
  const [head, ...tail] = segments;
  if (head === undefined) return { resource: node, params };
  const ranked = [...node.children].sort((a, b) => rank(a.pathPart) - rank(b.pathPart));
  for (const child of ranked) {
    const kind = rank(child.pathPart);
    if (kind === LITERAL) {
      if (child.pathPart !== head) continue;
      const found = matchResource(child, tail, params);
      if (found) return found;
    } else if (kind === PARAMETER) {
      const found = matchResource(child, tail, { ...params, [child.pathPart.slice(1, -1)]: head });
      if (found) return found;
    } else {
      return { resource: child, params: { ...params, [child.pathPart.slice(1, -2)]: segments.join('/') } };
    }
  }
  return undefined;
}

const LITERAL = 0;
const PARAMETER = 1;
const GREEDY = 2;

function rank(pathPart: string): number {
  if (/^\{[^{}]+\+\}$/.test(pathPart)) return GREEDY;
  if (/^\{[^{}]+\}$/.test(pathPart)) return PARAMETER;
  return LITERAL;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
