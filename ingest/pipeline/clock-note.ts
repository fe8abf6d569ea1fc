import { dayNumber, dayString } from '../aggregate/utc-day';

/** 2000-01-01: a capture dated before it comes from a clock that was never set. */
const EARLIEST_PLAUSIBLE_SEC = 946_684_800;
/** How far past the ingest's own clock a sensor's clock may run before it is pointed out. */
const AHEAD_SLACK_SEC = 86_400;

/**
 * A note for an ingest report when a capture's packets are dated where no sensor clock
 * should be (the dashboard's period picker and default period cope, but the operator
 * should know): before 2000, or more than a day after now. '' otherwise. `firstSec` and
 * `lastSec` are the earliest and latest time stamps read (-1: no packets).
 */
export function clockNote(firstSec: number, lastSec: number, nowSec: number): string {
  const notes: string[] = [];
  if (firstSec >= 0 && firstSec < EARLIEST_PLAUSIBLE_SEC) {
    notes.push(
      `packets dated ${dayString(dayNumber(firstSec))}, before 2000 (a sensor clock that was not set; records without a time stamp count on 1970-01-01)`,
    );
  }
  if (lastSec > nowSec + AHEAD_SLACK_SEC) {
    notes.push(
      `packets dated ${dayString(dayNumber(lastSec))}, after today (a sensor clock ahead)`,
    );
  }
  return notes.length === 0 ? '' : `; ${notes.join(' and ')}: counted on those days`;
}
