/**
 * The DynamoDB engine with streams: wraps dynalite's engine so that every write that reaches it
 * (the endpoint's PutItem, UpdateItem, DeleteItem and BatchWriteItem, whoever sent them: an SDK, a
 * function, an API Gateway integration) on a table with an enabled stream leaves its stream
 * record, and CreateTable, UpdateTable, DescribeTable and DeleteTable speak StreamSpecification.
 *
 * dynalite returns no old image for most writes, so each captured write runs under the table's lock:
 * read the item, write, read it again. The images are then exact, and records are in the order the
 * writes took effect; a write that changed nothing (the same item put again) leaves no record, as
 * in DynamoDB.
 */
import type { Clock, IdSource } from '../core/runtime.ts';
import { randomIds, systemClock } from '../core/runtime.ts';
import type { DynamoDbEngine } from '../dynamodb/engine.ts';
import { AwsError } from '../protocol/errors.ts';
import { renderJsonError } from '../protocol/json-protocol.ts';
import type { EndpointReply } from '../protocol/service.ts';
import { KeyedLock } from './keyed-lock.ts';
import type { Item, StoredChange } from './stream-record.ts';
import { changeOf } from './stream-record.ts';
import type { StreamSpecification } from './stream-specification.ts';
import { readStreamSpecification, validation } from './stream-specification.ts';
import type { KeySchemaElement, StreamInfo, StreamStore } from './stream-store.ts';

const TARGET = 'DynamoDB_20120810';
const PROTOCOL = { target: TARGET, namespace: 'com.amazonaws.dynamodb.v20120810', queryCompatible: false };

export interface CapturingEngineOptions {
  readonly engine: DynamoDbEngine;
  readonly store: StreamStore;
  readonly region: string;
  readonly accountId: string;
  readonly clock?: Clock;
  readonly ids?: IdSource;
}

/** One item a write touches: its table, its key, and what to do once both images are known. */
interface Touched {
  readonly table: string;
  readonly key: Item;
}

export class StreamCapturingEngine implements DynamoDbEngine {
  private readonly lock = new KeyedLock();
  private readonly clock: Clock;
  private readonly ids: IdSource;

  constructor(private readonly options: CapturingEngineOptions) {
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
  }

  start(): Promise<void> {
    return this.options.engine.start();
  }

  stop(): Promise<void> {
    return this.options.engine.stop();
  }

  get store(): StreamStore {
    return this.options.store;
  }

  tableArn(table: string): string {
    return `arn:aws:dynamodb:${this.options.region}:${this.options.accountId}:table/${table}`;
  }

  async forward(target: string, body: Buffer | string, headers: Readonly<Record<string, string>> = {}): Promise<EndpointReply> {
    const operation = target.startsWith(`${TARGET}.`) ? target.slice(TARGET.length + 1) : undefined;
    const input = operation === undefined ? undefined : parseObject(body);
    if (operation === undefined || input === undefined) return this.options.engine.forward(target, body, headers);
    try {
      switch (operation) {
        case 'PutItem':
        case 'UpdateItem':
        case 'DeleteItem':
          return await this.captureSingle(operation, input, target, body, headers);
        case 'BatchWriteItem':
          return await this.captureBatch(input, target, body, headers);
        case 'CreateTable':
          return await this.createTable(input, headers);
        case 'UpdateTable':
          return await this.updateTable(input, headers);
        case 'DescribeTable':
        case 'DeleteTable':
          return await this.withStreamMembers(operation, input, target, body, headers);
        default:
          return await this.options.engine.forward(target, body, headers);
      }
    } catch (error) {
      if (error instanceof AwsError) return renderJsonError(error, PROTOCOL);
      throw error;
    }
  }

