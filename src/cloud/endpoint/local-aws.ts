/**
 * The AWS services of the local cloud behind one endpoint: SQS (with the event source mappings),
 * SNS and DynamoDB, created from the templates' resources. One object to start and stop for the
 * wiring; each part stays usable on its own. The composition root of the endpoint: a new service
 * is built here and registered with one `endpoint.register` line.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynaliteEngine } from '../dynamodb/engine.ts';
import { EventBridgeService } from '../eventbridge/eventbridge-service.ts';
import { EventsApi } from '../eventbridge/events-api.ts';
import { provisionEventBridge } from '../eventbridge/from-model.ts';
import { DynamoDbApi } from '../dynamodb/dynamodb-api.ts';
import { provisionTables } from '../dynamodb/from-model.ts';
import { StreamCapturingEngine } from '../dynamodb-streams/capturing-engine.ts';
import { StreamEventSourceMappings } from '../dynamodb-streams/event-source-mapping.ts';
import { streamEventSources } from '../dynamodb-streams/mapping-config.ts';
import { provisionStreams } from '../dynamodb-streams/from-model.ts';
import { StreamStore } from '../dynamodb-streams/stream-store.ts';
import { DynamoDbStreamsApi } from '../dynamodb-streams/streams-api.ts';
import { provisionTopics } from '../sns/from-model.ts';
import { SnsApi } from '../sns/sns-api.ts';
import { SnsService } from '../sns/sns-service.ts';
import type { SnsObserver } from '../sns/sns-service.ts';
import { SqsEventSourceMappings, sqsEventSources } from '../sqs/event-source-mapping.ts';
import { passesFilters, readFilterCriteria } from '../sqs/event-filter.ts';
import { provisionQueues } from '../sqs/from-model.ts';
import { SqliteMessageStore } from '../sqs/sqlite-store.ts';
import { SqsApi } from '../sqs/sqs-api.ts';
import { SqsService } from '../sqs/sqs-service.ts';
import type { SqsObserver } from '../sqs/sqs-service.ts';
import type { RoleCredentials } from '../iam/credentials.ts';
import type { Authorizer, CloudModel, LambdaInvoker, SegmentSink } from '../core/types.ts';
import type { Clock, IdSource, Logger } from '../core/runtime.ts';
import { silentLogger } from '../core/runtime.ts';
import { FunctionCatalog } from '../lambda/function-catalog.ts';
import { isLambdaApiBackend, LambdaApi } from '../lambda/lambda-api.ts';
import type { BoundListener } from './listener.ts';
import { AwsEndpoint } from './server.ts';

/**
 * Lambda as the services here need it, or how to build it from SQS (the Lambda service sends to
 * queues and needs the endpoint's URL: bind a listener first and build Lambda here).
 */
export type LambdaWiring<L extends LambdaInvoker> = L | ((sqs: SqsService) => L);

export interface LocalAwsOptions<L extends LambdaInvoker = LambdaInvoker> {
  readonly model: CloudModel;
  /** Takes SNS deliveries and event source mapping batches; must accept invocations once `start` returns. */
  readonly lambda: LambdaWiring<L>;
  /** Where actively traced SNS topics send their segments. */
  readonly segments?: SegmentSink;
  /** Told of SNS publishes and deliveries (CloudWatch's AWS/SNS metrics). */
  readonly snsObserver?: SnsObserver;
  /** Told of SQS sends, receives and deletes (CloudWatch's AWS/SQS metrics). */
  readonly sqsObserver?: SqsObserver;
  /** Told of each batch a DynamoDB stream event source mapping ran, with its last record's age (AWS/Lambda IteratorAge). */
  readonly onStreamBatchInvoked?: (functionName: string, iteratorAgeMs: number, nowMs: number) => void;
  /** Undefined turns IAM off (`--no-iam`). */
  readonly authorizer?: Authorizer;
  /** The roles' credentials, whose signatures the endpoint verifies. */
  readonly roleCredentials?: RoleCredentials;
  /** SQS messages (`sqs.db`) and DynamoDB tables (`dynamodb/`) live here; in memory when absent. */
  readonly dataDirectory?: string;
  /** A listener bound beforehand, whose URL the model was built on; host and port are then ignored. */
  readonly listener?: BoundListener;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** 0 picks a free port. @default 4566 */
  readonly port?: number;
  /** Batches in flight per event source mapping. @default 2 */
  readonly pollersPerMapping?: number;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly logger?: Logger;
  /** Host names the endpoint accepts besides local ones (`--allowed-host`). */
  readonly allowedHosts?: readonly string[];
  /** Refuse access keys that are not the roles' (`--strict-iam`). @default false */
  readonly strictIam?: boolean;
}

