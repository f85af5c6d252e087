/** What can go wrong talking to the X-Ray API, as errors a command can say in one line. */
import { XRayServiceException } from '@aws-sdk/client-xray';

/** The service answered with an error (a bad filter, an unknown group or trace). */
export class XrayRequestError extends Error {
  override readonly name = 'XrayRequestError';
}

/** Nothing answered at the endpoint. */
export class ServiceUnreachableError extends Error {
  override readonly name = 'ServiceUnreachableError';
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError']);

/** Runs calls to the service at `endpoint`, turning its refusals and a missing service into the errors above. */
export async function callService<T>(endpoint: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof XRayServiceException) throw new XrayRequestError(`${error.name}: ${error.message}`);
    const code = (error as { code?: string; name?: string }).code ?? (error as { name?: string }).name ?? '';
    if (CONNECTION_CODES.has(code)) {
      throw new ServiceUnreachableError(`cannot reach the X-Ray service at ${endpoint} (${code}); start it with \`npx xray-tracer xray\` or point --endpoint at it`);
    }
    throw error;
  }
}
