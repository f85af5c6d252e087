/**
 * GetEncryptionConfig (`POST /EncryptionConfig`) and PutEncryptionConfig (`POST /PutEncryptionConfig`)
 * in AWS's shapes; refusals are InvalidRequestException naming the field.
 */
import { invalidRequest } from '../http/errors.ts';
import { optionalString, requiredEnum } from '../http/json-fields.ts';
import type { Router } from '../http/router.ts';
import type { Encryption, EncryptionConfig } from '../encryption/encryption.ts';

const MAX_KEY_ID_LENGTH = 3000;

export function encryptionConfigJson(config: EncryptionConfig): Record<string, unknown> {
  return { ...(config.keyId === undefined ? {} : { KeyId: config.keyId }), Status: config.status, Type: config.type };
}

export function addEncryptionRoutes(router: Router, encryption: Encryption): Router {
  return router
    .postJson('/EncryptionConfig', () => ({ EncryptionConfig: encryptionConfigJson(encryption.get()) }))
    .postJson('/PutEncryptionConfig', (body) => {
      const type = requiredEnum(body, 'Type', ['NONE', 'KMS'] as const);
      // AWS asks to omit KeyId with NONE; one sent anyway is not refused, and not kept.
      const keyId = optionalString(body, 'KeyId');
      if (keyId !== undefined && (keyId.length < 1 || keyId.length > MAX_KEY_ID_LENGTH)) {
        throw invalidRequest(`KeyId must be 1 to ${MAX_KEY_ID_LENGTH} characters long, got ${keyId.length}`);
      }
      return { EncryptionConfig: encryptionConfigJson(encryption.put(type, keyId)) };
    });
}
