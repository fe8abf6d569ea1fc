import { describe, expect, test } from 'vitest';
import {
  addDays,
  type DataSpan,
  dayCount,
  daysOf,
  defaultPeriod,
  isDay,
  monthsOf,
  periodCaption,
  periodKind,
  periodLabel,
  periodPresets,
  previousPeriod,
  splitByMonth,
} from './period';

describe('days', () => {
  test('validates real calendar days only', () => {
    expect(isDay('2020-02-29')).toBe(true);
    expect(isDay('2019-02-29')).toBe(false);
    expect(isDay('2020-13-01')).toBe(false);
    expect(isDay('2020-1-01')).toBe(false);
    expect(isDay('20200101')).toBe(false);
    expect(isDay('')).toBe(false);
  });
  test('arithmetic over month and year ends', () => {
    expect(addDays('2020-12-31', 1)).toBe('2021-01-01');
    expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
    expect(dayCount({ from: '2020-08-26', to: '2020-09-02' })).toBe(8);
    expect(daysOf({ from: '2020-08-30', to: '2020-09-01' })).toEqual([
      '2020-08-30',
      '2020-08-31',
      '2020-09-01',
    ]);
  });
});

describe('previous period', () => {
  test('calendar quarter -> previous quarter', () => {
    const q3 = { from: '2020-07-01', to: '2020-09-30' };
    expect(periodKind(q3)).toBe('quarter');
    expect(previousPeriod(q3)).toEqual({ from: '2020-04-01', to: '2020-06-30' });
    expect(previousPeriod({ from: '2020-01-01', to: '2020-03-31' })).toEqual({
      from: '2019-10-01',
      to: '2019-12-31',
    });
  });
  test('calendar month -> previous month (its own length)', () => {
    expect(previousPeriod({ from: '2020-03-01', to: '2020-03-31' })).toEqual({
      from: '2020-02-01',
      to: '2020-02-29',
    });
    expect(previousPeriod({ from: '2020-01-01', to: '2020-01-31' })).toEqual({
      from: '2019-12-01',
      to: '2019-12-31',
    });
  });
  test('calendar year -> previous year', () => {
    expect(previousPeriod({ from: '2020-01-01', to: '2020-12-31' })).toEqual({
      from: '2019-01-01',
      to: '2019-12-31',
    });
  });
  test('any other range -> same number of days just before', () => {
    expect(previousPeriod({ from: '2020-08-26', to: '2020-09-02' })).toEqual({
      from: '2020-08-18',
      to: '2020-08-25',
    });
    // Two months is not a calendar unit.
    expect(previousPeriod({ from: '2020-07-01', to: '2020-08-31' })).toEqual({
      from: '2020-04-30',
      to: '2020-06-30',
    });
  });
});

/** Data on every day from `from` to `to`, or only in `months`. */
function span(from: string, to: string, months?: string[]): DataSpan {
  return { from, to, months: months ?? monthsOf({ from: from.slice(0, 7), to: to.slice(0, 7) }) };
}

describe('default period', () => {
  test('last quarter fully inside the data', () => {
    expect(defaultPeriod(span('2020-04-01', '2020-09-30'))).toEqual({
      from: '2020-07-01',
      to: '2020-09-30',
    });
    expect(defaultPeriod(span('2020-04-01', '2020-10-15'))).toEqual({
      from: '2020-07-01',
      to: '2020-09-30',
    });
  });
  test('less than a quarter: clipped or the whole extent', () => {
    expect(defaultPeriod(span('2020-08-10', '2020-10-15'))).toEqual({
      from: '2020-08-10',
      to: '2020-09-30',
    });
    expect(defaultPeriod(span('2020-08-10', '2020-08-20'))).toEqual({
      from: '2020-08-10',
      to: '2020-08-20',
    });
  });
  test('a clock jump: the last complete quarter that has data', () => {
    const q3 = { from: '2020-07-01', to: '2020-09-30' };
    const months = monthsOf({ from: '2020-04', to: '2020-09' });
    // One packet dated 2037 (a sensor clock ahead): not the empty quarter before it.
    expect(defaultPeriod(span('2020-04-01', '2037-05-01', [...months, '2037-05']))).toEqual(q3);
    // One dated 1970 (a clock reset): the data's last quarter as before.
    expect(defaultPeriod(span('1970-01-02', '2020-09-30', ['1970-01', ...months]))).toEqual(q3);
  });
});

test('labels and captions say UTC', () => {
  expect(periodLabel({ from: '2020-07-01', to: '2020-09-30' })).toBe('2020-Q3');
  expect(periodLabel({ from: '2020-08-01', to: '2020-08-31' })).toBe('2020-08');
  expect(periodCaption({ from: '2020-07-01', to: '2020-09-30' })).toBe(
    '2020-Q3: 2020-07-01 to 2020-09-30 (UTC days)',
  );
  expect(periodCaption({ from: '2020-08-26', to: '2020-09-02' })).toBe(
    '2020-08-26 to 2020-09-02 (UTC days)',
  );
});

test('presets cover the extent, quarters first', () => {
  const p = periodPresets(span('2020-05-10', '2020-09-30'));
  expect(p.map((x) => x.label)).toEqual([
    '2020-Q3',
    '2020-Q2',
    '2020-09',
    '2020-08',
    '2020-07',
    '2020-06',
    '2020-05',
  ]);
});

test('presets: only quarters and months that have data (a packet dated 1970 adds two)', () => {
  const months = ['1970-01', ...monthsOf({ from: '2020-08', to: '2020-09' })];
  const p = periodPresets(span('1970-01-02', '2020-09-30', months));
  expect(p.map((x) => x.label)).toEqual(['2020-Q3', '1970-Q1', '2020-09', '2020-08', '1970-01']);
});

describe('monthsOf', () => {
  test('every month of the range, across a year end', () => {
    expect(monthsOf({ from: '2020-11', to: '2021-02' })).toEqual([
      '2020-11',
      '2020-12',
      '2021-01',
      '2021-02',
    ]);
    expect(monthsOf({ from: '2020-07', to: '2020-07' })).toEqual(['2020-07']);
  });
});

describe('splitByMonth', () => {
  test('whole calendar months inside the period, and the days around them', () => {
    expect(splitByMonth({ from: '2020-07-01', to: '2020-09-30' })).toEqual({
      months: { from: '2020-07', to: '2020-09' },
      days: [],
    });
    expect(splitByMonth({ from: '2020-01-31', to: '2020-03-01' })).toEqual({
      months: { from: '2020-02', to: '2020-02' },
      days: [
        { from: '2020-01-31', to: '2020-01-31' },
        { from: '2020-03-01', to: '2020-03-01' },
      ],
    });
    expect(splitByMonth({ from: '2019-12-15', to: '2020-01-31' })).toEqual({
      months: { from: '2020-01', to: '2020-01' },
      days: [{ from: '2019-12-15', to: '2019-12-31' }],
    });
  });
  test('no whole month: only days', () => {
    for (const p of [
      { from: '2020-08-02', to: '2020-08-31' },
      { from: '2020-08-01', to: '2020-08-30' },
      { from: '2020-08-20', to: '2020-09-10' },
      { from: '2020-08-31', to: '2020-08-31' },
    ]) {
      expect(splitByMonth(p)).toEqual({ months: null, days: [p] });
    }
  });
});
