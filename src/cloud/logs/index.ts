// CloudWatch Logs of the local cloud: what other parts use (the composition root, the CLI, metrics from EMF lines).
export { CloudWatchLogs, RETENTION_DAYS } from './cloudwatch-logs.ts';
export type { CloudWatchLogsOptions } from './cloudwatch-logs.ts';
export { LogStore, LogStoreError } from './store.ts';
export type { IngestListener, LogGroupRecord, LogStreamRecord, NewLogEvent, StoredLogEvent } from './store.ts';
export { filterLogEvents } from './filter-events.ts';
export { compileFilterPattern, FilterPatternError } from './filter-pattern.ts';
export { GatewayLogs } from './gateway-logs.ts';
export { LogsApi } from './logs-api.ts';
export { InsightsQueries } from './insights-queries.ts';
export { MalformedQueryError } from './insights/parse.ts';
