/** The harness's report: a block per listener, then the one summary line the issue asks for. */
import type { ListenerReport } from './run.ts';
import type { Bucket } from './tally.ts';

export interface Totals {
  readonly inputs: number;
  readonly deaths: number;
  readonly fiveXx: number;
  readonly hung: number;
  /** Listeners whose check after the run failed. */
  readonly notLive: number;
}

export function totalsOf(reports: readonly ListenerReport[]): Totals {
  return {
    inputs: reports.reduce((sum, report) => sum + report.tally.sent, 0),
    deaths: reports.filter((report) => report.died !== undefined).length,
    fiveXx: reports.reduce((sum, report) => sum + report.tally.count('5xx'), 0),
    hung: reports.reduce((sum, report) => sum + report.tally.count('hung'), 0),
    notLive: reports.filter((report) => !report.liveness.ok).length,
  };
}

export function summaryLine(totals: Totals): string {
  return `hostile: ${totals.inputs} inputs, ${totals.deaths} deaths, ${totals.fiveXx} 5xx, ${totals.hung} hung`;
}

/** Exit code 1 when anything the issue forbids happened. */
export function failed(totals: Totals): boolean {
  return totals.deaths > 0 || totals.fiveXx > 0 || totals.hung > 0;
}

const ORDER: readonly Bucket[] = ['2xx', '3xx', '4xx', '5xx', 'other-status', 'reset', 'closed', 'refused', 'hung', 'sent', 'error'];

function counts(map: ReadonlyMap<Bucket, number>): string {
  return ORDER.filter((bucket) => (map.get(bucket) ?? 0) > 0).map((bucket) => `${bucket} ${map.get(bucket)}`).join(', ');
}

export function describeListener(report: ListenerReport, replay: (listener: string, index: number) => string): string[] {
  const { tally } = report;
  const lines = [
    `${report.name}  ${report.where}  ${tally.sent} inputs in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `  answers: 2xx ${tally.count('2xx')}, 3xx ${tally.count('3xx')}, 4xx ${tally.count('4xx')}, 5xx ${tally.count('5xx')}${tally.count('other-status') > 0 ? `, other ${tally.count('other-status')}` : ''}` +
      `; resets ${tally.count('reset')}, closes ${tally.count('closed')}, refused ${tally.count('refused')}, hung ${tally.count('hung')}` +
      `${tally.count('sent') > 0 ? `, datagrams sent ${tally.count('sent')}` : ''}${tally.count('error') > 0 ? `, other errors ${tally.count('error')}` : ''}`,
  ];
  if (report.note !== undefined) lines.push(`  note: ${report.note}`);
  if (report.stoppedEarly !== undefined) lines.push(`  ${report.stoppedEarly}`);
  if (report.died !== undefined) {
    lines.push(`  DIED: ${report.died.how}${report.died.between === undefined ? '' : `, between cases ${report.died.between[0]} and ${report.died.between[1]}`}`);
  }
  lines.push(`  by class: ${[...tally.byClass.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([inputClass, map]) => `${inputClass} (${counts(map)})`).join('; ')}`);
  lines.push(`  after the run: ${report.liveness.ok ? 'ok' : 'FAILED'}: ${report.liveness.detail}; process ${report.processAlive === undefined ? 'not checked (no --pid)' : report.processAlive ? 'alive' : 'GONE'}`);
  if (tally.failureCount > 0) {
    lines.push(`  5xx and hangs: ${tally.failureCount}, by class (the first few of each):`);
    for (const kind of [...tally.failureKinds.values()].sort((a, b) => b.count - a.count)) {
      lines.push(`    ${kind.count} ${kind.bucket} [${kind.inputClass}]`);
      for (const failure of kind.examples.sort((a, b) => a.index - b.index)) {
        lines.push(`      #${failure.index} ${failure.bucket === 'hung' ? 'hung' : `answered ${failure.status}`}: ${failure.label}   ${replay(report.name, failure.index)}`);
      }
    }
  }
  return lines;
}
