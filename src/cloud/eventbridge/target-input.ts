/**
 * What a target receives (EventBridge user guide, "Amazon EventBridge input transformation"): the
 * event; or `Input`, constant JSON text; or `InputPath`, the part of the event a JSON path selects;
 * or `InputTransformer`, its template filled from `InputPathsMap`. In a JSON template a placeholder
 * between quotes takes the value's text, one outside quotes the value as JSON; in a text template
 * every placeholder takes the value's text.
 */
import { JSONPath } from 'jsonpath-plus';
import type { BusEvent, InputTransformer, Target } from './model.ts';

/** The payload as text (an SQS or SNS message) and as JSON when it is JSON (a Lambda event). */
export interface TargetInput {
  readonly text: string;
  readonly json: unknown;
}

export interface RuleIdentity {
  readonly name: string;
  readonly arn: string;
}

export function targetInput(target: Target, event: BusEvent, rule: RuleIdentity, ingestedAtMs: number): TargetInput {
  if (target.input !== undefined) return fromText(target.input);
  if (target.inputPath !== undefined) {
    const selected = selectPath(event, target.inputPath);
    return { text: JSON.stringify(selected ?? null), json: selected ?? null };
  }
  if (target.inputTransformer !== undefined) return fromText(transform(target.inputTransformer, event, rule, ingestedAtMs));
  return { text: JSON.stringify(event), json: event };
}

function fromText(text: string): TargetInput {
  try {
    return { text, json: JSON.parse(text) as unknown };
  } catch {
    return { text, json: text };
  }
}

export function selectPath(event: unknown, path: string): unknown {
  return JSONPath({ path, json: event as object, wrap: false }) as unknown;
}

const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/g;

/** The template with its placeholders filled. */
export function transform(transformer: InputTransformer, event: BusEvent, rule: RuleIdentity, ingestedAtMs: number): string {
  const values = new Map<string, unknown>([
    ['aws.events.rule-arn', rule.arn],
    ['aws.events.rule-name', rule.name],
    ['aws.events.event.ingestion-time', new Date(ingestedAtMs).toISOString()],
    ['aws.events.event', event],
    ['aws.events.event.json', event],
  ]);
  for (const [name, path] of Object.entries(transformer.inputPathsMap)) values.set(name, selectPath(event, path));
  const template = transformer.inputTemplate;
  const json = isJsonTemplate(template, values);
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!values.has(name)) continue;
    const at = match.index;
    out += template.slice(last, at);
    const value = values.get(name);
    const quoted = json && insideString(template, at);
    out += !json ? asText(value) : quoted ? JSON.stringify(asText(value)).slice(1, -1) : JSON.stringify(value ?? null);
    last = at + match[0].length;
  }
  return out + template.slice(last);
}

/** A template is JSON when it parses as JSON with its placeholders taken as values. */
function isJsonTemplate(template: string, values: ReadonlyMap<string, unknown>): boolean {
  const probe = template.replace(PLACEHOLDER, (whole, name: string) => (values.has(name) ? 'null' : whole));
  try {
    JSON.parse(probe.replace(/"(?:[^"\\]|\\.)*"/g, '""'));
    return true;
  } catch {
    return false;
  }
}

/** Whether position `at` of a JSON text lies inside a string literal. */
function insideString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i += 1) {
    const char = text[i];
    if (inside && char === '\\') i += 1;
    else if (char === '"') inside = !inside;
  }
  return inside;
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
