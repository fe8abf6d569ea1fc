/** UTC calendar-day helpers: days are integers counted from 1970-01-01. */

const DAY_MS = 86_400_000;

export function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not a YYYY-MM-DD day: ${iso}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = t / DAY_MS;
  if (isoDay(d) !== iso) throw new Error(`not a calendar day: ${iso}`);
  return d;
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYYMMDD'. */
export function compactDay(day: number): string {
  return isoDay(day).replaceAll('-', '');
}

/** 0 = Monday .. 6 = Sunday. */
export function weekdayMon0(day: number): number {
  // 1970-01-01 was a Thursday (3 when Monday is 0).
  return (((day + 3) % 7) + 7) % 7;
}

export function daySeconds(day: number): number {
  return day * 86_400;
}
