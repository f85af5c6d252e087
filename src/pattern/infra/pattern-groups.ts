/**
 * The filter expressions of the pattern's X-Ray groups, each selecting one kind of trouble. They
 * are templates for `Fn.sub`: `${FunctionName}`-style placeholders become the names CloudFormation
 * gives the resources, which are the names the service map shows (a Lambda function's node is
 * named after the function, a DynamoDB table's after the table).
 *
 * Every request fans out to all four flows, so a group that names a flow's function or annotation
 * alone would hold every trace; each group names an outcome too. `fault` alone is the root
 * segment's (the gateway's), which answers 200 while the flows behind SNS fail, so the failures of
 * the flows are found in `service(...) { ... }` blocks, which look at each node's own segments.
 */

/** A fault at the entry, or in any function of the trace. */
export const FAULTS_FILTER = 'fault = true OR service(id(type: "AWS::Lambda::Function")) { fault = true }';

/** The HTTP flow's function faulted (its GET failed, or it failed on purpose). */
export const HTTP_FAULTS_FILTER = 'service(id(name: "${FunctionName}", type: "AWS::Lambda::Function")) { fault = true }';

/** Slow (over 100 ms), refused or throttled calls to the hits table. */
export const DYNAMO_TROUBLE_FILTER =
  'service(id(name: "${TableName}", type: "AWS::DynamoDB::Table")) { responsetime > 0.1 OR error = true OR fault = true }';

/** The SQS flow's producer or consumer failed. */
export const SQS_FAILURES_FILTER = twoFunctionsFailed('PublisherName', 'ConsumerName');

/** The SNS flow's publisher or the second topic's subscriber failed. */
export const SNS_FAILURES_FILTER = twoFunctionsFailed('PublisherName', 'SubscriberName');

function twoFunctionsFailed(first: string, second: string): string {
  const failed = (placeholder: string): string =>
    `service(id(name: "\${${placeholder}}", type: "AWS::Lambda::Function")) { fault = true OR error = true }`;
  return `${failed(first)} OR ${failed(second)}`;
}

/** The template with its placeholders filled in, as `Fn.sub` does at deploy time (tests and docs). */
export function fillIn(template: string, names: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{(\w+)\}/g, (whole, name: string) => names[name] ?? whole);
}
