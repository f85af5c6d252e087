/** Schedule expressions as the EventBridge user guide's "Schedule expressions for rules" defines them. */
import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../src/cloud/eventbridge/schedule.ts';

const at = (text: string): number => Date.parse(text);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('schedule expressions', () => {
  it('fires a rate from the rule’s creation', () => {
    const created = at('2026-01-01T00:00:30Z');
    const schedule = parseSchedule('rate(5 minutes)', created);
    expect(iso(schedule?.next(created))).toBe('2026-01-01T00:05:30.000Z');
    expect(iso(schedule?.next(at('2026-01-01T00:05:30Z')))).toBe('2026-01-01T00:10:30.000Z');
    expect(iso(parseSchedule('rate(1 hour)', created)?.next(created))).toBe('2026-01-01T01:00:30.000Z');
    expect(iso(parseSchedule('rate(2 days)', created)?.next(created))).toBe('2026-01-03T00:00:30.000Z');
  });

  it('refuses rates EventBridge refuses', () => {
    for (const expression of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(5 seconds)', 'rate(-1 minutes)', 'rate(5  minutes)']) {
      expect(parseSchedule(expression, 0), expression).toBeUndefined();
    }
  });

  it('computes the documented cron examples (UTC)', () => {
    const from = at('2026-01-01T00:00:00Z'); // a Thursday
    // 10:15 every day
    expect(iso(parseSchedule('cron(15 10 * * ? *)', from)?.next(from))).toBe('2026-01-01T10:15:00.000Z');
    // 18:00 Monday to Friday
    expect(iso(parseSchedule('cron(0 18 ? * MON-FRI *)', from)?.next(at('2026-01-02T18:00:00Z')))).toBe('2026-01-05T18:00:00.000Z');
    // 08:00 on the first day of the month
    expect(iso(parseSchedule('cron(0 8 1 * ? *)', from)?.next(at('2026-01-01T08:00:00Z')))).toBe('2026-02-01T08:00:00.000Z');
    // every 10 minutes, Monday to Friday
    expect(iso(parseSchedule('cron(0/10 * ? * MON-FRI *)', from)?.next(at('2026-01-02T23:55:00Z')))).toBe('2026-01-05T00:00:00.000Z');
    // every 5 minutes between 08:00 and 17:55, Monday to Friday
    expect(iso(parseSchedule('cron(0/5 8-17 ? * MON-FRI *)', from)?.next(at('2026-01-01T17:55:00Z')))).toBe('2026-01-02T08:00:00.000Z');
    // 09:00 on the first Monday of each month
    expect(iso(parseSchedule('cron(0 9 ? * 2#1 *)', from)?.next(from))).toBe('2026-01-05T09:00:00.000Z');
    // the last day of the month, and the last Friday
    expect(iso(parseSchedule('cron(0 0 L * ? *)', from)?.next(from))).toBe('2026-01-31T00:00:00.000Z');
    expect(iso(parseSchedule('cron(0 0 ? * 6L *)', from)?.next(from))).toBe('2026-01-30T00:00:00.000Z');
    // the weekday nearest the 3rd of January 2026 (a Saturday) is Friday the 2nd
    expect(iso(parseSchedule('cron(0 0 3W * ? *)', from)?.next(from))).toBe('2026-01-02T00:00:00.000Z');
    // a year in the past never fires
    expect(parseSchedule('cron(0 0 1 1 ? 2025)', from)?.next(from)).toBeUndefined();
  });

  it('refuses crons EventBridge refuses', () => {
    for (const expression of ['cron(0 18 * * * *)', 'cron(0 18 ? * ? *)', 'cron(0 18 * *)', 'cron(60 0 * * ? *)', 'cron(0 24 * * ? *)', 'cron(0 0 32 * ? *)', 'cron(0 0 ? * 8 *)', 'cron(0 0 * 13 ? *)']) {
      expect(parseSchedule(expression, 0), expression).toBeUndefined();
    }
  });
});