  /**
   * Turns a table's stream on or off outside the API (the templates' StreamSpecification): a new
   * stream when none is enabled or the view type differs, with `label` when given.
   */
  async applyStreamSpecification(table: string, spec: StreamSpecification, label?: string): Promise<StreamInfo | undefined> {
    return this.lock.run([table], async () => {
      const current = this.options.store.enabledStream(table);
      const nowMs = this.clock.nowMs();
      if (!spec.enabled) {
        if (current !== undefined) this.options.store.disableStream(current.streamArn, nowMs);
        return undefined;
      }
      if (current !== undefined && current.viewType === spec.viewType) return current;
      if (current !== undefined) this.options.store.disableStream(current.streamArn, nowMs);
      const keySchema = await this.keySchema(table);
      if (keySchema === undefined) throw new Error(`table ${table} does not exist`);
      return this.options.store.createStream({ tableArn: this.tableArn(table), tableName: table, viewType: spec.viewType, keySchema, nowMs, ...(label !== undefined ? { label } : {}) });
    });
  }

  private async captureSingle(operation: string, input: Record<string, unknown>, target: string, body: Buffer | string, headers: Readonly<Record<string, string>>): Promise<EndpointReply> {
    const table = input['TableName'];
    if (typeof table !== 'string' || this.options.store.enabledStream(table) === undefined) return this.options.engine.forward(target, body, headers);
    return this.lock.run([table], async () => {
      const stream = this.options.store.enabledStream(table);
      const source = operation === 'PutItem' ? input['Item'] : input['Key'];
      const key = stream === undefined ? undefined : keyOf(source, stream.keySchema);
      // Not a key of this table: dynalite names what is wrong.
      if (stream === undefined || key === undefined) return this.options.engine.forward(target, body, headers);
      return this.captured([stream], [{ table, key }], () => this.options.engine.forward(target, body, headers));
    });
  }

