// Account-wide settings (encryption, policies, tags, telemetry, Transaction Search) and where they are kept.
export { MemorySettingsStore } from './memory-settings.ts';
export { SqliteSettingsStore } from './sqlite-settings.ts';
export type { SettingsStore } from './types.ts';
