import { JSONPath } from 'jsonpath-plus';
import { headerValue } from './mapping-variables.ts';

/**
 * Parameter mappings: Integration.RequestParameters (`integration.request.header.Content-Type` ->
 * `'application/x-www-form-urlencoded'` or `method.request.querystring.q`) and
 * IntegrationResponse.ResponseParameters (`method.response.header.X` -> `integration.response.header.Y`).
 * A value is a quoted literal or names a source; a source that is absent maps to nothing.
 */

export interface ParameterSources {
  readonly methodRequest: {
    readonly header: Readonly<Record<string, string>>;
    readonly querystring: Readonly<Record<string, string>>;
    readonly path: Readonly<Record<string, string>>;
  };
  readonly context: Readonly<Record<string, unknown>>;
  readonly stageVariables: Readonly<Record<string, string>>;
  /** Only when mapping an integration response. */
  readonly integrationResponse?: { readonly header: Readonly<Record<string, string>>; readonly body: string };
}

export interface MappedParameters {
  readonly header: Record<string, string>;
  readonly querystring: Record<string, string>;
  readonly path: Record<string, string>;
}

export class ParameterMappingError extends Error {
  override readonly name = 'ParameterMappingError';
}

/** Maps every `<target>.<location>.<name>` key of `mapping` (e.g. target `integration.request`). */
export function mapParameters(mapping: Readonly<Record<string, string>>, target: string, sources: ParameterSources): MappedParameters {
  const out: MappedParameters = { header: {}, querystring: {}, path: {} };
  for (const [key, expression] of Object.entries(mapping)) {
    if (!key.startsWith(`${target}.`)) throw new ParameterMappingError(`parameter mapping key "${key}" does not start with ${target}.`);
    const rest = key.slice(target.length + 1);
    const dot = rest.indexOf('.');
    const location = dot < 0 ? rest : rest.slice(0, dot);
    const name = dot < 0 ? '' : rest.slice(dot + 1);
    if ((location !== 'header' && location !== 'querystring' && location !== 'path') || name === '') {
      throw new ParameterMappingError(`parameter mapping key "${key}" is not ${target}.header|querystring|path.<name>`);
    }
    const value = resolveParameter(expression, sources);
    if (value !== undefined) out[location][name] = value;
  }
  return out;
}

export function resolveParameter(expression: string, sources: ParameterSources): string | undefined {
  const trimmed = expression.trim();
  if (trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) return trimmed.slice(1, -1);
  const request = /^method\.request\.(header|multivalueheader|querystring|multivaluequerystring|path)\.(.+)$/.exec(trimmed);
  if (request) {
    const [, location = '', name = ''] = request;
    const { methodRequest } = sources;
    // The multi-value sources give the value the single-value map holds (a repeated name's last).
    if (location === 'header' || location === 'multivalueheader') return headerValue(methodRequest.header, name);
    if (location === 'path') return methodRequest.path[name];
    return methodRequest.querystring[name];
  }
  if (trimmed.startsWith('context.')) return textOf(pathIn(sources.context, trimmed.slice('context.'.length).split('.')));
  if (trimmed.startsWith('stageVariables.')) return sources.stageVariables[trimmed.slice('stageVariables.'.length)];
  const response = sources.integrationResponse;
  if (response !== undefined) {
    if (trimmed.startsWith('integration.response.header.')) return headerValue(response.header, trimmed.slice('integration.response.header.'.length));
    if (trimmed === 'integration.response.body') return response.body;
    if (trimmed.startsWith('integration.response.body.')) {
      let json: unknown;
      try {
        json = JSON.parse(response.body) as unknown;
      } catch {
        throw new ParameterMappingError(`${trimmed}: the integration's response body is not JSON`);
      }
      const value: unknown = JSONPath({ path: `$.${trimmed.slice('integration.response.body.'.length)}`, json: json as object, wrap: false });
      return value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  throw new ParameterMappingError(`parameter mapping value "${expression}" is neither a 'quoted literal' nor a known source`);
}

function pathIn(value: unknown, keys: ReadonlyArray<string>): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
