/**
 * Each HTTP API and function URL gets its own local port, bound before the model is built so that
 * their URL attributes (ApiEndpoint, FunctionUrl) resolve to the local URLs. Ports follow the
 * gateway's: 3001, 3002, ... in the order of stack and logical id, so a URL stays the same from one
 * start to the next while the templates keep their APIs; a taken port falls back to a free one
 * (with a warning, and endpoints.json says where).
 */
import { BoundListener } from '../endpoint/listener.ts';
import type { AssemblyStack } from '../template/assembly.ts';

export type HttpEndpointKind = 'http-api' | 'function-url';

export interface BoundHttpEndpoint {
  readonly stack: string;
  readonly logicalId: string;
  readonly kind: HttpEndpointKind;
  readonly listener: BoundListener;
  /** An HTTP API's ApiEndpoint (`http://127.0.0.1:3001`), a function URL's FunctionUrl (`http://127.0.0.1:3002/`). */
  readonly url: string;
}

/** The HTTP APIs and function URLs the templates declare, in a stable order. */
export function declaredHttpEndpoints(stacks: readonly AssemblyStack[]): Array<{ stack: string; logicalId: string; kind: HttpEndpointKind }> {
  const out: Array<{ stack: string; logicalId: string; kind: HttpEndpointKind }> = [];
  for (const stack of stacks) {
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      const protocol = resource.Properties?.['ProtocolType'];
      if (resource.Type === 'AWS::ApiGatewayV2::Api' && (typeof protocol !== 'string' || protocol.toUpperCase() === 'HTTP')) {
        out.push({ stack: stack.stackName, logicalId, kind: 'http-api' });
      } else if (resource.Type === 'AWS::Lambda::Url') {
        out.push({ stack: stack.stackName, logicalId, kind: 'function-url' });
      }
    }
  }
  const order = (kind: HttpEndpointKind): number => (kind === 'http-api' ? 0 : 1);
  return out.sort((a, b) => order(a.kind) - order(b.kind) || a.stack.localeCompare(b.stack) || a.logicalId.localeCompare(b.logicalId));
}

/** Binds one listener each; `firstPort` 0 gives each a free port. On a failure, what was bound is closed again. */
export async function bindHttpEndpoints(
  stacks: readonly AssemblyStack[],
  options: { readonly host: string; readonly firstPort: number; readonly warn: (line: string) => void },
): Promise<BoundHttpEndpoint[]> {
  const bound: BoundHttpEndpoint[] = [];
  try {
    for (const [index, declared] of declaredHttpEndpoints(stacks).entries()) {
      const port = options.firstPort === 0 ? 0 : options.firstPort + index;
      let listener: BoundListener;
      try {
        listener = await BoundListener.bind(options.host, port);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        listener = await BoundListener.bind(options.host, 0);
        options.warn(`${declared.stack}/${declared.logicalId}: port ${port} is taken, so it is served on ${listener.port} instead (see endpoints.json)`);
      }
      bound.push({ ...declared, listener, url: declared.kind === 'function-url' ? `${listener.url}/` : listener.url });
    }
    return bound;
  } catch (error) {
    await Promise.all(bound.map((endpoint) => endpoint.listener.close()));
    throw error;
  }
}

/** `<stack>/<logicalId>` -> URL, for the model's URL attributes. */
export function localUrlsOf(endpoints: readonly BoundHttpEndpoint[]): Map<string, string> {
  return new Map(endpoints.map((endpoint) => [`${endpoint.stack}/${endpoint.logicalId}`, endpoint.url]));
}
