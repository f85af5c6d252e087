import { traceSummaryJson, type TraceSummaryJson } from '../../../src/xray/api/trace-summary-json.ts';
import type { SummaryPage } from '../../../src/xray/store/index.ts';

/** A page with its summaries as GetTraceSummaries writes them, so the store's tests hold the wire shape. */
export function apiPage(page: SummaryPage): Omit<SummaryPage, 'summaries'> & { readonly summaries: TraceSummaryJson[] } {
  return { ...page, summaries: page.summaries.map(traceSummaryJson) };
}
