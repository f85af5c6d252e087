/**
 * The account's encryption setting (GetEncryptionConfig, PutEncryptionConfig). Nothing is encrypted
 * locally: the setting is kept and answered as AWS answers it, so that tools which set and read it
 * (CloudFormation-like provisioning, compliance checks) see it hold. As on AWS, a change is UPDATING
 * for a while and then ACTIVE; `updatingMs` says how long.
 *
 * KeyId is answered as a KMS ARN, as AWS resolves it: a key id becomes `arn:aws:kms:<region>:<account>:key/<id>`,
 * `alias/x` becomes `...:alias/x`, an ARN stays as given. KMS without KeyId means the AWS managed key
 * `alias/aws/xray`, as the X-Ray console's default choice.
 */
import type { SettingsStore } from '../settings/index.ts';

export type EncryptionType = 'NONE' | 'KMS';
export type EncryptionStatus = 'UPDATING' | 'ACTIVE';

export interface EncryptionConfig {
  readonly type: EncryptionType;
  readonly keyId: string | undefined;
  readonly status: EncryptionStatus;
}

interface StoredConfig {
  readonly type: EncryptionType;
  readonly keyId?: string;
  /** When the last change was made, ms since the epoch. */
  readonly changedAtMs: number;
}

const KEY = 'encryption/config';
const MANAGED_KEY_ALIAS = 'alias/aws/xray';

export interface EncryptionOptions {
  readonly settings: SettingsStore;
  readonly nowMs: () => number;
  /** How long a change stays UPDATING. */
  readonly updatingMs: number;
  readonly region: string;
  readonly accountId: string;
}

export class Encryption {
  constructor(private readonly options: EncryptionOptions) {}

  get(): EncryptionConfig {
    const stored = this.options.settings.get(KEY) as StoredConfig | undefined;
    // Never set: default encryption, in effect since the account exists.
    if (stored === undefined) return { type: 'NONE', keyId: undefined, status: 'ACTIVE' };
    const updating = this.options.nowMs() < stored.changedAtMs + this.options.updatingMs;
    return { type: stored.type, keyId: stored.keyId, status: updating ? 'UPDATING' : 'ACTIVE' };
  }

  put(type: EncryptionType, keyId: string | undefined): EncryptionConfig {
    const stored: StoredConfig = type === 'NONE'
      ? { type, changedAtMs: this.options.nowMs() }
      : { type, keyId: this.keyArn(keyId ?? MANAGED_KEY_ALIAS), changedAtMs: this.options.nowMs() };
    this.options.settings.put(KEY, stored);
    return this.get();
  }

  private keyArn(keyId: string): string {
    if (keyId.startsWith('arn:')) return keyId;
    const prefix = `arn:aws:kms:${this.options.region}:${this.options.accountId}:`;
    return keyId.startsWith('alias/') ? `${prefix}${keyId}` : `${prefix}key/${keyId}`;
  }
}
