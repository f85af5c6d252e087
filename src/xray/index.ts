export { startXrayService } from './service.ts';
export type { XrayService, XrayServiceOptions, XrayServiceStats } from './service.ts';
export { ConsoleLogRequestError } from './api/console-logs.ts';
export type { ConsoleLogLine, ConsoleLogSearch, ConsoleLogSearchResult, ConsoleLogSource } from './api/console-logs.ts';
