export { AwsEndpoint } from './server.ts';
export type { AwsEndpointOptions } from './server.ts';
export { AwsError } from './errors.ts';
export type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest, Permission } from './service.ts';

export { randomIds, silentLogger, systemClock } from './runtime.ts';
export type { Clock, IdSource, Logger } from './runtime.ts';
export { LocalAws } from './local-aws.ts';
export type { LocalAwsOptions } from './local-aws.ts';
