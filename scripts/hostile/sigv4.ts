/** SigV4 signing with outside credentials (any access key), as any AWS SDK would sign. */
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../src/common/sha256.ts';
import type { HttpRequestSpec } from './http-bytes.ts';

export const OUTSIDE_CREDENTIALS = { accessKeyId: 'AKIAHOSTILEHARNESS01', secretAccessKey: 'hostile-harness-secret' };

/** The spec with SigV4's headers added; its own headers (and a body that is not JSON or a form) are signed as they are. */
export async function signSpec(spec: HttpRequestSpec, service: string, region: string): Promise<HttpRequestSpec> {
  const signer = new SignatureV4({ service, region, credentials: OUTSIDE_CREDENTIALS, sha256: Sha256, applyChecksum: false });
  const headers: Record<string, string> = { host: spec.host };
  for (const [name, value] of spec.headers ?? []) headers[name.toLowerCase()] = value;
  const [path = '/', query = ''] = spec.target.split('?', 2);
  const signed = await signer.sign({
    method: spec.method, protocol: 'http:', hostname: spec.host.split(':')[0] ?? spec.host, path,
    query: Object.fromEntries(new URLSearchParams(query)), headers, body: spec.body ?? '',
  });
  const added = Object.entries(signed.headers).filter(([name]) => name !== 'host' && !(name in headers));
  return { ...spec, headers: [...(spec.headers ?? []), ...added] };
}
