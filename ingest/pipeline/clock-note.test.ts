import { describe, expect, it } from 'vitest';
import { clockNote } from './clock-note';

const NOW = Date.parse('2026-11-29T12:00:00Z') / 1000;
const at = (iso: string) => Date.parse(iso) / 1000;

describe('clock note of an ingest report', () => {
  it('says nothing for plausible times, nor for a file without packets', () => {
    expect(clockNote(at('2020-08-31T00:00:00Z'), at('2020-09-01T10:00:00Z'), NOW)).toBe('');
    expect(clockNote(at('2000-01-01T00:00:00Z'), NOW + 3600, NOW)).toBe('');
    expect(clockNote(-1, -1, NOW)).toBe('');
  });

  it('names the day of a clock never set and of a clock ahead', () => {
    expect(clockNote(86_405, at('2020-09-13T12:26:40Z'), NOW)).toBe(
      '; packets dated 1970-01-02, before 2000 (a sensor clock that was not set; records without a time stamp count on 1970-01-01): counted on those days',
    );
    expect(clockNote(at('2020-09-13T12:26:40Z'), at('2037-04-22T08:00:00Z'), NOW)).toBe(
      '; packets dated 2037-04-22, after today (a sensor clock ahead): counted on those days',
    );
    expect(clockNote(0, NOW + 2 * 86_400, NOW)).toMatch(
      /^; packets dated 1970-01-01, before 2000 .* and packets dated 2026-12-01, after today/,
    );
  });
});