export class LocalAws<L extends LambdaInvoker = LambdaInvoker> {
  readonly lambda: L;
  readonly sqs: SqsService;
  readonly sns: SnsService;
  readonly dynamodb: DynaliteEngine;
  readonly events: EventBridgeService;
  /** DynamoDB as the endpoint serves it: dynalite with the tables' streams captured. */
  readonly dynamodbWithStreams: StreamCapturingEngine;
  readonly streams: StreamStore;
  readonly endpoint: AwsEndpoint;
  private readonly mappings: SqsEventSourceMappings;
  readonly streamMappings: StreamEventSourceMappings;
  private readonly logger: Logger;
  private readonly startupWarnings: string[];
  private provisioned: string[] = [];

  constructor(private readonly options: LocalAwsOptions<L>) {
    const { model, dataDirectory } = options;
    this.logger = options.logger ?? silentLogger;
    if (dataDirectory !== undefined) mkdirSync(dataDirectory, { recursive: true });
    const shared = {
      region: model.region,
      accountId: model.accountId,
      logger: this.logger,
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.ids !== undefined ? { ids: options.ids } : {}),
    };
    this.sqs = new SqsService({ ...shared, queueUrlPrefix: () => this.endpoint.url, store: new SqliteMessageStore(dataDirectory === undefined ? ':memory:' : join(dataDirectory, 'sqs.db')), ...(options.sqsObserver !== undefined ? { observer: options.sqsObserver } : {}) });
    this.lambda = typeof options.lambda === 'function' ? options.lambda(this.sqs) : options.lambda;
    this.sns = new SnsService({ ...shared, lambda: this.lambda, queues: this.sqs, ...(options.segments !== undefined ? { segments: options.segments } : {}), ...(options.snsObserver !== undefined ? { observer: options.snsObserver } : {}) });
    this.events = new EventBridgeService({ ...shared, lambda: this.lambda, queues: this.sqs, topics: this.sns });
    this.dynamodb = new DynaliteEngine(dataDirectory === undefined ? {} : { directory: join(dataDirectory, 'dynamodb') });
    this.streams = new StreamStore(dataDirectory === undefined ? ':memory:' : join(dataDirectory, 'dynamodb-streams.db'));
    this.dynamodbWithStreams = new StreamCapturingEngine({ engine: this.dynamodb, store: this.streams, ...shared });
    this.endpoint = new AwsEndpoint({
      accountId: model.accountId,
      logger: this.logger,
      ...(options.listener !== undefined ? { listener: options.listener } : {}),
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.authorizer !== undefined ? { authorizer: options.authorizer } : {}),
      ...(options.roleCredentials !== undefined ? { roleCredentials: options.roleCredentials } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
      ...(options.ids !== undefined ? { ids: options.ids } : {}),
      ...(options.allowedHosts !== undefined ? { allowedHosts: options.allowedHosts } : {}),
      ...(options.strictIam === true ? { strictIam: true } : {}),
    });
    // In the order requests are offered to them: by X-Amz-Target first, SNS's forms last.
    this.endpoint.register(new SqsApi(this.sqs));
    this.endpoint.register(new DynamoDbApi({ engine: this.dynamodbWithStreams, region: model.region, accountId: model.accountId }));
    this.endpoint.register(new DynamoDbStreamsApi({ store: this.streams, ...(options.clock !== undefined ? { clock: options.clock } : {}) }));
    this.endpoint.register(new EventsApi(this.events));
    this.endpoint.register(new SnsApi(this.sns));
    const lambdaWarnings: string[] = [];
    if (isLambdaApiBackend(this.lambda)) {
      const { catalog, warnings } = FunctionCatalog.fromModel(model, this.lambda.functionConfigs, model.region, model.accountId);
      lambdaWarnings.push(...warnings);
      this.endpoint.register(new LambdaApi({ backend: this.lambda, catalog }));
    }
    // Every role of the templates is known to the endpoint from the start, not only once a function or
    // integration using it has run: its keys are derivable by anything reading the same data folder.
    for (const role of model.byType('AWS::IAM::Role')) {
      if (role.arn === undefined) continue;
      try {
        options.roleCredentials?.forRole(role.arn);
      } catch {
        // Not a role ARN: no function can be given credentials for it either.
      }
    }
    const { mappings, warnings } = sqsEventSources(model);
    const streamSources = streamEventSources(model);
    const filterErrors: string[] = [];
    this.streamMappings = new StreamEventSourceMappings({
      ...shared,
      store: this.streams,
      lambda: this.lambda,
      mappings: streamSources.mappings,
      ...(options.onStreamBatchInvoked !== undefined ? { onBatchInvoked: options.onStreamBatchInvoked } : {}),
      // Lambda event filtering with the same engine as SQS mappings. A pattern Lambda would refuse
      // is named at start; its mapping then delivers nothing rather than everything.
      filters: (criteria) => {
        const read = readFilterCriteria(criteria);
        if ('error' in read) {
          filterErrors.push(`DynamoDB stream event source mapping: ${read.error}: no record is delivered`);
          return () => false;
        }
        return (record) => passesFilters(read.filters, record);
      },
      destinations: {
        send: async (arn, body) => {
          if (arn.startsWith('arn:aws:sns:')) await this.sns.publish({ topicArn: arn, message: body });
          else await this.sqs.sendMessage(arn, body);
        },
      },
    });
    this.startupWarnings = [...warnings, ...lambdaWarnings, ...streamSources.warnings, ...this.streamMappings.warnings, ...filterErrors];
    this.mappings = new SqsEventSourceMappings({
      sqs: this.sqs,
      lambda: this.lambda,
      mappings,
      region: model.region,
      logger: this.logger,
      ...(options.pollersPerMapping !== undefined ? { pollersPerMapping: options.pollersPerMapping } : {}),
    });
  }

  /** Creates the templates' resources (keeping what a previous run stored), opens the endpoint, starts polling. */
  async start(): Promise<void> {
    const { model } = this.options;
    await this.dynamodb.start();
    await this.sqs.start();
    await this.sns.start();
    for (const warning of this.startupWarnings) this.logger.warn(warning);
    this.provisioned = [
      ...(await provisionTables(this.dynamodb, model, this.logger)),
      ...(await provisionStreams(this.dynamodbWithStreams, model, this.logger)),
      ...provisionQueues(this.sqs, model, this.logger),
      ...provisionTopics(this.sns, model, this.logger),
      ...provisionEventBridge(this.events, model),
    ];
    await this.endpoint.start();
    this.events.start();
    await this.mappings.start();
    await this.streamMappings.start();
  }

  /** Stops polling, closes the endpoint, lets SNS deliveries finish, then closes the stores. */
  async stop(): Promise<void> {
    await this.mappings.stop();
    await this.streamMappings.stop();
    await this.endpoint.stop();
    await this.events.stop();
    await this.sns.stop();
    await this.sqs.stop();
    await this.dynamodb.stop();
    this.streams.close();
  }

  /** The value for AWS_ENDPOINT_URL. */
  get url(): string {
    return this.endpoint.url;
  }

  /** What the templates ask for that runs differently or not at all here, each named. */
  get warnings(): string[] {
    return [...this.startupWarnings, ...this.provisioned];
  }
}
