/** Seconds as people read latencies: 840 µs, 12.3 ms, 1.24 s, 2 min 5 s. */
export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds === 0) return '0 ms';
  if (Math.round(seconds * 1_000_000) < 1000) return `${Math.round(seconds * 1_000_000)} µs`;
  if (seconds < 1) return `${trim(seconds * 1000)} ms`;
  if (seconds < 120) return `${trim(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** Three significant digits, decided on the rounded value (99.996 is "100", not "100.0"). */
function trim(value: number): string {
  const rounded = Number(value.toPrecision(3));
  return rounded >= 100 ? rounded.toFixed(0) : rounded >= 10 ? rounded.toFixed(1) : rounded.toFixed(2);
}

/** Local wall-clock time with milliseconds, and the date when it is not today. */
export function formatTime(epochSeconds: number | undefined, now = Date.now()): string {
  if (epochSeconds === undefined) return '–';
  const date = new Date(epochSeconds * 1000);
  return withDate(date, `${formatClock(epochSeconds)}.${String(date.getMilliseconds()).padStart(3, '0')}`, now);
}

/** Local wall-clock time to the minute, and the date when it is not today: chart axes and periods. */
export function formatMinute(epochSeconds: number, now = Date.now()): string {
  const date = new Date(epochSeconds * 1000);
  return withDate(date, `${pad(date.getHours())}:${pad(date.getMinutes())}`, now);
}

function withDate(date: Date, time: string, now: number): string {
  return new Date(now).toDateString() === date.toDateString() ? time : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** Local wall-clock time to the second. */
export function formatClock(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return '–';
  const date = new Date(epochSeconds * 1000);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** One formatter for every count: `toLocaleString` builds one a call, which shows in a profile. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US');

/** Counts as 12,345: grouped the same way in every locale, on every page. */
export function formatCount(count: number): string {
  return COUNT_FORMAT.format(count);
}

export function formatRate(perMinute: number): string {
  return perMinute >= 100 ? perMinute.toFixed(0) : perMinute >= 10 ? perMinute.toFixed(1) : perMinute.toFixed(2);
}

export function formatPercent(part: number, total: number): string {
  if (total === 0) return '0%';
  const share = (part * 100) / total;
  // A share too small to show as 0.1% is still not none.
  if (share > 0 && share < 0.05) return '<0.1%';
  return share === 0 || share >= 10 ? `${Math.round(share)}%` : `${share.toFixed(1)}%`;
}
