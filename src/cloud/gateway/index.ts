export { ApiGateway } from './gateway.ts';
export type { ApiGatewayOptions } from './gateway.ts';
export type { GatewayRequestRecord, RequestRecordListener } from './request-log.ts';