  private async captureBatch(input: Record<string, unknown>, target: string, body: Buffer | string, headers: Readonly<Record<string, string>>): Promise<EndpointReply> {
    const requestItems = input['RequestItems'];
    if (typeof requestItems !== 'object' || requestItems === null || Array.isArray(requestItems)) return this.options.engine.forward(target, body, headers);
    const tables = Object.keys(requestItems).filter((table) => this.options.store.enabledStream(table) !== undefined);
    if (tables.length === 0) return this.options.engine.forward(target, body, headers);
    return this.lock.run(tables, async () => {
      const streams: StreamInfo[] = [];
      const touched: Touched[] = [];
      for (const table of tables) {
        const stream = this.options.store.enabledStream(table);
        const requests = (requestItems as Record<string, unknown>)[table];
        if (stream === undefined || !Array.isArray(requests)) continue;
        streams.push(stream);
        for (const request of requests) {
          const entry = (request ?? {}) as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } };
          const key = keyOf(entry.PutRequest !== undefined ? entry.PutRequest.Item : entry.DeleteRequest?.Key, stream.keySchema);
          if (key === undefined) return this.options.engine.forward(target, body, headers);
          touched.push({ table, key });
        }
      }
      return this.captured(streams, touched, () => this.options.engine.forward(target, body, headers));
    });
  }

  /** Reads the touched items, runs the write, reads them again and appends a record per item that changed. */
  private async captured(streams: readonly StreamInfo[], touched: readonly Touched[], write: () => Promise<EndpointReply>): Promise<EndpointReply> {
    const before: Array<Item | undefined> = [];
    for (const item of touched) {
      const read = await this.readItem(item.table, item.key);
      // A key dynalite cannot read (a value of the wrong type...) is one it refuses to write: its error answers.
      if (read.status !== 200) return write();
      before.push(read.item);
    }
    const reply = await write();
    if (reply.status !== 200) return reply;
    const unprocessed = unprocessedKeys(reply, streams);
    const nowMs = this.clock.nowMs();
    const byStream = new Map<string, StoredChange[]>();
    for (const [index, item] of touched.entries()) {
      const stream = streams.find((candidate) => candidate.tableName === item.table);
      if (stream === undefined || unprocessed.has(`${item.table}\u0000${JSON.stringify(item.key)}`)) continue;
      const after = await this.getItem(item.table, item.key);
      const change = changeOf({ keys: item.key, oldImage: before[index], newImage: after, viewType: stream.viewType, region: this.options.region, eventId: this.ids.hex(16) });
      if (change === undefined) continue;
      const list = byStream.get(stream.streamArn) ?? [];
      list.push(change);
      byStream.set(stream.streamArn, list);
    }
    for (const [streamArn, changes] of byStream) this.options.store.append(streamArn, changes, nowMs);
    return reply;
  }

  private async readItem(table: string, key: Item): Promise<{ status: number; item?: Item }> {
    const reply = await this.options.engine.forward(`${TARGET}.GetItem`, JSON.stringify({ TableName: table, Key: key, ConsistentRead: true }));
    if (reply.status !== 200) return { status: reply.status };
    const { Item: item } = JSON.parse(reply.body.toString()) as { Item?: Item };
    return item === undefined ? { status: 200 } : { status: 200, item };
  }

  private async getItem(table: string, key: Item): Promise<Item | undefined> {
    const read = await this.readItem(table, key);
    if (read.status !== 200) throw new Error(`reading ${table} for its stream after a write failed (${read.status})`);
    return read.item;
  }

  private async keySchema(table: string): Promise<KeySchemaElement[] | undefined> {
    const reply = await this.options.engine.forward(`${TARGET}.DescribeTable`, JSON.stringify({ TableName: table }));
    if (reply.status !== 200) return undefined;
    return (JSON.parse(reply.body.toString()) as { Table?: { KeySchema?: KeySchemaElement[] } }).Table?.KeySchema;
  }

  private async createTable(input: Record<string, unknown>, headers: Readonly<Record<string, string>>): Promise<EndpointReply> {
    const spec = readStreamSpecification(input['StreamSpecification']);
    const { StreamSpecification: _omitted, ...rest } = input;
    const reply = await this.options.engine.forward(`${TARGET}.CreateTable`, JSON.stringify(rest), headers);
    const table = rest['TableName'];
    if (reply.status !== 200 || typeof table !== 'string') return reply;
    if (spec?.enabled === true) {
      const keySchema = (JSON.parse(reply.body.toString()) as { TableDescription?: { KeySchema?: KeySchemaElement[] } }).TableDescription?.KeySchema ?? [];
      await this.lock.run([table], async () => {
        this.options.store.createStream({ tableArn: this.tableArn(table), tableName: table, viewType: spec.viewType, keySchema, nowMs: this.clock.nowMs() });
      });
    }
    return this.decorate(reply, 'TableDescription', table);
  }

  private async updateTable(input: Record<string, unknown>, headers: Readonly<Record<string, string>>): Promise<EndpointReply> {
    const spec = readStreamSpecification(input['StreamSpecification']);
    const table = input['TableName'];
    if (spec === undefined || typeof table !== 'string') return this.options.engine.forward(`${TARGET}.UpdateTable`, JSON.stringify(input), headers);
    const { StreamSpecification: _omitted, ...rest } = input;
    return this.lock.run([table], async () => {
      const described = await this.options.engine.forward(`${TARGET}.DescribeTable`, JSON.stringify({ TableName: table }), headers);
      if (described.status !== 200) return described;
      const current = this.options.store.enabledStream(table);
      if (spec.enabled && current !== undefined) throw validation(`Table already has an enabled stream: TableName: ${table}`);
      if (!spec.enabled && current === undefined) throw validation(`Table does not have an enabled stream to disable: TableName: ${table}`);
      // Only the stream changes: dynalite would refuse an UpdateTable with nothing else to do.
      const others = Object.keys(rest).some((name) => name !== 'TableName');
      const reply = others ? await this.options.engine.forward(`${TARGET}.UpdateTable`, JSON.stringify(rest), headers) : tableDescriptionOf(described);
      if (reply.status !== 200) return reply;
      const nowMs = this.clock.nowMs();
      if (spec.enabled) {
        const keySchema = (JSON.parse(described.body.toString()) as { Table?: { KeySchema?: KeySchemaElement[] } }).Table?.KeySchema ?? [];
        this.options.store.createStream({ tableArn: this.tableArn(table), tableName: table, viewType: spec.viewType, keySchema, nowMs });
      } else if (current !== undefined) {
        this.options.store.disableStream(current.streamArn, nowMs);
      }
      return this.decorate(reply, 'TableDescription', table);
    });
  }

  private async withStreamMembers(operation: string, input: Record<string, unknown>, target: string, body: Buffer | string, headers: Readonly<Record<string, string>>): Promise<EndpointReply> {
    const table = input['TableName'];
    if (typeof table !== 'string') return this.options.engine.forward(target, body, headers);
    if (operation === 'DescribeTable') return this.decorate(await this.options.engine.forward(target, body, headers), 'Table', table);
    return this.lock.run([table], async () => {
      const reply = await this.options.engine.forward(target, body, headers);
      if (reply.status !== 200) return reply;
      const decorated = this.decorate(reply, 'TableDescription', table);
      this.options.store.tableDeleted(table, this.clock.nowMs());
      return decorated;
    });
  }

  /** Adds StreamSpecification, LatestStreamLabel and LatestStreamArn to a table description, as DynamoDB answers them. */
  private decorate(reply: EndpointReply, member: 'Table' | 'TableDescription', table: string): EndpointReply {
    if (reply.status !== 200) return reply;
    const latest = this.options.store.latestStream(table);
    if (latest === undefined) return reply;
    const output = JSON.parse(reply.body.toString()) as Record<string, unknown>;
    const description = output[member];
    if (typeof description !== 'object' || description === null) return reply;
    const streamMembers = {
      ...(latest.enabled ? { StreamSpecification: { StreamEnabled: true, StreamViewType: latest.viewType } } : {}),
      LatestStreamLabel: latest.label,
      LatestStreamArn: latest.streamArn,
    };
    // The body changes, so dynalite's CRC32 of it goes (the SDK checks it when present).
    const headers = Object.fromEntries(Object.entries(reply.headers).filter(([name]) => name !== 'x-amz-crc32'));
    return { ...reply, headers, body: JSON.stringify({ ...output, [member]: { ...description, ...streamMembers } }) };
  }
}

