/** The daemon's TCP sampling endpoints (GetSamplingRules, SamplingTargets), as the X-Ray SDKs call them. */
import type { Fuzz, FuzzValue } from '../../../test/support/fuzz.ts';
import { FUZZ_CLIENT_ID } from '../../../test/support/xray-api-bodies.ts';
import type { HostileCase } from '../cases.ts';
import { draftJsonCase } from '../draft.ts';
import { check, exchange, shown, streamCase, type Listener } from '../listener.ts';
import type { Address } from '../send.ts';

export function daemonTcpListener(options: { address: Address; nowSeconds: number; timeoutMs: number }): Listener {
  const { address } = options;
  const host = `${address.host}:${address.port}`;
  const now = options.nowSeconds;
  const statistics = (count: number, fuzz: Fuzz): FuzzValue[] => Array.from({ length: count }, (_, i) => ({
    RuleName: fuzz.pick(['Default', `rule-${i}`]), ClientID: FUZZ_CLIENT_ID, Timestamp: now, RequestCount: 10, SampledCount: 5, BorrowCount: 1,
  }));
  return {
    name: 'daemon-tcp',
    where: `tcp://${host}`,
    address,
    caseAt(fuzz: Fuzz): HostileCase {
      const targets = fuzz.chance(0.6);
      const route = targets ? '/SamplingTargets' : '/GetSamplingRules';
      const valid: FuzzValue = targets ? { SamplingStatisticsDocuments: statistics(1 + fuzz.int(3), fuzz), SamplingBoostStatisticsDocuments: [] } : { NextToken: 'token' };
      const draft = draftJsonCase(fuzz, {
        host, target: route, contentType: 'application/json', valid,
        hugeCount: (f) => ({ label: '10,000 statistics documents', body: JSON.stringify({ SamplingStatisticsDocuments: statistics(10_000, f) }) }),
      });
      return streamCase({ ...draft, label: `POST ${route} ${draft.label}` }, 'tcp');
    },
    liveness: () => check('daemon TCP', async () => {
      const rules = await exchange(`http://${host}/GetSamplingRules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: options.timeoutMs });
      return { ok: rules.status === 200 && rules.body.includes('"SamplingRuleRecords"'), detail: `GetSamplingRules: ${shown(rules)}` };
    }),
  };
}
