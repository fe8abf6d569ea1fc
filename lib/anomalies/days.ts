/** 'YYYY-MM-DD' days compare as text. */

export function earlierDay(a: string, b: string): string {
  return a < b ? a : b;
}

export function laterDay(a: string, b: string): string {
  return a > b ? a : b;
}