function parseObject(body: Buffer | string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The key attributes of an item or key, in key schema order; undefined when one is missing. */
function keyOf(value: unknown, keySchema: readonly KeySchemaElement[]): Item | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const key: Record<string, unknown> = {};
  for (const { AttributeName } of keySchema) {
    const attribute = (value as Record<string, unknown>)[AttributeName];
    if (attribute === undefined) return undefined;
    key[AttributeName] = attribute;
  }
  return key;
}

/** The items a BatchWriteItem answer hands back unprocessed: they were not written. */
function unprocessedKeys(reply: EndpointReply, streams: readonly StreamInfo[]): Set<string> {
  const keys = new Set<string>();
  const unprocessed = (JSON.parse(reply.body.toString()) as { UnprocessedItems?: Record<string, unknown[]> }).UnprocessedItems ?? {};
  for (const [table, requests] of Object.entries(unprocessed)) {
    const stream = streams.find((candidate) => candidate.tableName === table);
    if (stream === undefined || !Array.isArray(requests)) continue;
    for (const request of requests) {
      const entry = (request ?? {}) as { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } };
      const key = keyOf(entry.PutRequest?.Item ?? entry.DeleteRequest?.Key, stream.keySchema);
      if (key !== undefined) keys.add(`${table}\u0000${JSON.stringify(key)}`);
    }
  }
  return keys;
}

/** DescribeTable's answer as UpdateTable's: `{"TableDescription": ...}`. */
function tableDescriptionOf(described: EndpointReply): EndpointReply {
  const { Table } = JSON.parse(described.body.toString()) as { Table?: unknown };
  return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify({ TableDescription: Table }) };
}
