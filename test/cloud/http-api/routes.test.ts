// Route selection as "Routing API requests" documents it for HTTP APIs: a full match for the route
// and method first, then a greedy path variable, then $default; the example routes of that page.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
import { describe, expect, it } from 'vitest';
import { parseRouteKey } from '../../../src/cloud/http-api/model.ts';
import type { HttpApiDefinition, HttpRoute } from '../../../src/cloud/http-api/model.ts';
import { selectRoute, selectStage } from '../../../src/cloud/http-api/routes.ts';

function route(routeKey: string): HttpRoute {
  const parsed = parseRouteKey(routeKey);
  if (parsed === undefined) throw new Error(routeKey);
  return { logicalId: routeKey, routeKey, ...parsed, integration: undefined, authorizationType: 'NONE', authorizer: undefined };
}

const routes = ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', '$default'].map(route);
const selected = (method: string, path: string, from = routes): string | undefined => selectRoute(from, method, path)?.route.routeKey;

describe('selectRoute', () => {
  it('picks the most specific route as the documented example does', () => {
    expect(selected('GET', '/pets/dog/1')).toBe('GET /pets/dog/1');
    expect(selected('GET', '/pets/dog/2')).toBe('GET /pets/dog/{id}');
    expect(selected('GET', '/pets/cat/1')).toBe('GET /pets/{proxy+}');
    expect(selected('POST', '/pets/cat/1')).toBe('ANY /{proxy+}');
    expect(selected('GET', '/')).toBe('$default');
  });

  it('gives path parameters decoded, a greedy one as the rest of the path', () => {
    expect(selectRoute(routes, 'GET', '/pets/dog/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(selectRoute(routes, 'GET', '/pets/cat/x/y')?.pathParameters).toEqual({ proxy: 'cat/x/y' });
  });

  it('prefers the request method over ANY at the same path, and finds nothing without $default', () => {
    const own = [route('ANY /items'), route('GET /items')];
    expect(selected('GET', '/items', own)).toBe('GET /items');
    expect(selected('DELETE', '/items', own)).toBe('ANY /items');
    expect(selectRoute(own, 'GET', '/other')).toBeUndefined();
  });

  it('does not match a greedy variable with no segment, and ignores a trailing slash', () => {
    expect(selected('GET', '/pets', [route('GET /pets/{proxy+}')])).toBeUndefined();
    expect(selected('GET', '/pets/', [route('GET /pets')])).toBe('GET /pets');
  });
});

describe('selectStage', () => {
  const api = (stages: string[]): HttpApiDefinition => ({ stack: 's', logicalId: 'A', id: 'abc', name: 'A', cors: undefined, routes: [], stages: stages.map((name) => ({ name, variables: {} })) });

  it('takes a first segment naming a stage out of the route path, else the $default stage sees the whole path', () => {
    expect(selectStage(api(['$default', 'dev']), '/dev/items')).toMatchObject({ stage: { name: 'dev' }, routePath: '/items' });
    expect(selectStage(api(['$default', 'dev']), '/dev')).toMatchObject({ stage: { name: 'dev' }, routePath: '/' });
    expect(selectStage(api(['$default', 'dev']), '/prod/items')).toMatchObject({ stage: { name: '$default' }, routePath: '/prod/items' });
    expect(selectStage(api(['dev']), '/prod/items')).toBeUndefined();
  });
});
