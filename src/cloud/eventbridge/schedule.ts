/**
 * EventBridge schedule expressions: `rate(5 minutes)` and `cron(0 12 * * ? *)` (six fields, UTC:
 * minutes, hours, day of month, month, day of week, year), as the EventBridge user guide's "Schedule
 * expressions for rules" page defines them. A parsed schedule answers its next firing time after
 * a given instant, so a clock that tests move drives it.
 */

export interface Schedule {
  /** The expression as given. */
  readonly expression: string;
  /** The first firing strictly after `afterMs` (epoch ms), or undefined when there is none. */
  next(afterMs: number): number | undefined;
}

const MINUTE_MS = 60_000;
const UNIT_MS: Readonly<Record<string, number>> = { minute: MINUTE_MS, hour: 3_600_000, day: 86_400_000 };

/** The schedule, or undefined when the expression is not one EventBridge accepts. */
export function parseSchedule(expression: string, createdAtMs: number): Schedule | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
    // "rate(1 minute)" but "rate(5 minutes)": EventBridge refuses the other spellings.
    if (value <= 0 || (value === 1) !== (unit === singular)) return undefined;
    const periodMs = value * (UNIT_MS[singular] ?? MINUTE_MS);
    return {
      expression,
      next: (afterMs) => createdAtMs + (Math.floor((afterMs - createdAtMs) / periodMs) + 1) * periodMs,
    };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return undefined;
  const fields = (cron[1] ?? '').trim().split(/\s+/);
  if (fields.length !== 6) return undefined;
  const parsed = parseCron(fields);
  return parsed === undefined ? undefined : { expression, next: (afterMs) => nextCron(parsed, afterMs) };
}

interface Cron {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly years: ReadonlySet<number>;
  readonly day: (date: Date) => boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseCron(fields: readonly string[]): Cron | undefined {
  const [minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = fields;
  // One of the two day fields must be "?": EventBridge cannot combine them.
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return undefined;
  const minutes = numberSet(minute, 0, 59);
  const hours = numberSet(hour, 0, 23);
  const months = numberSet(month, 1, 12, MONTHS, 1);
  const years = numberSet(year, 1970, 2199);
  const day = dayOfMonth === '?' ? weekdayTest(dayOfWeek) : monthDayTest(dayOfMonth);
  if (!minutes || !hours || !months || !years || !day) return undefined;
  return { minutes, hours, months, years, day };
}

/** A field of values, ranges, steps and `*`, as the set of values it allows. */
function numberSet(field: string, min: number, max: number, names: readonly string[] = [], firstName = 0): Set<number> | undefined {
  const values = new Set<number>();
  const value = (text: string): number | undefined => {
    const named = names.indexOf(text.toUpperCase());
    if (named >= 0) return named + firstName;
    if (!/^\d+$/.test(text)) return undefined;
    const number = Number(text);
    return number >= min && number <= max ? number : undefined;
  };
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let low: number | undefined;
    let high: number | undefined;
    if (range === '*') [low, high] = [min, max];
    else if (range.includes('-')) {
      const [from = '', to = ''] = range.split('-');
      [low, high] = [value(from), value(to)];
    } else {
      low = value(range);
      high = stepText === undefined ? low : max;
    }
    if (low === undefined || high === undefined || low > high) return undefined;
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function daysInMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Day of month: values, ranges, steps, `*`, `L` (last day) and `<n>W` (nearest weekday). */
function monthDayTest(field: string): ((date: Date) => boolean) | undefined {
  if (field === 'L') return (date) => date.getUTCDate() === daysInMonth(date);
  const weekday = /^(\d{1,2})W$/.exec(field);
  if (weekday) {
    const target = Number(weekday[1]);
    if (target < 1 || target > 31) return undefined;
    return (date) => date.getUTCDate() === nearestWeekday(date, target);
  }
  const set = numberSet(field, 1, 31);
  return set && ((date) => set.has(date.getUTCDate()));
}

function nearestWeekday(date: Date, target: number): number {
  const last = daysInMonth(date);
  const day = Math.min(target, last);
  const weekday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), day)).getUTCDay();
  if (weekday === 6) return day === 1 ? 3 : day - 1;
  if (weekday === 0) return day === last ? day - 2 : day + 1;
  return day;
}

/** Day of week (1-7 or SUN-SAT, Sunday first): values, ranges, `*`, `<d>L` (last of the month), `<d>#<n>`. */
function weekdayTest(field: string): ((date: Date) => boolean) | undefined {
  const weekdayOf = (text: string): number | undefined => {
    const set = numberSet(text, 1, 7, WEEKDAYS, 1);
    return set?.size === 1 ? [...set][0] : undefined;
  };
  const last = /^(.+)L$/.exec(field);
  if (last) {
    const weekday = weekdayOf(last[1] ?? '');
    if (weekday === undefined) return undefined;
    return (date) => date.getUTCDay() + 1 === weekday && date.getUTCDate() + 7 > daysInMonth(date);
  }
  const nth = /^(.+)#([1-5])$/.exec(field);
  if (nth) {
    const weekday = weekdayOf(nth[1] ?? '');
    const index = Number(nth[2]);
    if (weekday === undefined) return undefined;
    return (date) => date.getUTCDay() + 1 === weekday && Math.ceil(date.getUTCDate() / 7) === index;
  }
  const set = numberSet(field, 1, 7, WEEKDAYS, 1);
  return set && ((date) => set.has(date.getUTCDay() + 1));
}

function nextCron(cron: Cron, afterMs: number): number | undefined {
  const start = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const first = new Date(start);
  let day = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  const lastYear = Math.max(...cron.years);
  for (;;) {
    const date = new Date(day);
    if (date.getUTCFullYear() > lastYear) return undefined;
    if (cron.years.has(date.getUTCFullYear()) && cron.months.has(date.getUTCMonth() + 1) && cron.day(date)) {
      for (const hour of [...cron.hours].sort((a, b) => a - b)) {
        for (const minute of [...cron.minutes].sort((a, b) => a - b)) {
          const at = day + hour * 3_600_000 + minute * MINUTE_MS;
          if (at >= start) return at;
        }
      }
    }
    day += 86_400_000;
  }
}
