export { PolicyAuthorizer } from './authorizer.ts';
export type { Decision, RoleDefinition } from './authorizer.ts';
export { RoleCredentials, isRoleAccessKey, readOrCreateInstallSecret, roleNameOf, ROLE_KEY_PREFIX, INSTALL_SECRET_FILE } from './credentials.ts';
export type { RoleCredential } from './credentials.ts';
export { parsePolicyDocument, readPolicyDocument, statementApplies, PolicyDocumentError } from './policy-document.ts';
export type { PolicyStatement } from './policy-document.ts';
