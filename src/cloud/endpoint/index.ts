export { AwsEndpoint } from './server.ts';
export type { AwsEndpointOptions } from './server.ts';
export { AwsError } from '../protocol/errors.ts';
export type { AwsCall, AwsProtocolService, EndpointReply, EndpointRequest, Permission } from '../protocol/service.ts';

export { randomIds, silentLogger, systemClock } from '../core/runtime.ts';
export type { Clock, IdSource, Logger } from '../core/runtime.ts';
export { LocalAws } from './local-aws.ts';
export type { LocalAwsOptions } from './local-aws.ts';
