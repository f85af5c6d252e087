export { ApiGateway } from './gateway.ts';
export type { ApiGatewayOptions, GatewayLogger } from './gateway.ts';
