export { startXrayService } from './service.ts';
export type { XrayService, XrayServiceOptions, XrayServiceStats } from './service.ts';
