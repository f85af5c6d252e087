/**
 * The HTTP APIs and function URLs of the model, each served on the listener bound for it
 * (bind.ts): what the composition root starts after the Lambda service.
 */
import type { ServerTimeouts } from '../../common/server-timeouts.ts';
import type { Logger } from '../core/runtime.ts';
import type { Authorizer, CloudModel, LambdaInvoker } from '../core/types.ts';
import type { RoleCredentials } from '../iam/credentials.ts';
import { IdGenerator } from '../tracing/ids.ts';
import type { Random } from '../tracing/ids.ts';
import { functionUrlId } from '../template/physical-ids.ts';
import type { BoundHttpEndpoint } from './bind.ts';
import { FunctionUrlServer } from './function-url-server.ts';
import { HttpApiServer } from './http-api-server.ts';
import { IamCheck } from './iam-auth.ts';
import { readFunctionUrls, readHttpApis } from './model.ts';

export interface HttpEndpointsOptions {
  readonly model: CloudModel;
  readonly bound: readonly BoundHttpEndpoint[];
  readonly lambda: LambdaInvoker | undefined;
  readonly roleCredentials: RoleCredentials;
  /** The roles' policies, for AWS_IAM callers with role keys; undefined when IAM is off. */
  readonly authorizer: Authorizer | undefined;
  /** AWS_IAM is checked unless IAM is off (then AWS_IAM routes and URLs take every request). */
  readonly iam: boolean;
  readonly logger: Logger;
  readonly clock?: () => number;
  readonly random?: Random;
  readonly allowedHosts?: readonly string[];
  readonly timeouts?: ServerTimeouts;
}

export interface ServedEndpoint {
  readonly stack: string;
  readonly logicalId: string;
  readonly kind: 'http-api' | 'function-url';
  /** An HTTP API's id, a function URL's url id. */
  readonly physicalId: string;
  readonly name: string;
  /** The base URL: an HTTP API's one per stage (`$default` is `<url>/`), a function URL's own. */
  readonly urls: ReadonlyArray<{ readonly stage: string | undefined; readonly url: string }>;
}

export class HttpEndpoints {
  readonly warnings: readonly string[];
  readonly served: readonly ServedEndpoint[];
  private readonly servers: Array<HttpApiServer | FunctionUrlServer> = [];
  private readonly unused: readonly BoundHttpEndpoint[];

  constructor(options: HttpEndpointsOptions) {
    const clock = options.clock ?? Date.now;
    const ids = new IdGenerator(options.random ?? Math.random, clock);
    const iam = new IamCheck({ roleCredentials: options.roleCredentials, ...(options.authorizer !== undefined ? { authorizer: options.authorizer } : {}), accountId: options.model.accountId, clock });
    const { apis, warnings: apiWarnings } = readHttpApis(options.model);
    const { urls, warnings: urlWarnings } = readFunctionUrls(options.model, (resource) => functionUrlId(resource.stack, resource.logicalId));
    const warnings = [...apiWarnings, ...urlWarnings];
    const served: ServedEndpoint[] = [];
    const listenerOf = (stack: string, logicalId: string): BoundHttpEndpoint | undefined =>
      options.bound.find((endpoint) => endpoint.stack === stack && endpoint.logicalId === logicalId);
    const common = {
      lambda: options.lambda,
      region: options.model.region,
      accountId: options.model.accountId,
      ids,
      clock,
      logger: options.logger,
      ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.timeouts !== undefined ? { timeouts: options.timeouts } : {}),
    };
    for (const api of apis) {
      const bound = listenerOf(api.stack, api.logicalId);
      if (bound === undefined) {
        warnings.push(`${api.stack}/${api.logicalId}: HTTP API ${api.name} has no listener: it is not served`);
        continue;
      }
      const server = new HttpApiServer({ ...common, api, listener: bound.listener, iam: options.iam ? iam : undefined });
      this.servers.push(server);
      served.push({ stack: api.stack, logicalId: api.logicalId, kind: 'http-api', physicalId: api.id, name: api.name, urls: server.stageUrls() });
    }
    for (const url of urls) {
      const bound = listenerOf(url.stack, url.logicalId);
      if (bound === undefined) {
        warnings.push(`${url.stack}/${url.logicalId}: the function URL has no listener: it is not served`);
        continue;
      }
      // With IAM off, AWS_IAM takes every request, as the endpoint then does.
      const definition = options.iam ? url : { ...url, authType: 'NONE' };
      const server = new FunctionUrlServer({ ...common, url: definition, listener: bound.listener, iam });
      this.servers.push(server);
      served.push({ stack: url.stack, logicalId: url.logicalId, kind: 'function-url', physicalId: url.urlId, name: url.functionName.split(':')[6] ?? url.functionName, urls: [{ stage: undefined, url: server.url }] });
    }
    // Listeners bound for resources that turned out not to be served (a false condition, RESPONSE_STREAM) are closed.
    this.unused = options.bound.filter((endpoint) => !served.some((s) => s.stack === endpoint.stack && s.logicalId === endpoint.logicalId));
    this.warnings = warnings;
    this.served = served;
  }

  async start(): Promise<void> {
    await Promise.all(this.unused.map((endpoint) => endpoint.listener.close()));
    for (const server of this.servers) server.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }
}
