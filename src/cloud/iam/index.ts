export { PolicyAuthorizer } from './authorizer.ts';
export type { Decision, RoleDefinition } from './authorizer.ts';
export { accessKeyForRole, roleNameForAccessKey, LOCAL_SECRET_ACCESS_KEY, LOCAL_SESSION_TOKEN } from './credentials.ts';
export { parsePolicyDocument, statementApplies, PolicyDocumentError } from './policy-document.ts';
export type { PolicyStatement } from './policy-document.ts';
