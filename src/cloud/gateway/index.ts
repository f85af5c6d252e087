export { ApiGateway } from './gateway.ts';
export type { ApiGatewayOptions } from './gateway.ts';
