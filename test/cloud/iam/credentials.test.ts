import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTALL_SECRET_FILE, isRoleAccessKey, readOrCreateInstallSecret, RoleCredentials, roleNameOf } from '../../../src/cloud/iam/credentials.ts';

const ROLE = 'arn:aws:iam::000000000000:role/TheSqsFlowStack-SqsPublishLambdaRoleE9774879-UDMDIACBG5UQ';
const OTHER_ROLE = 'arn:aws:iam::000000000000:role/TheDynamoFlowStack-DynamoLambdaRole-ABC';

describe('RoleCredentials', () => {
  const dirs: string[] = [];
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'role-credentials-'));
    dirs.push(dir);
    return dir;
  };

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives a role an AWS-shaped key: 20 upper-case base32 characters with the local prefix, a 40-character secret and a token', () => {
    const credential = new RoleCredentials(Buffer.alloc(32, 1)).forRole(ROLE);
    expect(credential.accessKeyId).toMatch(/^LOCALROLE[A-Z2-7]{11}$/);
    expect(credential.secretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(credential.sessionToken.length).toBeGreaterThan(20);
    expect(credential.roleArn).toBe(ROLE);
    expect(isRoleAccessKey(credential.accessKeyId)).toBe(true);
    // Real AWS key ids start with A (AKIA, ASIA, AROA...): never taken for a role key.
    expect(isRoleAccessKey('AKIAIOSFODNN7EXAMPLE')).toBe(false);
    expect(isRoleAccessKey('ASIAIOSFODNN7EXAMPLE')).toBe(false);
  });

  it('derives the same credentials from the same secret, others from another, one key a role', () => {
    const one = new RoleCredentials(Buffer.alloc(32, 1));
    const again = new RoleCredentials(Buffer.alloc(32, 1));
    const other = new RoleCredentials(Buffer.alloc(32, 2));
    expect(again.forRole(ROLE)).toEqual(one.forRole(ROLE));
    expect(other.forRole(ROLE).accessKeyId).not.toBe(one.forRole(ROLE).accessKeyId);
    expect(other.forRole(ROLE).secretAccessKey).not.toBe(one.forRole(ROLE).secretAccessKey);
    expect(one.forRole(OTHER_ROLE).accessKeyId).not.toBe(one.forRole(ROLE).accessKeyId);
    expect(one.byAccessKeyId(one.forRole(OTHER_ROLE).accessKeyId)?.roleArn).toBe(OTHER_ROLE);
    expect(one.byAccessKeyId(other.forRole(ROLE).accessKeyId)).toBeUndefined();
    expect(one.byAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBeUndefined();
  });

  it('rejects what is not a role ARN', () => {
    expect(() => RoleCredentials.ephemeral().forRole('arn:aws:iam::000000000000:user/bob')).toThrow('not an IAM role ARN');
    expect(roleNameOf('arn:aws:iam::000000000000:role/path/to/name')).toBe('name');
  });

  it('keeps a per-install secret in the data folder, mode 0600: two folders differ, a restart on one keeps its keys', () => {
    const first = dataDir();
    const second = dataDir();
    const key = RoleCredentials.forDataFolder(first).forRole(ROLE);
    expect(RoleCredentials.forDataFolder(second).forRole(ROLE).accessKeyId).not.toBe(key.accessKeyId);
    // A restart (a new process reading the same folder) derives the same credentials.
    expect(RoleCredentials.forDataFolder(first).forRole(ROLE)).toEqual(key);
    expect(statSync(join(first, INSTALL_SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(first)).toEqual([INSTALL_SECRET_FILE]);
  });

  it('narrows a secret file others may read to 0600, and names a file that holds no secret', () => {
    const dir = dataDir();
    const secret = readOrCreateInstallSecret(dir);
    chmodSync(join(dir, INSTALL_SECRET_FILE), 0o644);
    expect(readOrCreateInstallSecret(dir)).toEqual(secret);
    expect(statSync(join(dir, INSTALL_SECRET_FILE)).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, INSTALL_SECRET_FILE), 'not a secret\n');
    expect(() => readOrCreateInstallSecret(dir)).toThrow(`the role credentials secret ${join(dir, INSTALL_SECRET_FILE)} does not hold 64 hex digits`);
  });
});
