/**
 * Where `pull` reads traces: AWS X-Ray with the usual credential chain (environment, profile, SSO,
 * instance role) or any other X-Ray API by its URL. The AWS SDK retries throttled calls with backoff.
 */
import { XRayClient, XRayServiceException } from '@aws-sdk/client-xray';
import { ServiceUnreachableError, XrayRequestError } from '../xray-api/index.ts';

export interface PullSource {
  /** Another X-Ray API (e.g. a second local service); undefined: AWS X-Ray. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
}

export function describeSource(source: PullSource): string {
  if (source.endpoint !== undefined) return `the X-Ray API at ${source.endpoint}`;
  const where = [source.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION, source.profile && `profile ${source.profile}`].filter(Boolean);
  return `AWS X-Ray${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}

export function sourceClient(source: PullSource): XRayClient {
  return new XRayClient({
    ...(source.endpoint !== undefined
      ? { endpoint: source.endpoint, region: source.region ?? 'us-east-1', credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } }
      : {}),
    ...(source.endpoint === undefined && source.region !== undefined ? { region: source.region } : {}),
    ...(source.profile !== undefined ? { profile: source.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: 6,
  });
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

/** Runs a call to the source, turning its refusals, missing credentials or region and silence into one-line errors. */
export async function callSource<T>(source: PullSource, call: () => Promise<T>): Promise<T> {
  const label = describeSource(source);
  try {
    return await call();
  } catch (error) {
    if (error instanceof XRayServiceException) throw new XrayRequestError(`${label} refused: ${error.name}: ${error.message}`);
    const { name = '', message = '', code } = error as { name?: string; message?: string; code?: string };
    if (name === 'CredentialsProviderError') {
      throw new XrayRequestError(`no AWS credentials for ${label}: ${message} (set AWS_PROFILE or pass --profile, or pull from another X-Ray API with --source-endpoint)`);
    }
    if (/region is missing/i.test(message)) throw new XrayRequestError(`no AWS region for ${label}: pass --region or set AWS_REGION`);
    if (CONNECTION_CODES.has(code ?? name)) throw new ServiceUnreachableError(`cannot reach ${label} (${code ?? name})`);
    throw error;
  }
}
