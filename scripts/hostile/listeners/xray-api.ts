/**
 * The X-Ray API (and the console's files on the same port): every POST route's valid body made
 * hostile, hostile members inside the segment documents themselves, 1K-term filters in reads and in
 * groups, 10K ids and documents, and hostile GETs of the console's paths.
 */
import { jsonText, type Fuzz, type FuzzValue } from '../../../test/support/fuzz.ts';
import { orChain, withHostileMember } from '../../../test/support/hostile-values.ts';
import { xrayApiBodies } from '../../../test/support/xray-api-bodies.ts';
import { WHOLE, type HostileCase } from '../cases.ts';
import { draftJsonCase, pickShare } from '../draft.ts';
import { httpRequestBytes } from '../http-bytes.ts';
import { traceIdAt, validSegment } from '../ids.ts';
import { check, exchange, shown, streamCase, type Listener, type Liveness } from '../listener.ts';
import type { Address } from '../send.ts';

const ROUTE_SHARES: ReadonlyArray<readonly [string, number]> = [
  ['/TraceSegments', 30], ['/TraceSummaries', 10], ['/ServiceGraph', 6], ['/Traces', 5], ['/TraceGraph', 4], ['/TimeSeriesServiceStatistics', 5],
  ['/CreateGroup', 5], ['/GetGroup', 2], ['/Groups', 2], ['/UpdateGroup', 3], ['/DeleteGroup', 2], ['/GetSamplingRules', 2], ['/SamplingTargets', 4],
  ['/CreateSamplingRule', 4], ['/UpdateSamplingRule', 3], ['/DeleteSamplingRule', 2], ['/SamplingStatisticSummaries', 2], ['console', 5],
];

const CONSOLE_PATHS = ['/', '/index.html', '/assets/../../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%zz', '/..', `/${'a/'.repeat(3000)}`, '/assets/\u0000', '/favicon.ico?%', '/#/map'];

export function xrayApiListener(options: { url: string; nowSeconds: number; timeoutMs: number }): Listener {
  const url = new URL(options.url);
  const address: Address = { host: url.hostname, port: Number(url.port) };
  const host = url.host;
  const now = options.nowSeconds;
  return {
    name: 'xray-api',
    where: options.url,
    address,
    caseAt(fuzz: Fuzz, index: number): HostileCase {
      const route = pickShare(fuzz, ROUTE_SHARES);
      if (route === 'console') {
        const target = fuzz.pick(CONSOLE_PATHS);
        const method = fuzz.pick(['GET', 'GET', 'HEAD', 'OPTIONS', 'DELETE']);
        return { transport: 'tcp', inputClass: 'hostile-target', label: `${method} ${JSON.stringify(target.slice(0, 30))}`, bytes: httpRequestBytes({ method, target, host }), delivery: WHOLE };
      }
      const bodies = xrayApiBodies({ nowSeconds: now, traceId: (seconds) => traceIdAt(fuzz, seconds), document: (traceId, start) => JSON.stringify(validSegment(fuzz, traceId, start)) });
      const body = bodies[route];
      if (body === undefined) throw new Error(`no body for ${route}`);
      let valid: FuzzValue = body(index);
      let prefix = '';
      // Documents are JSON inside JSON: make the document hostile as often as the request around it.
      if (route === '/TraceSegments' && fuzz.chance(0.5)) {
        const kind = fuzz.pick(['deep-nesting', 'extreme-number', 'extreme-number', 'huge-count', 'wrong-value'] as const);
        const { value, label } = withHostileMember(fuzz, validSegment(fuzz, traceIdAt(fuzz, now - 30), now - 30) as FuzzValue, kind);
        valid = { TraceSegmentDocuments: [jsonText(value)] };
        prefix = `document ${label}; `;
        if (fuzz.chance(0.6)) {
          return streamCase({ inputClass: kind, label: `POST ${route} ${prefix}`, spec: { method: 'POST', target: route, host, headers: [['Content-Type', 'application/json']], body: jsonText(valid) }, delivery: WHOLE }, 'tcp');
        }
      }
      const draft = draftJsonCase(fuzz, { host, target: route, contentType: 'application/json', valid, hugeCount: (f) => hugeCount(f, route, now) });
      return streamCase({ ...draft, label: `POST ${route} ${prefix}${draft.label}` }, 'tcp');
    },
    liveness: () => check('X-Ray API', async (): Promise<Liveness> => {
      const post = (route: string, body: unknown) => exchange(`${options.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), timeoutMs: options.timeoutMs });
      const endSeconds = Math.floor(Date.now() / 1000);
      const summaries = await post('/TraceSummaries', { StartTime: endSeconds - 3600, EndTime: endSeconds });
      const graph = await post('/ServiceGraph', { StartTime: endSeconds - 3600, EndTime: endSeconds });
      const ok = summaries.status === 200 && summaries.body.includes('"TraceSummaries"') && graph.status === 200 && graph.body.includes('"Services"');
      return { ok, detail: `GetTraceSummaries (last hour): ${shown(summaries)}; GetServiceGraph: ${shown(graph)}` };
    }),
  };
}

function hugeCount(fuzz: Fuzz, route: string, now: number): { label: string; body: string } {
  const terms = fuzz.pick([500, 1000, 2000]);
  switch (route) {
    case '/TraceSummaries':
      return { label: `FilterExpression of ${terms} OR terms`, body: JSON.stringify({ StartTime: now - 3600, EndTime: now, FilterExpression: orChain(terms) }) };
    case '/CreateGroup':
    case '/UpdateGroup':
      // A group holding such a filter makes every read scoped to it fail, if it is accepted.
      return { label: `group filter of ${terms} OR terms`, body: JSON.stringify({ GroupName: `huge-${fuzz.int(1_000_000)}`, FilterExpression: orChain(terms) }) };
    case '/Traces':
    case '/TraceGraph':
      return { label: '10,000 TraceIds', body: JSON.stringify({ TraceIds: Array.from({ length: 10_000 }, () => traceIdAt(fuzz, now - 60)) }) };
    case '/TraceSegments': {
      if (fuzz.chance(0.5)) {
        const traceId = traceIdAt(fuzz, now - 30);
        const documents = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ name: 'n', id: i.toString(16).padStart(16, '0'), trace_id: traceId, start_time: now - 30, end_time: now - 29 }));
        return { label: '10,000 documents', body: JSON.stringify({ TraceSegmentDocuments: documents }) };
      }
      const document = validSegment(fuzz, traceIdAt(fuzz, now - 30), now - 30);
      const annotations = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]));
      return { label: 'a document with 10,000 annotations', body: JSON.stringify({ TraceSegmentDocuments: [JSON.stringify({ ...document, annotations })] }) };
    }
    case '/SamplingTargets':
      return {
        label: '10,000 statistics documents',
        body: JSON.stringify({ SamplingStatisticsDocuments: Array.from({ length: 10_000 }, (_, i) => ({ RuleName: `r${i}`, ClientID: '0123456789abcdef01234567', Timestamp: now, RequestCount: 1, SampledCount: 1, BorrowCount: 0 })) }),
      };
    case '/TimeSeriesServiceStatistics':
      return { label: 'a period of one second over 30 days', body: JSON.stringify({ StartTime: now - 30 * 86_400, EndTime: now, Period: 1 }) };
    default:
      return { label: `EntitySelectorExpression of ${terms} OR terms`, body: JSON.stringify({ StartTime: now - 3600, EndTime: now, EntitySelectorExpression: orChain(terms) }) };
  }
}
