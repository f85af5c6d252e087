// The X-Ray API's request and response shapes (type only), shared by the service's api/, the CLI
// and the console; test/common/xray-api-contract.test.ts holds them to the AWS SDK's model.
export type * from './groups.ts';
export type * from './sampling.ts';
export type * from './service-graph.ts';
export type * from './statistics.ts';
export type * from './trace-summary.ts';
export type * from './traces.ts';
