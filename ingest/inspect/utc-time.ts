/**
 * UTC calendar arithmetic on whole seconds, for any integer (pre-1970, far future): no Date,
 * so nothing throws outside Date's +-275760-year range.
 */

const DAY = 86400;

/** Days since 1970-01-01 -> [year, month 1-12, day 1-31] (proleptic Gregorian). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

/** The UTC day number (days since 1970-01-01) of a time in whole seconds. */
export function utcDayNumber(sec: number): number {
  return Math.floor(sec / DAY);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function year(y: number): string {
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return (y < 0 ? '-' : '+') + pad(Math.abs(y), 6);
}

/** 'YYYY-MM-DD' of a UTC day number. */
export function dayKey(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${year(y)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/** ISO-8601 UTC with all 9 fractional digits: '2020-08-27T00:00:00.123456789Z'. */
export function isoNanos(sec: number, nsec: number): string {
  const day = utcDayNumber(sec);
  const s = sec - day * DAY;
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${dayKey(day)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(nsec, 9)}Z`;
}
