/**
 * What the local cloud configures in the X-Ray service from the templates (sampling rules, groups) goes
 * through the X-Ray API with the AWS SDK, as CloudFormation's calls do: never an import of src/xray.
 */
import { XRayClient } from '@aws-sdk/client-xray';

export function localXrayClient(xrayApiUrl: string, region: string): XRayClient {
  return new XRayClient({
    endpoint: xrayApiUrl,
    region,
    // The local X-Ray API does not check signatures; these only let the SDK sign.
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 },
  });
}

/** An SDK error as one clause: its name, message and code, without repeating either. */
export function reasonOf(error: unknown): string {
  const { name, message, code } = error as Error & { code?: string };
  if (code !== undefined && !message.includes(code)) return `${message} (${code})`;
  return name === 'Error' || message.startsWith(name) ? message : `${name}: ${message}`;
}
