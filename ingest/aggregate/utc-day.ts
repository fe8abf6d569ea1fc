export const SECONDS_PER_DAY = 86_400;

/** Days since 1970-01-01 (UTC) of a whole-seconds timestamp; negative before 1970. */
export function dayNumber(tsSec: number): number {
  return Math.floor(tsSec / SECONDS_PER_DAY);
}

/** 'YYYY-MM-DD' of a day number. */
export function dayString(day: number): string {
  return new Date(day * SECONDS_PER_DAY * 1000).toISOString().slice(0, 10);
}

/** Day number of a 'YYYY-MM-DD' string (UTC). */
export function parseDay(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return Math.round(ms / 1000 / SECONDS_PER_DAY);
}
