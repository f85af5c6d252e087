import { Fn, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { FlowStackProps } from './flow-stack-props.ts';
import { TracedFunction } from './traced-function.ts';
import { HTTP_FAULTS_FILTER } from './pattern-groups.ts';
import { TracerGroup } from './tracer-group.ts';

/** The public JSON endpoint the original pattern called. */
export const DEFAULT_TARGET_URL = 'https://jsonplaceholder.typicode.com/todos/1';

export interface HttpFlowStackProps extends FlowStackProps {
  /** The JSON endpoint the handler GETs (locally, a local HTTPS server). @default DEFAULT_TARGET_URL */
  readonly targetUrl?: string;
}

/** Calls an external HTTP endpoint, failing on purpose now and then, to show errors in traces. */
export class HttpFlowStack extends Stack {
  readonly function: TracedFunction;

  constructor(scope: Construct, id: string, props: HttpFlowStackProps) {
    super(scope, id, props);

    const targetUrl = props.targetUrl ?? DEFAULT_TARGET_URL;
    assertHttpUrl(targetUrl);

    // No statements beyond logs and X-Ray: the handler talks to nothing in AWS.
    this.function = new TracedFunction(this, 'HttpLambda', {
      handler: 'http',
      environment: { TARGET_URL: targetUrl },
      subscribeTo: props.fanOutTopic,
    });

    // Every request reaches this function: the group holds the traces in which it faulted.
    new TracerGroup(this, 'Group', {
      name: 'http',
      filterExpression: Fn.sub(HTTP_FAULTS_FILTER, {
        FunctionName: this.function.function.functionName,
      }),
      prefix: props.groupPrefix,
    });
  }
}

function assertHttpUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`targetUrl "${value}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`targetUrl "${value}" must use http or https, not ${url.protocol}`);
  }
}
