/**
 * The roles' credentials: per-install secrets. One random install secret, kept in the data folder
 * (mode 0600), derives every role's access key id, secret access key and session token, so the
 * Lambda environments, API Gateway's integrations and the endpoint that verifies their signatures
 * agree without any state shared between them beyond that file. Another install (another data
 * folder) has other keys, so no key works anywhere but on the install that issued it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Role access key ids start with this. Real AWS access key ids start with `A` (AKIA, ASIA, ...), so an
 * outside key (the user's own CLI or SDK profile) is never taken for a role key.
 */
export const ROLE_KEY_PREFIX = 'LOCALROLE';
/** As long as AWS's access key ids. */
const ACCESS_KEY_ID_CHARS = 20;
/** RFC 4648 base32 alphabet: upper case letters and digits only, like real access key ids. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** The install secret's file in the data folder: 32 random bytes as 64 hex digits. */
export const INSTALL_SECRET_FILE = 'role-credentials.secret';
const SECRET_BYTES = 32;

export interface RoleCredential {
  readonly roleArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

function base32(bytes: Uint8Array, chars: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Whether a key id is one of the form the roles' credentials take (issued by this install or not). */
export function isRoleAccessKey(accessKeyId: string): boolean {
  return accessKeyId.startsWith(ROLE_KEY_PREFIX);
}

/** The role's name: the last path segment of `arn:aws:iam::<account>:role/<path/><name>`. */
export function roleNameOf(roleArn: string): string {
  const match = /^arn:[^:]+:iam::[^:]*:role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  if (!match?.[1]) throw new Error(`not an IAM role ARN: "${roleArn}"`);
  return match[1];
}

export class RoleCredentials {
  private readonly secret: Buffer;
  private readonly byKeyId = new Map<string, RoleCredential>();
  private readonly byArn = new Map<string, RoleCredential>();

  constructor(installSecret: Uint8Array) {
    if (installSecret.length < 16) throw new Error(`an install secret needs at least 16 bytes, got ${installSecret.length}`);
    this.secret = Buffer.from(installSecret);
  }

  /** A new random secret, for a cloud without a data folder (tests, in-memory runs). */
  static ephemeral(): RoleCredentials {
    return new RoleCredentials(randomBytes(SECRET_BYTES));
  }

  /** The install secret of this data folder, created (mode 0600) on first use and kept afterwards. */
  static forDataFolder(dataDir: string): RoleCredentials {
    return new RoleCredentials(readOrCreateInstallSecret(dataDir));
  }

  /** The role's credentials, the same for the same role and install secret; remembered for `byAccessKeyId`. */
  forRole(roleArn: string): RoleCredential {
    const known = this.byArn.get(roleArn);
    if (known) return known;
    roleNameOf(roleArn);
    const accessKeyId = ROLE_KEY_PREFIX + base32(this.derive('access-key-id', roleArn), ACCESS_KEY_ID_CHARS - ROLE_KEY_PREFIX.length);
    const credential: RoleCredential = {
      roleArn,
      accessKeyId,
      // 40 characters, as AWS's secret access keys.
      secretAccessKey: this.derive('secret-access-key', roleArn).subarray(0, 30).toString('base64'),
      sessionToken: this.derive('session-token', roleArn).toString('base64'),
    };
    this.byArn.set(roleArn, credential);
    this.byKeyId.set(accessKeyId, credential);
    return credential;
  }

  /** The credentials issued (by `forRole`) under this access key id, or undefined. */
  byAccessKeyId(accessKeyId: string): RoleCredential | undefined {
    return this.byKeyId.get(accessKeyId);
  }

  private derive(purpose: string, roleArn: string): Buffer {
    return createHmac('sha256', this.secret).update(`${purpose}\n${roleArn}`).digest();
  }
}

/**
 * Reads `<dataDir>/role-credentials.secret`, or creates it with a new random secret, mode 0600 (two
 * processes starting at once agree on one); a file that others may read is narrowed to 0600; one that does not hold a secret is an error naming the file.
 */
export function readOrCreateInstallSecret(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, INSTALL_SECRET_FILE);
  // Written whole to a private temporary file, then linked into place: a process starting at the
  // same time never reads a half-written secret, and the first link wins.
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, `${randomBytes(SECRET_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new Error(`could not create the role credentials secret ${file}: ${(error as Error).message}`, { cause: error });
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  let text: string;
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new Error(`could not read the role credentials secret ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new Error(`the role credentials secret ${file} does not hold 64 hex digits; delete it to make a new one (the functions get new keys)`);
  }
  return Buffer.from(text, 'hex');
}
