export { EventBridgeService, busName } from './eventbridge-service.ts';
export type { EventBridgeOptions, EventEntry, EntryResult, PutRuleInput, TargetInputSpec, TopicPublisher } from './eventbridge-service.ts';
export { EventsApi } from './events-api.ts';
export { provisionEventBridge } from './from-model.ts';
export { parseSchedule } from './schedule.ts';
export type { Schedule } from './schedule.ts';
