/**
 * `xray-tracer sampling [list|create|update|delete]`: centralized sampling rules through
 * GetSamplingRules, CreateSamplingRule, UpdateSamplingRule and DeleteSamplingRule. The service
 * checks ranges and lengths, so a bad value's message names the API field, as for `groups`.
 */
import {
  CreateSamplingRuleCommand, DeleteSamplingRuleCommand, paginateGetSamplingRules, paginateGetSamplingStatisticSummaries, UpdateSamplingRuleCommand,
  type SamplingRuleRecord,
} from '@aws-sdk/client-xray';
import { callService, parseEndpoint, runCommand, type CommandOutput } from '../xray-api/index.ts';
import { formatChanged, formatDeleted, formatRules, type RuleCounts } from './format.ts';
import { ruleToCreate, ruleToUpdate, type RuleOptions } from './options.ts';

export type SamplingAction =
  | { readonly kind: 'list' }
  | { readonly kind: 'create'; readonly name: string; readonly rule: RuleOptions }
  | { readonly kind: 'update'; readonly name: string; readonly rule: RuleOptions }
  | { readonly kind: 'delete'; readonly name: string };

export interface SamplingFlags {
  readonly json?: boolean;
  readonly endpoint?: string;
}

/** Returns the exit code: 0 when done; 1 when the service refused (a bad value, an unknown rule) or is unreachable; 2 for bad options. */
export async function runSampling(action: SamplingAction, flags: SamplingFlags, output: CommandOutput): Promise<number> {
  const plan = () => ({
    endpoint: parseEndpoint(flags.endpoint),
    json: flags.json === true,
    // Checked before any request: a malformed option exits 2 without asking the service.
    create: action.kind === 'create' ? ruleToCreate(action.name, action.rule) : undefined,
    update: action.kind === 'update' ? ruleToUpdate(action.name, action.rule) : undefined,
  });
  return runCommand('sampling', output, plan, async ({ endpoint, json, create, update }, client) => {
    const print = (body: object, lines: string[]): void => {
      if (json) output.out(JSON.stringify(body, null, 2));
      else for (const line of lines) output.out(line);
    };
    switch (action.kind) {
      case 'list': {
        const records: SamplingRuleRecord[] = [];
        const counts = new Map<string, RuleCounts>();
        await callService(endpoint, async () => {
          for await (const page of paginateGetSamplingRules({ client }, {})) records.push(...(page.SamplingRuleRecords ?? []));
          for await (const page of paginateGetSamplingStatisticSummaries({ client }, {})) {
            for (const summary of page.SamplingStatisticSummaries ?? []) {
              counts.set(summary.RuleName ?? '', { requests: summary.RequestCount ?? 0, traced: (summary.SampledCount ?? 0) + (summary.BorrowCount ?? 0) });
            }
          }
        });
        print({ SamplingRuleRecords: records }, formatRules(records, counts));
        break;
      }
      case 'create': {
        const { SamplingRuleRecord: record } = await callService(endpoint, () => client.send(new CreateSamplingRuleCommand({ SamplingRule: create })));
        print({ SamplingRuleRecord: record }, formatChanged('created', record));
        break;
      }
      case 'update': {
        const { SamplingRuleRecord: record } = await callService(endpoint, () => client.send(new UpdateSamplingRuleCommand({ SamplingRuleUpdate: update })));
        print({ SamplingRuleRecord: record }, formatChanged('updated', record));
        break;
      }
      case 'delete': {
        const { SamplingRuleRecord: record } = await callService(endpoint, () => client.send(new DeleteSamplingRuleCommand({ RuleName: action.name })));
        print({ SamplingRuleRecord: record }, formatDeleted(action.name));
        break;
      }
    }
    return 0;
  });
}
