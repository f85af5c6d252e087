export { SnsService } from './sns-service.ts';
export type { PublishInput, SnsServiceOptions, Subscription, SubscriptionProtocol, Topic } from './sns-service.ts';
export { SnsApi } from './sns-api.ts';
export { provisionTopics } from './from-model.ts';
export { canonicalString, lambdaEvent, sqsEnvelope } from './notification.ts';
export type { Notification, SnsMessageAttribute } from './notification.ts';
export { compileFilterPolicy, filterPolicyCombinations, filterPolicyMatches, FILTER_POLICY_LIMITS } from './filter-policy.ts';
export type { FilterPolicy, FilterPolicyScope } from './filter-policy.ts';
