/**
 * UTC calendar-day arithmetic for periods. Days are 'YYYY-MM-DD' strings; a period is
 * an inclusive [from, to] range of UTC days. Pure: shared by queries, routes and the UI.
 */

export interface Period {
  from: string;
  to: string;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar day written as YYYY-MM-DD (2020-02-30 is not). */
export function isDay(s: string): boolean {
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function dayToMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function msToDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return msToDay(dayToMs(day) + n * MS_PER_DAY);
}

/** Number of days in the inclusive range (1 for from == to). */
export function dayCount(p: Period): number {
  return Math.round((dayToMs(p.to) - dayToMs(p.from)) / MS_PER_DAY) + 1;
}

/** Every day of the inclusive range, in order. */
export function daysOf(p: Period): string[] {
  const n = dayCount(p);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(addDays(p.from, i));
  return out;
}

function ymd(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number);
  return [y!, m!, d!];
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function monthStart(y: number, m: number): string {
  return `${y}-${pad2(m)}-01`;
}

function monthEnd(y: number, m: number): string {
  return `${y}-${pad2(m)}-${pad2(daysInMonth(y, m))}`;
}

export type PeriodKind = 'year' | 'quarter' | 'month' | 'days';

/** Whether the range is exactly one calendar year, quarter or month (else 'days'). */
export function periodKind(p: Period): PeriodKind {
  const [fy, fm, fd] = ymd(p.from);
  const [ty, tm] = ymd(p.to);
  if (fd !== 1 || fy !== ty) return 'days';
  if (fm === 1 && p.to === `${fy}-12-31`) return 'year';
  if ((fm - 1) % 3 === 0 && tm === fm + 2 && p.to === monthEnd(ty, tm)) return 'quarter';
  if (tm === fm && p.to === monthEnd(ty, tm)) return 'month';
  return 'days';
}

/**
 * The period compared against: the previous calendar month, quarter or year when the
 * range is exactly one of those, else the same number of days just before.
 */
export function previousPeriod(p: Period): Period {
  const [fy, fm] = ymd(p.from);
  switch (periodKind(p)) {
    case 'year':
      return { from: `${fy - 1}-01-01`, to: `${fy - 1}-12-31` };
    case 'quarter': {
      const sm = fm - 3 < 1 ? fm + 9 : fm - 3;
      const sy = fm - 3 < 1 ? fy - 1 : fy;
      return { from: monthStart(sy, sm), to: monthEnd(sy, sm + 2) };
    }
    case 'month': {
      const sm = fm === 1 ? 12 : fm - 1;
      const sy = fm === 1 ? fy - 1 : fy;
      return { from: monthStart(sy, sm), to: monthEnd(sy, sm) };
    }
    default: {
      const n = dayCount(p);
      return { from: addDays(p.from, -n), to: addDays(p.from, -1) };
    }
  }
}

export function quarterOf(day: string): Period {
  const [y, m] = ymd(day);
  const qm = Math.floor((m - 1) / 3) * 3 + 1;
  return { from: monthStart(y, qm), to: monthEnd(y, qm + 2) };
}

export function monthOf(day: string): Period {
  const [y, m] = ymd(day);
  return { from: monthStart(y, m), to: monthEnd(y, m) };
}

export interface MonthSplit {
  /** Whole calendar months inside the period ('YYYY-MM', inclusive), or null. */
  months: { from: string; to: string } | null;
  /** The days of the period outside those months (none, one or two ranges). */
  days: Period[];
}

/** Every month 'YYYY-MM' from `from` to `to` (both 'YYYY-MM', inclusive), in order. */
export function monthsOf(months: { from: string; to: string }): string[] {
  const out: string[] = [];
  let [y, m] = months.from.split('-').map(Number) as [number, number];
  for (;;) {
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > months.to) return out;
    out.push(s);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

/** Splits a period into its whole calendar months and the days around them. */
export function splitByMonth(p: Period): MonthSplit {
  const first = p.from.endsWith('-01') ? p.from : addDays(monthOf(p.from).to, 1);
  const last = monthOf(p.to).to === p.to ? p.to : addDays(monthOf(p.to).from, -1);
  if (first > last) return { months: null, days: [p] };
  const days: Period[] = [];
  if (p.from < first) days.push({ from: p.from, to: addDays(first, -1) });
  if (last < p.to) days.push({ from: addDays(last, 1), to: p.to });
  return { months: { from: first.slice(0, 7), to: last.slice(0, 7) }, days };
}

/**
 * The days that have data: the first and the last, and the calendar months ('YYYY-MM',
 * ascending) that have any. A sensor whose clock jumped (a packet dated 1970 or 2037)
 * stretches the first and last day far beyond the months that hold the data.
 */
export interface DataSpan extends Period {
  months: readonly string[];
}

/** True when one of the data's months falls within `p`. */
function hasData(p: Period, span: DataSpan): boolean {
  const [from, to] = [p.from.slice(0, 7), p.to.slice(0, 7)];
  return span.months.some((m) => m >= from && m <= to);
}

/**
 * The default period for data spanning [first, last]: the last calendar quarter fully
 * inside the data that has data (a quarter after a clock jump has none); else the last
 * quarter that ends by `last`, clipped to the data; else (less than a quarter of data)
 * the whole data range.
 */
export function defaultPeriod(span: DataSpan): Period {
  let q = quarterOf(span.to);
  if (q.to > span.to) q = quarterOf(addDays(q.from, -1));
  while (q.from > span.from && !hasData(q, span)) q = quarterOf(addDays(q.from, -1));
  if (q.from >= span.from) return q;
  if (q.to >= span.from) return { from: span.from, to: q.to };
  return { from: span.from, to: span.to };
}

/** A short human label: '2020-Q3', '2020-08', '2020', or '2020-08-26 – 2020-09-02'. */
export function periodLabel(p: Period): string {
  const [fy, fm] = ymd(p.from);
  switch (periodKind(p)) {
    case 'year':
      return String(fy);
    case 'quarter':
      return `${fy}-Q${(fm - 1) / 3 + 1}`;
    case 'month':
      return p.from.slice(0, 7);
    default:
      return p.from === p.to ? p.from : `${p.from} – ${p.to}`;
  }
}

/** The label with its explicit UTC day range, for captions and exports. */
export function periodCaption(p: Period): string {
  const label = periodLabel(p);
  const range = p.from === p.to ? p.from : `${p.from} to ${p.to}`;
  return label === range || label === `${p.from} – ${p.to}`
    ? `${range} (UTC days)`
    : `${label}: ${range} (UTC days)`;
}

export interface PeriodPreset extends Period {
  label: string;
}

/** Quarters and months that have data, newest first (for pickers). */
export function periodPresets(span: DataSpan): PeriodPreset[] {
  const out: PeriodPreset[] = [];
  const add = (p: Period) => {
    if (hasData(p, span)) out.push({ ...p, label: periodLabel(p) });
  };
  for (let q = quarterOf(span.to); q.to >= span.from; q = quarterOf(addDays(q.from, -1))) add(q);
  for (let m = monthOf(span.to); m.to >= span.from; m = monthOf(addDays(m.from, -1))) add(m);
  return out;
}
