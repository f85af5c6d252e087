// Local credentials name the role they stand for, so the endpoint can map a SigV4 access key id back to
// that role's policies without any state shared between the processes involved.

const PREFIX = 'LOCAL';
// RFC 4648 base32 alphabet: upper case letters and digits only, like real access key ids.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function base32Decode(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text) {
    const value = ALPHABET.indexOf(char);
    if (value < 0) return undefined;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 255);
      bits -= 8;
      buffer &= (1 << bits) - 1;
    }
  }
  return Uint8Array.from(bytes);
}

/** The role's name: the last path segment of `arn:aws:iam::<account>:role/<path/><name>`. */
function roleNameOf(roleArn: string): string {
  const match = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match?.[1]) throw new Error(`not an IAM role ARN: "${roleArn}"`);
  return match[1];
}

/** The access key id a Lambda function (or an API Gateway integration) uses when acting as this role:
 *  `LOCAL` + base32 of the role name. Stable and reversible with `roleNameForAccessKey`. */
export function accessKeyForRole(roleArn: string): string {
  return PREFIX + base32Encode(new TextEncoder().encode(roleNameOf(roleArn)));
}

/** The role name an access key made by `accessKeyForRole` stands for, or undefined for any other key. */
export function roleNameForAccessKey(accessKeyId: string): string | undefined {
  if (!accessKeyId.startsWith(PREFIX) || accessKeyId.length === PREFIX.length) return undefined;
  const bytes = base32Decode(accessKeyId.slice(PREFIX.length));
  if (!bytes) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Any secret works locally (signatures are not verified); this one makes the intent plain. */
export const LOCAL_SECRET_ACCESS_KEY = 'local-secret-not-checked';
export const LOCAL_SESSION_TOKEN = 'local-session-token';
